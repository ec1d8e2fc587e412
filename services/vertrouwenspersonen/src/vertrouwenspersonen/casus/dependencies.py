from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy import select

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.problems import NotFound
from vertrouwenspersonen.casus.models import Casus

Adviseur = Annotated[Principal, Depends(require_roles(Rol.vertrouwenspersoon))]
Cvp = Annotated[Principal, Depends(require_roles(Rol.cvp))]


async def load_eigen_casus(id: str, session: SessionDep, principal: Adviseur) -> Casus:
    """The caller's own casus (locked for a transition); another adviser's casus is a 404."""
    casus = await session.scalar(
        select(Casus).where(Casus.id == id, Casus.eigenaar == principal.sub).with_for_update()
    )
    if casus is None:
        raise NotFound()
    return casus


EigenCasus = Annotated[Casus, Depends(load_eigen_casus)]
