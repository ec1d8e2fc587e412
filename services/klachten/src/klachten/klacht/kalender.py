"""The business calendar: dates are Europe/Amsterdam calendar dates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

AMSTERDAM: Final = ZoneInfo("Europe/Amsterdam")


def vandaag() -> date:
    """Today's calendar date in Europe/Amsterdam."""
    return datetime.now(AMSTERDAM).date()


def ontvangstdatum(ontvangen_op: datetime) -> date:
    """The receipt moment as an Amsterdam calendar date (the term counts from it)."""
    return ontvangen_op.astimezone(AMSTERDAM).date()
