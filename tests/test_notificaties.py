"""Notifications as data, mailed over a real SMTP exchange (integriteit_shared.notificaties).

The development mail server (aiosmtpd, `integriteit_dev.mail`) runs on a free port and
keeps what arrives as .eml files; a fake clock drives the sender. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import select

from integriteit_dev.broker import free_port
from integriteit_dev.mail import EmlOpslag, MailServer, aantal_ontvangen, ontvangen
from integriteit_dev.testing.databases import TestDatabases
from integriteit_shared.crypto.fields import FieldCipher
from integriteit_shared.db.session import Database
from integriteit_shared.notificaties import (
    GEANNULEERD,
    VERZONDEN,
    Notificatie,
    NotificatieVerzender,
    Sjabloon,
    annuleer,
    plan,
)
from integriteit_shared.settings import DEV_ENCRYPTION_KEYS, ServiceSettings

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ADRES = "melder@example.org"
SJABLONEN = {
    "bevestiging-bijna": Sjabloon(
        onderwerp="Ontvangstbevestiging {referentie} verloopt op {termijn}",
        tekst="De ontvangstbevestiging van melding {referentie} moet uiterlijk {termijn} "
        "verstuurd zijn.\nOpenen: {link}\n",
    )
}


class Klok:
    def __init__(self) -> None:
        self.nu = T0

    def __call__(self) -> datetime:
        return self.nu


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(
    request: pytest.FixtureRequest, databases: TestDatabases, sqlite_databases: TestDatabases
) -> AsyncIterator[Database]:
    if request.param == "postgresql" and not databases.is_postgres:
        pytest.skip("TEST_DATABASE_URL is not set")
    dbs = databases if request.param == "postgresql" else sqlite_databases
    database = Database(await dbs.create("meldpunt"))
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    return tmp_path / "mail"


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def mail(maildir: Path, port: int) -> Iterator[MailServer]:
    with MailServer(maildir, port=port) as server:
        yield server


def _verzender(db: Database, port: int, klok: Klok) -> NotificatieVerzender:
    settings = ServiceSettings(
        smtp_port=port, smtp_from="meldpunt@integriteit.test", mail_link_base="https://mid.test/"
    )
    return NotificatieVerzender(
        db, settings, FieldCipher.from_setting(DEV_ENCRYPTION_KEYS), SJABLONEN, clock=klok
    )


async def _plan(db: Database, *, sleutel: str = "m1:bevestiging-bijna") -> None:
    async with db.transaction() as session:
        await plan(
            session,
            FieldCipher.from_setting(DEV_ENCRYPTION_KEYS),
            sleutel=sleutel,
            soort="bevestiging-bijna",
            object_id="m1",
            referentie="MID-2026-0042",
            ontvanger=ADRES,
            moment=T0 + timedelta(hours=1),
            termijn=date(2026, 3, 4),
            afzender_domein="integriteit.test",
        )


async def _status(db: Database) -> list[tuple[str, int]]:
    async with db.transaction(writes=False) as s:
        rows = await s.execute(select(Notificatie.status, Notificatie.pogingen))
        return [(status, pogingen) for status, pogingen in rows]


@pytest.mark.usefixtures("mail")
async def test_a_planned_mail_goes_at_its_moment_once_and_says_nothing_of_the_case(
    db: Database, maildir: Path, port: int
) -> None:
    klok = Klok()
    await _plan(db)
    await _plan(db)  # planned twice: still one mail
    verzender = _verzender(db, port, klok)

    assert await verzender.verstuur_rijp() == 0  # not yet due
    assert ontvangen(maildir) == []
    klok.nu = T0 + timedelta(hours=1)
    assert await verzender.verstuur_rijp() == 1
    assert await verzender.verstuur_rijp() == 0  # sent is sent

    [bericht] = ontvangen(maildir)
    m = bericht.message
    assert m["To"] == ADRES
    assert m["From"] == "meldpunt@integriteit.test"
    assert m["Subject"] == "Ontvangstbevestiging MID-2026-0042 verloopt op 04-03-2026"
    assert m["Message-ID"].endswith("@integriteit.test>")
    assert m["Auto-Submitted"] == "auto-generated"
    body = m.get_content()
    assert "https://mid.test/" in body and "MID-2026-0042" in body
    assert aantal_ontvangen(maildir) == {bericht.message_id: 1}
    assert await _status(db) == [(VERZONDEN, 0)]

    # the address is not in the database in clear
    async with db.transaction(writes=False) as s:
        stored = await s.scalar(select(Notificatie.ontvanger))
    assert stored is not None and ADRES not in stored


@pytest.mark.usefixtures("mail")
async def test_a_step_taken_in_time_cancels_the_reminder(
    db: Database, maildir: Path, port: int
) -> None:
    klok = Klok()
    await _plan(db)
    async with db.transaction() as session:
        assert await annuleer(session, object_id="m1", soorten=["bevestiging-bijna"]) == 1
    klok.nu = T0 + timedelta(days=3)
    assert await _verzender(db, port, klok).verstuur_rijp() == 0
    assert ontvangen(maildir) == []
    assert await _status(db) == [(GEANNULEERD, 0)]


async def test_an_smtp_outage_delays_the_mail_and_loses_nothing(
    db: Database, maildir: Path, port: int
) -> None:
    klok = Klok()
    klok.nu = T0 + timedelta(hours=1)
    await _plan(db)
    verzender = _verzender(db, port, klok)
    assert await verzender.verstuur_rijp() == 0  # nobody listening on the port
    assert await _status(db) == [("gepland", 1)]
    with MailServer(maildir, port=port):
        klok.nu += timedelta(seconds=10)
        assert await verzender.verstuur_rijp() == 0  # backing off: not tried again yet
        assert ontvangen(maildir) == []
        klok.nu += timedelta(seconds=25)
        assert await verzender.verstuur_rijp() == 1
    assert len(ontvangen(maildir)) == 1
    assert await _status(db) == [(VERZONDEN, 1)]


class ZegtNeeNaOntvangst(EmlOpslag):
    """Keeps the message, then answers 451 the first time: the sender believes it failed,
    as after a crash between sending and marking the row sent."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.keer = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        self.keer += 1
        return "451 4.3.0 probeer later" if self.keer == 1 else answer


async def test_a_mail_sent_again_after_a_lost_answer_keeps_its_message_id(
    db: Database, maildir: Path, port: int
) -> None:
    from aiosmtpd.controller import Controller

    klok = Klok()
    klok.nu = T0 + timedelta(hours=1)
    await _plan(db)
    controller = Controller(ZegtNeeNaOntvangst(maildir), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        verzender = _verzender(db, port, klok)
        assert await verzender.verstuur_rijp() == 0
        klok.nu += timedelta(minutes=1)
        assert await verzender.verstuur_rijp() == 1
    finally:
        controller.stop()
    [bericht] = ontvangen(maildir)  # one message, stored once
    assert aantal_ontvangen(maildir) == {bericht.message_id: 2}  # though it came twice


class Traag(EmlOpslag):
    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        await asyncio.sleep(2)
        return await super().handle_DATA(server, session, envelope)


async def test_a_sender_that_dies_mid_send_leaves_the_mail_to_the_next_after_its_lease(
    db: Database, maildir: Path, port: int
) -> None:
    from aiosmtpd.controller import Controller

    klok = Klok()
    klok.nu = T0 + timedelta(hours=1)
    await _plan(db)
    controller = Controller(Traag(maildir), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        dying = asyncio.create_task(_verzender(db, port, klok).verstuur_rijp())
        await asyncio.sleep(0.5)  # it has claimed the row and is in the SMTP exchange
        dying.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await dying
        opvolger = _verzender(db, port, klok)
        klok.nu += timedelta(seconds=60)
        assert await opvolger.verstuur_rijp() == 0  # the lease still holds
        klok.nu += timedelta(minutes=2)
        assert await opvolger.verstuur_rijp() == 1
    finally:
        controller.stop()
    assert len(ontvangen(maildir)) == 1
    assert await _status(db) == [(VERZONDEN, 0)]


@pytest.mark.usefixtures("mail")
async def test_two_senders_at_once_send_each_mail_once(
    db: Database, maildir: Path, port: int
) -> None:
    klok = Klok()
    for n in range(6):
        await _plan(db, sleutel=f"m{n}:bevestiging-bijna")
    klok.nu = T0 + timedelta(hours=1)
    results: list[Any] = await asyncio.gather(
        _verzender(db, port, klok).verstuur_rijp(), _verzender(db, port, klok).verstuur_rijp()
    )
    assert sum(results) == 6
    counts = aantal_ontvangen(maildir)
    assert len(counts) == 6 and set(counts.values()) == {1}


async def test_integriteit_mail_lists_and_shows_what_arrived(tmp_path: Path, port: int) -> None:
    import subprocess
    import sys
    from email.message import EmailMessage

    import aiosmtplib

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@integriteit.test", ADRES, "Nieuw bericht MID-1"
    msg["Message-ID"] = "<een@integriteit.test>"
    msg.set_content("Er is een nieuw bericht.\n")
    with MailServer(tmp_path / "mail", port=port):
        await aiosmtplib.send(msg, hostname="127.0.0.1", port=port)

    cli = [sys.executable, "-m", "integriteit_shared.cli", "mail", "--data-dir", str(tmp_path)]

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # our own command, fixed arguments
            [*cli, *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    listing = command()
    assert listing.returncode == 0, listing.stderr
    assert ADRES in listing.stdout and "Nieuw bericht MID-1" in listing.stdout
    shown = command("1")
    assert shown.returncode == 0 and "Er is een nieuw bericht." in shown.stdout
    missing = command("5")
    assert missing.returncode == 1 and "bestaat niet" in missing.stderr
