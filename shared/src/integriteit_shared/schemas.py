"""The base of every API body, and the past-date types a request body may use.

All four services speak lowerCamelCase JSON (`ontvangenOp`) over snake_case Python
(`ontvangen_op`). Responses derive from `CamelModel`, request bodies from `CamelInput`,
which also refuses unknown fields and trims the whitespace around strings.

`VerledenDatum` and `VerledenMoment` are the one rule "not in the future": a date is
compared with today's calendar date in Europe/Amsterdam (DOMAIN.md), a moment with now.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Final

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from integriteit_shared.kalender import vandaag

__all__ = ["NIET_IN_TOEKOMST", "CamelInput", "CamelModel", "VerledenDatum", "VerledenMoment"]


class CamelModel(BaseModel):
    """Responses (and event data): lowerCamelCase in JSON; either name is accepted."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class CamelInput(CamelModel):
    """Request bodies: unknown fields are refused (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


NIET_IN_TOEKOMST: Final = "Mag niet in de toekomst liggen."


def _datum_niet_in_toekomst(value: date) -> date:
    if value > vandaag():
        raise ValueError(NIET_IN_TOEKOMST)
    return value


def _moment_niet_in_toekomst(value: datetime) -> datetime:
    if value > datetime.now(UTC):
        raise ValueError(NIET_IN_TOEKOMST)
    return value


# A business date that has already come: today or earlier, Amsterdam calendar day.
VerledenDatum = Annotated[date, AfterValidator(_datum_niet_in_toekomst)]
# A moment with its UTC offset, not later than now.
VerledenMoment = Annotated[AwareDatetime, AfterValidator(_moment_niet_in_toekomst)]
