"""A klacht's term reminders reach the team over real SMTP, at their moments (fake clock).

The klachten app runs on PostgreSQL (or SQLite) with the development mail server on a free
port. A sender with its own clock delivers what is due: 7 days before the term, the
morning after it, again for a term that a verdaging moved, and nothing once handled.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from integriteit_dev.mail import MailServer, ontvangen
from integriteit_dev.testing.notificaties import nieuwe_mails, verzender_op_klok
from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.bewaartermijnen import bewaartermijnen_toepassen
from integriteit_shared.kalender import vandaag
from integriteit_shared.notificaties import MAILADRESSEN, Notificatie, ochtend

TEAM = "klachten-clas@defensie.test"
OMSCHRIJVING = "Merkteken-omschrijving-7Q: mijn leidinggevende negeert mij."


@pytest.fixture
def port(mail_server: MailServer) -> int:
    return mail_server.port


@pytest.fixture
def maildir(mail_server: MailServer) -> Path:
    return mail_server.directory


async def test_term_reminders_go_at_their_moments_follow_a_verdaging_and_stop_when_handled(
    service_factory: Any, tokens: TokenFactory, maildir: Path, port: int
) -> None:
    svc = await service_factory(
        "klachten",
        smtp_port=port,
        teamadressen={"CLAS": TEAM},
        notificatie_interval_s=3600,  # the app's own sender stays out of the way
    )
    headers = tokens.headers("klachtbehandelaar")
    base = f"{svc.base}/klachten"
    r = await svc.client.post(
        base,
        json={
            "soort": "ongewenst_gedrag",
            "indiener": "medewerker",
            "defensieonderdeel": "CLAS",
            "omschrijving": OMSCHRIJVING,
            "ontvangenOp": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
        },
        headers=headers,
    )
    assert r.status_code == 201, r.text
    klacht_id = r.json()["id"]
    termijn = date.fromisoformat(r.json()["termijnUiterlijk"])

    clock = [ochtend(termijn - timedelta(days=8))]
    verzender = verzender_op_klok(svc, clock)

    async def mails_at(moment: datetime) -> list[str]:
        clock[0] = moment
        return [onderwerp for _, onderwerp in await nieuwe_mails(verzender, maildir)]

    assert await mails_at(ochtend(termijn - timedelta(days=8))) == []
    assert await mails_at(ochtend(termijn - timedelta(days=7))) == [
        f"Klacht {klacht_id}: de termijn verloopt op {termijn:%d-%m-%Y}"
    ]

    r = await svc.client.post(
        f"{base}/{klacht_id}/verdaging",
        json={"weken": 2, "reden": "Getuigen zijn met verlof."},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    nieuwe_termijn = date.fromisoformat(r.json()["termijnUiterlijk"])
    assert nieuwe_termijn == termijn + timedelta(weeks=2)

    # the old term's overdue mail is off: the term moved
    assert await mails_at(ochtend(termijn + timedelta(days=1))) == []
    assert await mails_at(ochtend(nieuwe_termijn - timedelta(days=7))) == [
        f"Klacht {klacht_id}: de termijn verloopt op {nieuwe_termijn:%d-%m-%Y}"
    ]
    assert await mails_at(ochtend(nieuwe_termijn + timedelta(days=1))) == [
        f"Klacht {klacht_id}: de termijn is verlopen ({nieuwe_termijn:%d-%m-%Y})"
    ]

    for bericht in ontvangen(maildir):
        assert bericht.message["To"] == TEAM
        raw = bericht.path.read_text()
        assert "Merkteken-omschrijving-7Q" not in raw
        assert "ongewenst_gedrag" not in raw and "medewerker" not in raw

    # a month after the last mail its address is gone from the queue; the rows stay, so
    # nothing is planned or sent again
    laatste = (nieuwe_termijn + timedelta(days=1)).isoformat()
    db, settings = svc.app.state.db, svc.settings
    adressen = await bewaartermijnen_toepassen(
        db, settings, [MAILADRESSEN], op=date.fromisoformat(laatste) + timedelta(days=30)
    )
    # the first two mails and the overdue one the verdaging cancelled; not yet the last
    assert adressen is not None and len(adressen) == 3
    adressen = await bewaartermijnen_toepassen(
        db, settings, [MAILADRESSEN], op=date.fromisoformat(laatste) + timedelta(days=31)
    )
    assert adressen is not None and [a.soort for a in adressen] == ["mailadressen"]
    async with db.transaction() as s:
        rijen = (await s.execute(select(Notificatie.ontvanger, Notificatie.status))).all()
    assert {r.ontvanger for r in rijen if r.status != "gepland"} == {"[vernietigd]"}
    assert await mails_at(ochtend(nieuwe_termijn + timedelta(days=40))) == []


async def test_a_klacht_handled_in_time_gets_no_reminder(
    service_factory: Any, tokens: TokenFactory, maildir: Path, port: int
) -> None:
    svc = await service_factory("klachten", smtp_port=port, notificatie_interval_s=3600)
    headers = tokens.headers("klachtbehandelaar")
    r = await svc.client.post(
        f"{svc.base}/klachten",
        json={
            "soort": "ongewenst_gedrag",
            "indiener": "medewerker",
            "defensieonderdeel": "CLSK",
            "omschrijving": OMSCHRIJVING,
        },
        headers=headers,
    )
    assert r.status_code == 201, r.text
    klacht_id = r.json()["id"]
    termijn = date.fromisoformat(r.json()["termijnUiterlijk"])
    r = await svc.client.post(
        f"{svc.base}/klachten/{klacht_id}/afhandeling",
        json={"wijze": "informeel", "oordeel": "ingetrokken", "datum": vandaag().isoformat()},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    verzender = verzender_op_klok(svc, [ochtend(termijn + timedelta(days=2))])
    assert await verzender.verstuur_rijp() == 0
    assert ontvangen(maildir) == []


async def test_a_klacht_whose_term_is_long_past_gets_no_mail(
    service_factory: Any, tokens: TokenFactory, maildir: Path, port: int
) -> None:
    """History registered afterwards (a paper klacht from 2023) belongs on the overdue
    list, not in a flood of mail."""
    svc = await service_factory("klachten", smtp_port=port, notificatie_interval_s=3600)
    r = await svc.client.post(
        f"{svc.base}/klachten",
        json={
            "soort": "ongewenst_gedrag",
            "indiener": "medewerker",
            "defensieonderdeel": "CLSK",
            "omschrijving": OMSCHRIJVING,
            "ontvangenOp": "2023-01-10T09:00:00+01:00",
        },
        headers=tokens.headers("klachtbehandelaar"),
    )
    assert r.status_code == 201, r.text
    assert await svc.app.state.notificaties.verstuur_rijp() == 0  # the service's own, now
    assert ontvangen(maildir) == []
