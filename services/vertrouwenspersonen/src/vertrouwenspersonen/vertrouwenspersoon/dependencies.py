from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from integriteit_shared.auth.dependencies import require_roles, scope_onderdeel
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.db.loading import load_for_change
from integriteit_shared.http.app import SessionDep
from vertrouwenspersonen.vertrouwenspersoon.models import Vertrouwenspersoon

Cvp = Annotated[Principal, Depends(require_roles(Rol.cvp))]


async def load_vertrouwenspersoon(
    id: str, session: SessionDep, principal: Cvp
) -> Vertrouwenspersoon:
    """The appointment, locked for the transition; 404 when absent or of another onderdeel."""
    return await load_for_change(
        session,
        Vertrouwenspersoon,
        id,
        visible=lambda vp: scope_onderdeel(principal, vp.defensieonderdeel),
    )


CurrentVertrouwenspersoon = Annotated[Vertrouwenspersoon, Depends(load_vertrouwenspersoon)]
