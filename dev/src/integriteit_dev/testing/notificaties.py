"""A service's own mail sender on a clock the test sets, and the mails one round sends."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from integriteit_dev.mail import ontvangen
from integriteit_dev.testing.services import RunningService
from integriteit_shared.notificaties import NotificatieVerzender


def verzender_op_klok(svc: RunningService, clock: list[datetime]) -> NotificatieVerzender:
    """The sender the service runs (its templates, planning and address book), reading the
    time from `clock[0]`: a test moves it and sends what is due then."""
    eigen: NotificatieVerzender = svc.app.state.notificaties
    return NotificatieVerzender(
        eigen.database,
        eigen.settings,
        eigen.cipher,
        eigen.sjablonen,
        clock=lambda: clock[0],
        planning=eigen.planning,
        adresboek=eigen.adresboek,
    )


async def nieuwe_mails(verzender: NotificatieVerzender, maildir: Path) -> list[tuple[str, str]]:
    """Send what is due and return the (To, Subject) of each mail that round delivered."""
    voor = len(ontvangen(maildir))
    await verzender.verstuur_rijp()
    return [(str(b.message["To"]), str(b.message["Subject"])) for b in ontvangen(maildir)[voor:]]
