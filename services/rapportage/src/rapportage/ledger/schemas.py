from datetime import datetime
from typing import Any

from pydantic import Field

from integriteit_shared.schemas import CamelInput, CamelModel


class AfstemmingRegel(CamelModel):
    source: str
    type: str
    aantal: int


class HistorischeImportRead(CamelModel):
    id: str
    moment: datetime = Field(description="Wanneer de import is uitgevoerd.")
    door: str = Field(description="De `sub` van de beheerder die importeerde.")
    aantal: int = Field(description="Gebeurtenissen nieuw in het grootboek.")
    dubbel: int = Field(description="Gebeurtenissen die er al in stonden (bron + id).")
    vroegste: datetime = Field(description="Het vroegste oorspronkelijke registratiemoment.")
    laatste: datetime = Field(description="Het laatste oorspronkelijke registratiemoment.")


class HistorischeImportCreate(CamelInput):
    gebeurtenissen: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=1000,
        description=(
            "CloudEvents 1.0 in structured JSON; `time` is het oorspronkelijke "
            "registratiemoment, waarop de gebeurtenis in het grootboek wordt geboekt."
        ),
    )


class Afstemming(CamelModel):
    totaal: int
    per_bron_en_type: list[AfstemmingRegel]
    historische_imports: list[HistorischeImportRead] = Field(
        description="Geschiedenis die met haar oorspronkelijke registratiemomenten is geladen."
    )
