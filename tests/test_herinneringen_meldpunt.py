"""Meldpunt's reminders over real SMTP, at their moments (fake clock).

A nevenwerkzaamheid still without advice 4 weeks after its registration is mailed to
the team of its defensieonderdeel; one advised in time is not.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from integriteit_dev.broker import free_port
from integriteit_dev.mail import MailServer, ontvangen
from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.notificaties import NotificatieVerzender, ochtend
from meldpunt.herinneringen import SJABLONEN

TEAM = "coid-clas@defensie.test"


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def maildir(tmp_path: Path, port: int) -> Iterator[Path]:
    with MailServer(tmp_path / "mail", port=port):
        yield tmp_path / "mail"


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
    verzender = NotificatieVerzender(
        svc.app.state.db, svc.settings, svc.app.state.cipher, SJABLONEN, clock=lambda: clock[0]
    )
    assert await verzender.verstuur_rijp() == 0
    clock[0] = ochtend(geregistreerd + timedelta(weeks=4))
    assert await verzender.verstuur_rijp() == 1
    clock[0] += timedelta(days=30)
    assert await verzender.verstuur_rijp() == 0  # once

    [bericht] = ontvangen(maildir)
    assert bericht.message["To"] == TEAM
    assert bericht.message["Subject"] == f"Nevenwerkzaamheid {wacht} wacht al 4 weken op advies"
    assert "Merkteken-NW" not in bericht.path.read_text()
