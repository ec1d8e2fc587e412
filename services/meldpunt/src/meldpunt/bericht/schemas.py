from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field
from typing_extensions import TypeAliasType

from integriteit_shared.schemas import CamelInput, CamelModel

Afzender = TypeAliasType("Afzender", Literal["melder", "adviseur"])


class BerichtCreate(CamelInput):
    tekst: str = Field(min_length=1, max_length=5_000)


class BerichtRead(CamelModel):
    id: str
    melding_id: str
    afzender: Afzender
    tekst: str
    verzonden_op: AwareDatetime
