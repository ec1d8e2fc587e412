from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class AfstemmingRegel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    source: str
    type: str
    aantal: int


class Afstemming(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    totaal: int
    per_bron_en_type: list[AfstemmingRegel]
