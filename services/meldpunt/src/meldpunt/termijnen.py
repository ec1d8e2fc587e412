"""The legal clocks of a melding (Wbk, EU Directive 2019/1937 art. 9), as pure functions."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ONTVANGSTBEVESTIGING_DAGEN = 7
TERUGKOPPELING_MAANDEN = 3


def amsterdam_date(moment: datetime) -> date:
    """The calendar date in the Netherlands of an aware moment."""
    return moment.astimezone(AMSTERDAM).date()


def vandaag() -> date:
    return datetime.now(AMSTERDAM).date()


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; the day is clamped to the last day of the target month
    (31 January + 1 month = 28/29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


@dataclass(frozen=True)
class Termijnen:
    ontvangstbevestiging_uiterlijk: date
    terugkoppeling_uiterlijk: date


def bereken_termijnen(ontvangen: date, bevestigd: date | None = None) -> Termijnen:
    """Acknowledge within 7 days of receipt; feed back within 3 months of the
    acknowledgement, or of day 7 when none was sent (yet)."""
    uiterlijk_bevestiging = ontvangen + timedelta(days=ONTVANGSTBEVESTIGING_DAGEN)
    basis = bevestigd if bevestigd is not None else uiterlijk_bevestiging
    return Termijnen(uiterlijk_bevestiging, add_months(basis, TERUGKOPPELING_MAANDEN))
