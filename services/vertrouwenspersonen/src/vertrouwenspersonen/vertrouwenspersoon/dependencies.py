from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy import select

from integriteit_shared.auth.dependencies import require_roles, scope_onderdeel
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.problems import NotFound
from vertrouwenspersonen.vertrouwenspersoon.models import Vertrouwenspersoon

Cvp = Annotated[Principal, Depends(require_roles(Rol.cvp))]


async def load_vertrouwenspersoon(
    id: str, session: SessionDep, principal: Cvp
) -> Vertrouwenspersoon:
    """The appointment, locked for the transition; 404 when absent or of another onderdeel."""
    vp = await session.scalar(
        select(Vertrouwenspersoon).where(Vertrouwenspersoon.id == id).with_for_update()
    )
    if vp is None or not scope_onderdeel(principal, vp.defensieonderdeel):
        raise NotFound()
    return vp


CurrentVertrouwenspersoon = Annotated[Vertrouwenspersoon, Depends(load_vertrouwenspersoon)]
