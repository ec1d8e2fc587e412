from __future__ import annotations

from integriteit_shared.schemas import CamelModel


class Afwijzing(CamelModel):
    id: str | None
    reden: str


class IngressUitslag(CamelModel):
    geaccepteerd: int
    dubbel: int
    afgewezen: list[Afwijzing]
