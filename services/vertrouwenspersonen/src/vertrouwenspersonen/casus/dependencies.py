from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.db.loading import load_for_change
from integriteit_shared.http.app import SessionDep
from vertrouwenspersonen.casus.models import Casus

Adviseur = Annotated[Principal, Depends(require_roles(Rol.vertrouwenspersoon))]
Cvp = Annotated[Principal, Depends(require_roles(Rol.cvp))]


async def load_eigen_casus(id: str, session: SessionDep, principal: Adviseur) -> Casus:
    """The caller's own casus (locked for a transition); another adviser's casus is a 404."""
    return await load_for_change(
        session, Casus, id, visible=lambda casus: casus.eigenaar == principal.sub
    )


EigenCasus = Annotated[Casus, Depends(load_eigen_casus)]
