from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Afwijzing(_Model):
    id: str | None
    reden: str


class IngressUitslag(_Model):
    geaccepteerd: int
    dubbel: int
    afgewezen: list[Afwijzing]
