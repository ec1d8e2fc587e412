"""Who may call, and which klacht: 403 for the wrong role, 404 outside the caller's scope."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Path

from integriteit_shared.auth.dependencies import require_roles, scope_onderdeel
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.db.loading import load_for_change
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.problems import NotFound
from klachten.klacht.models import Klacht

# Module-level guards: FastAPI caches a dependency per request by identity, so a route that
# asks for the principal and the klacht validates the token once.
indieners = require_roles(Rol.medewerker, Rol.klachtbehandelaar)
lezers = require_roles(Rol.klachtbehandelaar, Rol.cog_secretaris)
behandelaars = require_roles(Rol.klachtbehandelaar)
cog_secretarissen = require_roles(Rol.cog_secretaris)

eigen_indieners = require_roles(Rol.medewerker)

Indiener = Annotated[Principal, Depends(indieners)]
EigenIndiener = Annotated[Principal, Depends(eigen_indieners)]
"""A medewerker reading their own klachten (/mijn/klachten)."""
Lezer = Annotated[Principal, Depends(lezers)]
Behandelaar = Annotated[Principal, Depends(behandelaars)]

KlachtId = Annotated[str, Path(description="Het id van de klacht.", max_length=64)]


def _loader(
    guard: Callable[..., Awaitable[Principal]], *, for_change: bool
) -> Callable[..., Awaitable[Klacht]]:
    async def load(
        klacht_id: KlachtId,
        principal: Annotated[Principal, Depends(guard)],
        session: SessionDep,
    ) -> Klacht:
        def in_scope(klacht: Klacht) -> bool:
            return scope_onderdeel(principal, klacht.defensieonderdeel)

        if for_change:  # transitions serialise per klacht
            return await load_for_change(session, Klacht, klacht_id, visible=in_scope)
        klacht = await session.get(Klacht, klacht_id)
        if klacht is None or not in_scope(klacht):
            raise NotFound()
        return klacht

    return load


LeesbareKlacht = Annotated[Klacht, Depends(_loader(lezers, for_change=False))]
BehandelbareKlacht = Annotated[Klacht, Depends(_loader(behandelaars, for_change=True))]
CogKlacht = Annotated[Klacht, Depends(_loader(cog_secretarissen, for_change=True))]
