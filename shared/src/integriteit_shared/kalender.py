"""Business dates and the legal deadlines, defined once for the services and the report.

Dates are Europe/Amsterdam calendar dates (DOMAIN.md). The deadlines:

- melding (Wbk, EU Directive 2019/1937 art. 9): acknowledge within 7 days of receipt; feed
  back within 3 months of the acknowledgement, or of day 7 when none was sent (yet);
- klacht (Awb 9:11): handle within 6 weeks of receipt, 10 weeks once the Commissie
  Ongewenst Gedrag handles it, plus one adjournment of at most 4 weeks;
- nazorg: a named melding's aftercare check-ins, months after its closing (`nazorg_data`).

Meldpunt and klachten show these deadlines to their users; rapportage measures the
percentages "within the deadline" against the same functions.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

AMSTERDAM: Final = ZoneInfo("Europe/Amsterdam")

ONTVANGSTBEVESTIGING_DAGEN: Final = 7
TERUGKOPPELING_MAANDEN: Final = 3
KLACHT_TERMIJN_WEKEN: Final = 6
KLACHT_TERMIJN_WEKEN_COG: Final = 10
KLACHT_VERDAGING_MAX_WEKEN: Final = 4


def vandaag() -> date:
    """Today's calendar date in Europe/Amsterdam."""
    return datetime.now(AMSTERDAM).date()


def amsterdam_date(moment: datetime) -> date:
    """The calendar date in the Netherlands of an aware moment."""
    return moment.astimezone(AMSTERDAM).date()


def einde_dag(dag: date) -> datetime:
    """The first moment after `dag` in the Netherlands: a moment lies on or before `dag`
    (its `amsterdam_date`) exactly when it is earlier than this. The peildatum of the
    report cuts on it: what rapportage registered by the end of that day counts."""
    return datetime.combine(dag + timedelta(days=1), time(0), tzinfo=AMSTERDAM)


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; the day is clamped to the last day of the target month
    (31 January + 1 month = 28/29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def nazorg_data(afgerond: date, maanden: Iterable[int]) -> tuple[date, ...]:
    """The due dates of a named melding's aftercare check-ins (DOMAIN.md, "nazorg"): so
    many months after its closing date (setting `nazorg_maanden`). Meldpunt plans them;
    rapportage counts those overdue by the same dates."""
    return tuple(add_months(afgerond, m) for m in maanden)


@dataclass(frozen=True)
class Termijnen:
    ontvangstbevestiging_uiterlijk: date
    terugkoppeling_uiterlijk: date


def bereken_termijnen(ontvangen: date, bevestigd: date | None = None) -> Termijnen:
    """A melding's two deadlines, from its receipt date and acknowledgement date (if any)."""
    uiterlijk_bevestiging = ontvangen + timedelta(days=ONTVANGSTBEVESTIGING_DAGEN)
    basis = bevestigd if bevestigd is not None else uiterlijk_bevestiging
    return Termijnen(uiterlijk_bevestiging, add_months(basis, TERUGKOPPELING_MAANDEN))


def klacht_termijn(ontvangen: date, *, cog_behandeling: bool, verdaging_weken: int | None) -> date:
    """Last day of a klacht's term, from its receipt date (Amsterdam)."""
    weken = KLACHT_TERMIJN_WEKEN_COG if cog_behandeling else KLACHT_TERMIJN_WEKEN
    verdaging = min(KLACHT_VERDAGING_MAX_WEKEN, verdaging_weken or 0)
    return ontvangen + timedelta(weeks=weken + verdaging)
