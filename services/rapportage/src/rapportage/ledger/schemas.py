from integriteit_shared.schemas import CamelModel


class AfstemmingRegel(CamelModel):
    source: str
    type: str
    aantal: int


class Afstemming(CamelModel):
    totaal: int
    per_bron_en_type: list[AfstemmingRegel]
