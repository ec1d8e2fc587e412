"""Load a melding for the caller: 404 when it does not exist or is outside their scope.

A route that changes a melding (or adds to it) takes it through `load_for_change`: scoped
and row-locked, so concurrent requests on one melding are serialised."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from integriteit_shared.auth.dependencies import require_roles, scope_onderdeel
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.db.loading import load_for_change
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


def zichtbaar_voor(lezer: Lezer, melding: Melding) -> bool:
    """A volgsessie sees its own melding only; staff see the meldingen in their scope."""
    if isinstance(lezer, VolgsessieToegang):
        return lezer.melding_id == melding.id
    return scope_onderdeel(lezer, melding.defensieonderdeel)


async def laad_melding(session: SessionDep, melding_id: str, lezer: Lezer) -> Melding:
    """For reading: no lock."""
    melding = await session.get(Melding, melding_id)
    if melding is None or not zichtbaar_voor(lezer, melding):
        raise NotFound()
    return melding


async def laad_melding_voor_wijziging(
    session: SessionDep, melding_id: str, lezer: Lezer
) -> Melding:
    return await load_for_change(
        session, Melding, melding_id, visible=lambda melding: zichtbaar_voor(lezer, melding)
    )


async def _adviseur_melding(
    session: SessionDep, melding_id: MeldingId, principal: Adviseur
) -> Melding:
    return await laad_melding_voor_wijziging(session, melding_id, principal)


async def _bericht_melding(
    session: SessionDep, melding_id: MeldingId, lezer: BerichtLezer
) -> Melding:
    return await laad_melding_voor_wijziging(session, melding_id, lezer)


AdviseurMelding = Annotated[Melding, Depends(_adviseur_melding)]
"""A melding an adviser changes: scoped and locked."""
BerichtMelding = Annotated[Melding, Depends(_bericht_melding)]
"""A melding a message is added to (adviser or its volgsessie): scoped and locked."""
