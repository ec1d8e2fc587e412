from __future__ import annotations

from pydantic import AwareDatetime, Field

from integriteit_shared.schemas import CamelInput, CamelModel


class VolgsessieCreate(CamelInput):
    volgcode: str = Field(min_length=20, max_length=64)


class VolgsessieRead(CamelModel):
    melding_id: str
    token: str = Field(
        description="Bearer-token (`Authorization: Bearer vs_...`) voor deze ene melding."
    )
    verloopt_op: AwareDatetime
    ongelezen_berichten: int = Field(
        description="Berichten van het meldpunt die nog niet gelezen zijn (een anonieme "
        "melder krijgt geen mail: dit is waar hij het ziet)."
    )
