"""Meldpunt's reminders over real SMTP, at their moments (fake clock).

A nevenwerkzaamheid still without advice 4 weeks after its registration is mailed to
the team of its defensieonderdeel; one advised in time is not.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from integriteit_dev.mail import MailServer, ontvangen
from integriteit_dev.testing.notificaties import nieuwe_mails, verzender_op_klok
from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.notificaties import ochtend

TEAM = "coid-clas@defensie.test"


@pytest.fixture
def port(mail_server: MailServer) -> int:
    return mail_server.port


@pytest.fixture
def maildir(mail_server: MailServer) -> Path:
    return mail_server.directory


async def test_a_nevenwerkzaamheid_without_advice_after_4_weeks_is_mailed_to_the_team(
    service_factory: Any, tokens: TokenFactory, maildir: Path, port: int
) -> None:
    svc = await service_factory(
        "meldpunt", smtp_port=port, teamadressen={"CLAS": TEAM}, notificatie_interval_s=3600
    )
    headers = tokens.headers("coid_adviseur")

    async def registreer(omschrijving: str) -> tuple[str, date]:
        r = await svc.client.post(
            f"{svc.base}/nevenwerkzaamheden",
            json={"defensieonderdeel": "CLAS", "omschrijving": omschrijving, "betaald": True},
            headers=headers,
        )
        assert r.status_code == 201, r.text
        return r.json()["id"], date.fromisoformat(r.json()["registratiedatum"])

    wacht, geregistreerd = await registreer("Merkteken-NW-1: schilder in de avonduren")
    geadviseerd, _ = await registreer("Merkteken-NW-2: bijles wiskunde")
    r = await svc.client.post(
        f"{svc.base}/nevenwerkzaamheden/{geadviseerd}/advies",
        json={"advies": "positief"},
        headers=headers,
    )
    assert r.status_code == 200, r.text

    clock = [ochtend(geregistreerd + timedelta(weeks=4) - timedelta(days=1))]
    verzender = verzender_op_klok(svc, clock)
    assert await verzender.verstuur_rijp() == 0
    clock[0] = ochtend(geregistreerd + timedelta(weeks=4))
    assert await verzender.verstuur_rijp() == 1
    clock[0] += timedelta(days=30)
    assert await verzender.verstuur_rijp() == 0  # once

    [bericht] = ontvangen(maildir)
    assert bericht.message["To"] == TEAM
    assert bericht.message["Subject"] == f"Nevenwerkzaamheid {wacht} wacht al 4 weken op advies"
    assert "Merkteken-NW" not in bericht.path.read_text()


MELDER_ADRES = "melder-7@example.org"
BEHANDELAAR_ADRES = "adviseur-3@defensie.test"
OMSCHRIJVING = "Merkteken-omschrijving-K9: mijn collega treitert mij."


async def _named_melding(svc: Any, tokens: TokenFactory, *, anoniem: bool = False) -> Any:
    body: dict[str, Any] = {
        "kanaal": "mid",
        "defensieonderdeel": "CLAS",
        "hoofdcategorie": "ongewenst_gedrag",
        "subcategorie": "pesten",
        "omschrijving": OMSCHRIJVING,
        "anoniem": anoniem,
    }
    if not anoniem:
        body["melder"] = {"naam": "Merkteken-Naam Jansen", "email": MELDER_ADRES}
    r = await svc.client.post(
        f"{svc.base}/meldingen", json=body, headers=tokens.headers("medewerker", sub="mdw-7")
    )
    assert r.status_code == 201, r.text
    melding = r.json()
    adviseur = tokens.headers("coid_adviseur", sub="adv-3", email=BEHANDELAAR_ADRES)
    r = await svc.client.post(
        f"{svc.base}/meldingen/{melding['id']}/toewijzing",
        json={"behandelaar": "adv-3"},
        headers=adviseur,
    )
    assert r.status_code == 200, r.text
    return melding, adviseur


async def test_the_legal_clocks_remind_the_behandelaar_and_a_step_in_time_stops_them(
    service_factory: Any, tokens: TokenFactory, maildir: Path, port: int
) -> None:
    svc = await service_factory("meldpunt", smtp_port=port, notificatie_interval_s=3600)
    melding, adviseur = await _named_melding(svc, tokens)
    ref = melding["referentie"]
    bevestigen = date.fromisoformat(melding["termijnen"]["ontvangstbevestigingUiterlijk"])
    clock = [ochtend(bevestigen - timedelta(days=3))]
    verzender = verzender_op_klok(svc, clock)

    assert await nieuwe_mails(verzender, maildir) == []
    clock[0] = ochtend(bevestigen - timedelta(days=2))
    assert await nieuwe_mails(verzender, maildir) == [
        (BEHANDELAAR_ADRES, f"Melding {ref}: ontvangstbevestiging uiterlijk {bevestigen:%d-%m-%Y}")
    ]
    assert await nieuwe_mails(verzender, maildir) == []  # once

    r = await svc.client.post(
        f"{svc.base}/meldingen/{melding['id']}/ontvangstbevestiging", json={}, headers=adviseur
    )
    assert r.status_code == 200, r.text
    terugkoppelen = date.fromisoformat(r.json()["termijnen"]["terugkoppelingUiterlijk"])
    clock[0] = ochtend(bevestigen + timedelta(days=1))
    assert await nieuwe_mails(verzender, maildir) == []  # acknowledged in time: no overdue mail

    clock[0] = ochtend(terugkoppelen - timedelta(days=14))
    assert await nieuwe_mails(verzender, maildir) == [
        (BEHANDELAAR_ADRES, f"Melding {ref}: terugkoppeling uiterlijk {terugkoppelen:%d-%m-%Y}")
    ]
    clock[0] = ochtend(terugkoppelen + timedelta(days=1))
    assert await nieuwe_mails(verzender, maildir) == [
        (BEHANDELAAR_ADRES, f"Melding {ref}: terugkoppeling te laat ({terugkoppelen:%d-%m-%Y})")
    ]


async def test_new_messages_are_announced_to_a_named_melder_and_to_the_behandelaar_only(
    service_factory: Any, tokens: TokenFactory, maildir: Path, port: int
) -> None:
    svc = await service_factory("meldpunt", smtp_port=port, notificatie_interval_s=3600)
    melding, adviseur = await _named_melding(svc, tokens)
    anoniem, _ = await _named_melding(svc, tokens, anoniem=True)
    clock = [ochtend(date.today())]
    verzender = verzender_op_klok(svc, clock)

    for m in (melding, anoniem):
        r = await svc.client.post(
            f"{svc.base}/meldingen/{m['id']}/berichten",
            json={"tekst": "Merkteken-bericht: kunt u mij bellen?"},
            headers=adviseur,
        )
        assert r.status_code == 201, r.text
    clock[0] = datetime.now(UTC) + timedelta(seconds=1)
    assert await nieuwe_mails(verzender, maildir) == [
        (MELDER_ADRES, f"Er is een nieuw bericht over uw melding {melding['referentie']}")
    ]  # and nothing for the anonymous melder, who has no address

    r = await svc.client.post(
        f"{svc.base}/mijn/meldingen/{melding['id']}/berichten",
        json={"tekst": "Merkteken-antwoord: ja, na vieren."},
        headers=tokens.headers("medewerker", sub="mdw-7"),
    )
    assert r.status_code == 201, r.text
    clock[0] = datetime.now(UTC) + timedelta(seconds=1)
    assert await nieuwe_mails(verzender, maildir) == [
        (BEHANDELAAR_ADRES, f"Melding {melding['referentie']}: nieuw bericht van de melder")
    ]

    for bericht in ontvangen(maildir):
        raw = bericht.path.read_text()
        for marker in ("Merkteken", "ongewenst_gedrag", "pesten", "Jansen"):
            assert marker not in raw, marker
