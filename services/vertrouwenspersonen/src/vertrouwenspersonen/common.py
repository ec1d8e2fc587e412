"""What this service's domain packages share: the schema base and the date rules."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.pagination import pagina
from integriteit_shared.kalender import AMSTERDAM, vandaag

__all__ = ["AMSTERDAM", "pagina", "vandaag"]


def _niet_in_toekomst(value: date) -> date:
    if value > vandaag():
        raise ValueError("Mag niet in de toekomst liggen.")
    return value


# A business date that has already happened (today or earlier, Amsterdam time).
Verleden = Annotated[date, AfterValidator(_niet_in_toekomst)]


def nieuw_id() -> str:
    return str(uuid.uuid4())


def eigen_onderdeel(principal: Principal, onderdeel: str) -> bool:
    """May this caller write for `onderdeel`? A token without an onderdeel is Defensie-wide."""
    return principal.defensieonderdeel is None or principal.defensieonderdeel == onderdeel


class Schema(BaseModel):
    """Output: lowerCamelCase JSON."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class InputSchema(BaseModel):
    """Input: lowerCamelCase JSON; unknown fields are refused (no names sneak in)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")
