from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from integriteit_shared.auth.dependencies import require_roles, scope_onderdeel
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.problems import NotFound
from vertrouwenspersonen.informeel_gesprek.models import InformeelGesprek

Adviseur = Annotated[Principal, Depends(require_roles(Rol.vertrouwenspersoon))]
Lezer = Annotated[Principal, Depends(require_roles(Rol.vertrouwenspersoon, Rol.cvp))]


async def load_telling(id: str, session: SessionDep, principal: Lezer) -> InformeelGesprek:
    telling = await session.get(InformeelGesprek, id)
    if telling is None or not scope_onderdeel(principal, telling.defensieonderdeel):
        raise NotFound()
    return telling


Telling = Annotated[InformeelGesprek, Depends(load_telling)]
