"""Load a melding for the caller: 404 when it does not exist or is outside their scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from integriteit_shared.auth.dependencies import require_roles, scope_onderdeel
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.problems import NotFound
from meldpunt.melding.models import Melding
from meldpunt.volgsessie.dependencies import Lezer, staf_of_volgsessie
from meldpunt.volgsessie.service import VolgsessieToegang

MeldingId = Annotated[str, Path(alias="id", description="Id van de melding.", max_length=36)]

Adviseur = Annotated[Principal, Depends(require_roles(Rol.coid_adviseur))]
MeldingLezerStaf = Annotated[
    Principal, Depends(require_roles(Rol.coid_adviseur, Rol.coid_onderzoeker, Rol.beheerder))
]
DetailLezer = Annotated[
    Lezer,
    Depends(staf_of_volgsessie(Rol.coid_adviseur, Rol.coid_onderzoeker, Rol.beheerder)),
]
BerichtLezer = Annotated[Lezer, Depends(staf_of_volgsessie(Rol.coid_adviseur))]


async def laad_melding(
    session: SessionDep, melding_id: str, lezer: Lezer, *, for_update: bool = False
) -> Melding:
    # FOR UPDATE (PostgreSQL) so two concurrent transitions cannot both pass the check
    melding = await session.get(Melding, melding_id, with_for_update=for_update)
    if melding is None:
        raise NotFound()
    if isinstance(lezer, VolgsessieToegang):
        if lezer.melding_id != melding.id:
            raise NotFound()
    elif not scope_onderdeel(lezer, melding.defensieonderdeel):
        raise NotFound()
    return melding


async def _adviseur_melding(
    session: SessionDep, melding_id: MeldingId, principal: Adviseur
) -> Melding:
    return await laad_melding(session, melding_id, principal, for_update=True)


AdviseurMelding = Annotated[Melding, Depends(_adviseur_melding)]
