"""The base of every API body, and the past-date types a request body may use.

All four services speak lowerCamelCase JSON (`ontvangenOp`) over snake_case Python
(`ontvangen_op`). Responses derive from `CamelModel`, request bodies from `CamelInput`,
which also refuses unknown fields and trims the whitespace around strings.

`VerledenDatum` and `VerledenMoment` are the one rule "not in the future": a date is
compared with today's calendar date in Europe/Amsterdam (DOMAIN.md), a moment with now.
Every date or moment the platform takes in also lies in `BEREIK` (2000 through 2100):
nothing was registered before 2000, and a year like 1 or 9999 is a typo or an attack
(`0001-01-01T00:00:00+14:00` cannot even be converted to UTC). `buiten_bereik` is that
check, checked on the calendar date as written, before any conversion.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Final

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from integriteit_shared.kalender import vandaag

__all__ = [
    "BEREIK",
    "NIET_IN_TOEKOMST",
    "CamelInput",
    "CamelModel",
    "VerledenDatum",
    "VerledenMoment",
    "buiten_bereik",
]


class CamelModel(BaseModel):
    """Responses (and event data): lowerCamelCase in JSON; either name is accepted."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class CamelInput(CamelModel):
    """Request bodies: unknown fields are refused (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


NIET_IN_TOEKOMST: Final = "Mag niet in de toekomst liggen."
BEREIK: Final = (date(2000, 1, 1), date(2100, 12, 31))


def buiten_bereik(value: date | datetime) -> str | None:
    """The reason a date or moment lies outside `BEREIK`, or None. A moment is judged on its
    own calendar date, so no conversion (which could overflow) happens first."""
    dag = value.date() if isinstance(value, datetime) else value
    if dag < BEREIK[0]:
        return f"Mag niet vóór {BEREIK[0].isoformat()} liggen."
    if dag > BEREIK[1]:
        return f"Mag niet na {BEREIK[1].isoformat()} liggen."
    return None


def _datum_niet_in_toekomst(value: date) -> date:
    if reden := buiten_bereik(value):
        raise ValueError(reden)
    if value > vandaag():
        raise ValueError(NIET_IN_TOEKOMST)
    return value


def _moment_niet_in_toekomst(value: datetime) -> datetime:
    if reden := buiten_bereik(value):
        raise ValueError(reden)
    if value > datetime.now(UTC):
        raise ValueError(NIET_IN_TOEKOMST)
    return value


# A business date that has already come: today or earlier, Amsterdam calendar day.
VerledenDatum = Annotated[date, AfterValidator(_datum_niet_in_toekomst)]
# A moment with its UTC offset, not later than now.
VerledenMoment = Annotated[AwareDatetime, AfterValidator(_moment_niet_in_toekomst)]
