"""Aftercare (nazorg) at meldpunt over real SMTP, at its moments (fake clock).

A named melding closed today gets check-ins at 3, 6 and 12 months (setting
`nazorg_maanden`), each a reminder to the behandelaar on the morning it is due. Recording
one cancels its reminder, writes the timeline and emits `meldpunt.nazorg-uitgevoerd` with
exactly its fields. An anonymous melding gets none. No mail names the case's content.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from integriteit_dev.mail import MailServer, ontvangen
from integriteit_dev.testing.notificaties import nieuwe_mails, verzender_op_klok
from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.crypto.audit import AuditEntry
from integriteit_shared.crypto.gegevenssleutels import DATA_KEY_KID
from integriteit_shared.kalender import add_months
from integriteit_shared.messaging.models import OutboxMessage
from integriteit_shared.notificaties import Notificatie, ochtend
from meldpunt.nazorg.models import NazorgContact
from meldpunt.termijnen import AMSTERDAM, vandaag

MELDER_ADRES = "melder-8@example.org"
BEHANDELAAR_ADRES = "adviseur-4@defensie.test"
MARKERS = ("Merkteken", "ongewenst_gedrag", "pesten", "Jansen", MELDER_ADRES)
NAZORG_EVENT = "nl.integriteit.meldpunt.nazorg-uitgevoerd"


@pytest.fixture
def port(mail_server: MailServer) -> int:
    return mail_server.port


@pytest.fixture
def maildir(mail_server: MailServer) -> Path:
    return mail_server.directory


def _adviseur(tokens: TokenFactory, n: int = 4, adres: str = BEHANDELAAR_ADRES) -> dict[str, str]:
    return tokens.headers("coid_adviseur", sub=f"adv-{n}", email=adres)


async def _gesloten_melding(
    svc: Any, tokens: TokenFactory, *, anoniem: bool = False, dagen_geleden: int = 0
) -> tuple[dict[str, Any], dict[str, str]]:
    """A melding taken by adviser 4 and brought to its closing, `dagen_geleden` days ago."""
    adviseur = _adviseur(tokens)
    dag = (vandaag() - timedelta(days=dagen_geleden)).isoformat()
    body: dict[str, Any] = {
        "kanaal": "mid",
        "defensieonderdeel": "CLAS",
        "hoofdcategorie": "ongewenst_gedrag",
        "subcategorie": "pesten",
        "omschrijving": "Merkteken-omschrijving-N8: mijn chef treitert mij.",
        "anoniem": anoniem,
        "ontvangenOp": datetime.combine(
            date.fromisoformat(dag), time(0, 30), AMSTERDAM
        ).isoformat(),
    }
    if not anoniem:
        body["melder"] = {"naam": "Merkteken-Naam Jansen", "email": MELDER_ADRES}
    r = await svc.client.post(f"{svc.base}/meldingen", json=body, headers=adviseur)
    assert r.status_code == 201, r.text
    melding = r.json()
    url = f"{svc.base}/meldingen/{melding['id']}"
    for actie, stap in (
        ("toewijzing", {"behandelaar": "adv-4"}),
        ("ontvangstbevestiging", {"datum": dag}),
        ("afdoening", {"afdoening": "gespreksbegeleiding", "datum": dag}),
        ("terugkoppeling", {"datum": dag}),
        ("afronding", {"conclusie": "geen_schending", "datum": dag}),
    ):
        r = await svc.client.post(f"{url}/{actie}", json=stap, headers=adviseur)
        assert r.status_code == 200, (actie, r.text)
    return melding, adviseur


async def _events(svc: Any) -> list[dict[str, Any]]:
    async with svc.app.state.db.transaction() as s:
        rows = await s.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.event_type == NAZORG_EVENT)
            .order_by(OutboxMessage.id)  # in the order they were written
        )
        return [json.loads(r.value) for r in rows]


async def test_a_closed_named_melding_plans_reminds_and_records_its_check_ins(
    service_factory: Any, tokens: TokenFactory, maildir: Path, port: int
) -> None:
    svc = await service_factory("meldpunt", smtp_port=port, notificatie_interval_s=3600)
    melding, adviseur = await _gesloten_melding(svc, tokens, dagen_geleden=20)
    ref, url = melding["referentie"], f"{svc.base}/meldingen/{melding['id']}/nazorg"
    afgerond = vandaag() - timedelta(days=20)
    contact_6, contact_12 = vandaag() - timedelta(days=10), vandaag()
    d3, d6, d12 = (add_months(afgerond, m) for m in (3, 6, 12))

    r = await svc.client.get(url, headers=adviseur)
    assert r.status_code == 200, r.text
    assert [(c["maanden"], c["uiterlijk"], c["status"]) for c in r.json()] == [
        (3, d3.isoformat(), "gepland"),
        (6, d6.isoformat(), "gepland"),
        (12, d12.isoformat(), "gepland"),
    ]

    def onderwerp(d: date) -> str:
        return f"Melding {ref}: nazorgcontact met de melder op {d:%d-%m-%Y}"

    clock = [ochtend(d3 - timedelta(days=1))]
    verzender = verzender_op_klok(svc, clock)
    assert await nieuwe_mails(verzender, maildir) == []
    clock[0] = ochtend(d3)
    assert await nieuwe_mails(verzender, maildir) == [(BEHANDELAAR_ADRES, onderwerp(d3))]
    assert await nieuwe_mails(verzender, maildir) == []  # once

    # the 3-month check-in is recorded (the API's "today" is the real one: the dates of
    # the contacts lie between the closing and today); sent twice (a double click), the
    # second is a 409, not the 6-month check-in done
    eerste = {
        "datum": afgerond.isoformat(),
        "benadelingGemeld": True,
        "toelichting": "Merkteken-toelichting: hij is overgeplaatst naar Jansen.",
    }
    r = await svc.client.post(url, json=eerste, headers=adviseur)
    assert r.status_code == 201, r.text
    assert r.json()["maanden"] == 3 and r.json()["status"] == "uitgevoerd"
    assert r.headers["Location"].endswith(f"/meldingen/{melding['id']}/nazorg")
    # the writing's audit entry is queued; chain it now, as the service does within a
    # quarter second, so the order below does not depend on that timer
    await svc.app.state.audit_chainer.chain_all()
    r = await svc.client.post(url, json=eerste, headers=adviseur)
    assert r.status_code == 409, r.text
    # then the 6-month one, early
    r = await svc.client.post(
        url, json={"datum": contact_6.isoformat(), "benadelingGemeld": False}, headers=adviseur
    )
    assert r.status_code == 201, r.text
    assert r.json()["maanden"] == 6

    clock[0] = ochtend(d6)
    assert await nieuwe_mails(verzender, maildir) == []  # recorded in time: no reminder
    clock[0] = ochtend(d12)
    assert await nieuwe_mails(verzender, maildir) == [(BEHANDELAAR_ADRES, onderwerp(d12))]

    r = await svc.client.get(url, headers=adviseur)
    lijst = r.json()
    assert [(c["maanden"], c["status"], c["benadelingGemeld"]) for c in lijst] == [
        (3, "uitgevoerd", True),
        (6, "uitgevoerd", False),
        (12, "gepland", None),
    ]
    assert lijst[0]["toelichting"].startswith("Merkteken-toelichting")
    assert lijst[0]["door"] == "adv-4"
    # the toelichting is stored encrypted; its writing and reading are audited
    await svc.app.state.audit_chainer.chain_all()
    async with svc.app.state.db.transaction() as s:
        opgeslagen = [
            t for t in (await s.execute(select(NazorgContact.toelichting))).scalars() if t
        ]
        audit = [
            (a.action, a.object_id)
            for a in await s.scalars(
                select(AuditEntry).where(AuditEntry.object_type == "nazorg").order_by(AuditEntry.id)
            )
        ]
    assert len(opgeslagen) == 1 and "Merkteken" not in opgeslagen[0]
    # under the melding's own data key, so the retention purge shreds it with the melding
    assert opgeslagen[0].startswith(f"v1.{DATA_KEY_KID}.")
    assert audit == [("schrijven", melding["id"]), ("lezen", melding["id"])]

    # the event: exactly its fields, one per check-in recorded
    assert await _events(svc) == [
        {"meldingId": melding["id"], "datum": afgerond.isoformat(), "benadelingGemeld": True},
        {"meldingId": melding["id"], "datum": contact_6.isoformat(), "benadelingGemeld": False},
    ]
    # the timeline: codes only
    r = await svc.client.get(f"{svc.base}/meldingen/{melding['id']}/tijdlijn", headers=adviseur)
    stappen = [s for s in r.json() if s["soort"] == "nazorg"]
    assert stappen == [
        {
            "moment": stappen[0]["moment"],
            "soort": "nazorg",
            "actor": "adv-4",
            "datum": afgerond.isoformat(),
            "maanden": 3,
            "benadelingGemeld": True,
        },
        {
            "moment": stappen[1]["moment"],
            "soort": "nazorg",
            "actor": "adv-4",
            "datum": contact_6.isoformat(),
            "maanden": 6,
            "benadelingGemeld": False,
        },
    ]
    assert "Merkteken" not in r.text

    # the last one, then nothing is left to record
    laatste = {"datum": contact_12.isoformat(), "benadelingGemeld": False}
    r = await svc.client.post(url, json=laatste, headers=adviseur)
    assert r.status_code == 201 and r.json()["maanden"] == 12
    r = await svc.client.post(url, json=laatste, headers=adviseur)
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith("application/problem+json")

    for bericht in ontvangen(maildir):
        raw = bericht.path.read_text()
        for marker in MARKERS:
            assert marker not in raw, marker
    async with svc.app.state.db.transaction() as s:
        opgeslagen = [
            str(row) for row in (await s.execute(select(Notificatie.ontvanger))).scalars()
        ]
    assert all(BEHANDELAAR_ADRES not in o for o in opgeslagen)  # addresses encrypted


async def test_an_anonymous_melding_gets_no_aftercare(
    service_factory: Any, tokens: TokenFactory, maildir: Path, port: int
) -> None:
    svc = await service_factory("meldpunt", smtp_port=port, notificatie_interval_s=3600)
    melding, adviseur = await _gesloten_melding(svc, tokens, anoniem=True)
    url = f"{svc.base}/meldingen/{melding['id']}/nazorg"

    r = await svc.client.get(url, headers=adviseur)
    assert r.status_code == 200 and r.json() == []
    r = await svc.client.post(
        url, json={"datum": vandaag().isoformat(), "benadelingGemeld": False}, headers=adviseur
    )
    assert r.status_code == 409, r.text

    clock = [ochtend(vandaag())]
    verzender = verzender_op_klok(svc, clock)
    for m in (3, 6, 12):
        clock[0] = ochtend(add_months(vandaag(), m))
        assert await nieuwe_mails(verzender, maildir) == []
    assert await _events(svc) == []


async def test_aftercare_refuses_an_open_melding_and_dates_outside_its_window(
    service_factory: Any, tokens: TokenFactory
) -> None:
    svc = await service_factory("meldpunt")
    adviseur = _adviseur(tokens)
    r = await svc.client.post(
        f"{svc.base}/meldingen",
        json={
            "kanaal": "mid",
            "defensieonderdeel": "CLAS",
            "hoofdcategorie": "overig",
            "subcategorie": "overig",
            "omschrijving": "Nog open.",
            "anoniem": False,
        },
        headers=adviseur,
    )
    open_url = f"{svc.base}/meldingen/{r.json()['id']}/nazorg"
    r = await svc.client.post(
        open_url, json={"datum": vandaag().isoformat(), "benadelingGemeld": False}, headers=adviseur
    )
    assert r.status_code == 409, r.text

    melding, adviseur = await _gesloten_melding(svc, tokens, dagen_geleden=20)
    url = f"{svc.base}/meldingen/{melding['id']}/nazorg"
    voor_afronding = (vandaag() - timedelta(days=21)).isoformat()
    r = await svc.client.post(
        url,
        json={"datum": voor_afronding, "benadelingGemeld": False, "maanden": 4},
        headers=adviseur,
    )
    assert r.status_code == 400, r.text
    assert {p["name"] for p in r.json()["invalidParams"]} == {"datum", "maanden"}
    morgen = (vandaag() + timedelta(days=1)).isoformat()
    r = await svc.client.post(
        url, json={"datum": morgen, "benadelingGemeld": False}, headers=adviseur
    )
    assert r.status_code == 400, r.text
    r = await svc.client.post(url, json={"datum": vandaag().isoformat()}, headers=adviseur)
    assert r.status_code == 400, r.text  # benadelingGemeld is required

    # someone else's melding: only its behandelaar or a coordinator records
    ander = tokens.headers("coid_adviseur", sub="adv-9")
    r = await svc.client.post(
        url, json={"datum": vandaag().isoformat(), "benadelingGemeld": False}, headers=ander
    )
    assert r.status_code == 403, r.text
    assert await _events(svc) == []
    r = await svc.client.get(url, headers=adviseur)
    assert all(c["status"] == "gepland" for c in r.json())


async def test_concurrent_records_of_one_check_in_have_one_winner(
    service_factory: Any, tokens: TokenFactory
) -> None:
    svc = await service_factory("meldpunt")
    melding, adviseur = await _gesloten_melding(svc, tokens)
    url = f"{svc.base}/meldingen/{melding['id']}/nazorg"
    body = {"datum": vandaag().isoformat(), "benadelingGemeld": True, "maanden": 3}
    antwoorden = await asyncio.gather(
        *(svc.client.post(url, json=body, headers=adviseur) for _ in range(8))
    )
    assert sorted(r.status_code for r in antwoorden) == [201] + [409] * 7
    assert len(await _events(svc)) == 1


async def test_a_handover_after_closing_sends_the_pending_check_ins_to_the_new_behandelaar(
    service_factory: Any, tokens: TokenFactory, maildir: Path, port: int
) -> None:
    svc = await service_factory("meldpunt", smtp_port=port, notificatie_interval_s=3600)
    melding, _ = await _gesloten_melding(svc, tokens)
    r = await svc.client.post(
        f"{svc.base}/meldingen/{melding['id']}/toewijzing",
        json={"behandelaar": "adv-5"},
        headers=tokens.headers("coid_coordinator", sub="coord-1"),
    )
    assert r.status_code == 200, r.text
    # a coordinator's assignment gives no address of the new behandelaar: their reminders
    # go to the team, as for every reminder
    clock = [ochtend(add_months(vandaag(), 3))]
    verzender = verzender_op_klok(svc, clock)
    [(aan, _)] = await nieuwe_mails(verzender, maildir)
    assert aan == svc.settings.teamadres
    assert aan != BEHANDELAAR_ADRES


async def test_a_closing_registered_late_mails_only_the_check_ins_still_to_come(
    service_factory: Any, tokens: TokenFactory, maildir: Path, port: int
) -> None:
    svc = await service_factory("meldpunt", smtp_port=port, notificatie_interval_s=3600)
    melding, adviseur = await _gesloten_melding(svc, tokens, dagen_geleden=100)
    afgerond = vandaag() - timedelta(days=100)
    d3, d6 = add_months(afgerond, 3), add_months(afgerond, 6)
    r = await svc.client.get(f"{svc.base}/meldingen/{melding['id']}/nazorg", headers=adviseur)
    assert [(c["maanden"], c["uiterlijk"]) for c in r.json()][:2] == [
        (3, d3.isoformat()),
        (6, d6.isoformat()),
    ]
    # the 3-month check-in fell more than a week ago: planned, overdue, but no mail now
    clock = [ochtend(vandaag())]
    verzender = verzender_op_klok(svc, clock)
    assert await nieuwe_mails(verzender, maildir) == []
    clock[0] = ochtend(d6)
    assert await nieuwe_mails(verzender, maildir) == [
        (
            BEHANDELAAR_ADRES,
            f"Melding {melding['referentie']}: nazorgcontact met de melder op {d6:%d-%m-%Y}",
        )
    ]
