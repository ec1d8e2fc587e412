"""Load a melding for the caller: 404 when it does not exist, is outside their scope or
they are excluded from it; 403 when it has a behandelaar and the caller may not act on it.

A route that changes a melding (or adds to it) takes it through `load_for_change`: scoped
and row-locked, so concurrent requests on one melding are serialised."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.auth.dependencies import require_roles, scope_onderdeel
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.db.loading import load_for_change
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.problems import Forbidden, NotFound
from meldpunt.behandeling.models import Uitsluiting
from meldpunt.melding.models import Melding
from meldpunt.volgsessie.dependencies import Lezer, staf_of_volgsessie
from meldpunt.volgsessie.service import VolgsessieToegang

MeldingId = Annotated[str, Path(alias="id", description="Id van de melding.", max_length=36)]

# who handles meldingen: advisers, and the coordinators who distribute them
BEHANDELROLLEN = (Rol.coid_adviseur, Rol.coid_coordinator)
LEESROLLEN = (Rol.coid_adviseur, Rol.coid_coordinator, Rol.coid_onderzoeker, Rol.beheerder)

Adviseur = Annotated[Principal, Depends(require_roles(*BEHANDELROLLEN))]
"""An adviser or a coordinator: the roles that handle meldingen."""
MeldingLezerStaf = Annotated[Principal, Depends(require_roles(*LEESROLLEN))]
DetailLezer = Annotated[Lezer, Depends(staf_of_volgsessie(*LEESROLLEN))]
BerichtLezer = Annotated[Lezer, Depends(staf_of_volgsessie(*BEHANDELROLLEN))]


def is_coordinator(principal: Principal) -> bool:
    return principal.has_any(Rol.coid_coordinator)


def niet_uitgesloten(sub: str) -> ColumnElement[bool]:
    """For list queries over meldingen: leaves out those `sub` is excluded from."""
    return ~exists().where(Uitsluiting.melding_id == Melding.id, Uitsluiting.sub == sub)


async def is_uitgesloten(session: AsyncSession, melding_id: str, sub: str) -> bool:
    found = await session.scalar(
        select(Uitsluiting.id).where(Uitsluiting.melding_id == melding_id, Uitsluiting.sub == sub)
    )
    return found is not None


def zichtbaar_voor(lezer: Lezer, melding: Melding) -> bool:
    """A volgsessie sees its own melding only; staff see the meldingen in their scope."""
    if isinstance(lezer, VolgsessieToegang):
        return lezer.melding_id == melding.id
    return scope_onderdeel(lezer, melding.defensieonderdeel)


async def _niet_voor_uitgeslotenen(session: AsyncSession, melding: Melding, lezer: Lezer) -> None:
    if isinstance(lezer, Principal) and await is_uitgesloten(session, melding.id, lezer.sub):
        raise NotFound()


async def laad_melding(session: AsyncSession, melding_id: str, lezer: Lezer) -> Melding:
    """For reading: no lock."""
    melding = await session.get(Melding, melding_id)
    if melding is None or not zichtbaar_voor(lezer, melding):
        raise NotFound()
    await _niet_voor_uitgeslotenen(session, melding, lezer)
    return melding


async def laad_melding_voor_wijziging(
    session: AsyncSession, melding_id: str, lezer: Lezer
) -> Melding:
    melding = await load_for_change(
        session, Melding, melding_id, visible=lambda melding: zichtbaar_voor(lezer, melding)
    )
    await _niet_voor_uitgeslotenen(session, melding, lezer)
    return melding


def mag_behandelen(lezer: Lezer, melding: Melding) -> None:
    """Once a melding has a behandelaar, only they and coordinators act on it (403)."""
    if isinstance(lezer, VolgsessieToegang) or melding.behandelaar is None:
        return
    if lezer.sub != melding.behandelaar and not is_coordinator(lezer):
        raise Forbidden("Deze melding is toegewezen aan een andere behandelaar.")


def is_behandelaar_of_coordinator(principal: Principal, melding: Melding) -> bool:
    return is_coordinator(principal) or (
        melding.behandelaar is not None and principal.sub == melding.behandelaar
    )


async def _adviseur_melding(
    session: SessionDep, melding_id: MeldingId, principal: Adviseur
) -> Melding:
    melding = await laad_melding_voor_wijziging(session, melding_id, principal)
    mag_behandelen(principal, melding)
    return melding


async def _bericht_melding(
    session: SessionDep, melding_id: MeldingId, lezer: BerichtLezer
) -> Melding:
    melding = await laad_melding_voor_wijziging(session, melding_id, lezer)
    mag_behandelen(lezer, melding)
    return melding


async def _te_lezen_melding(
    session: SessionDep, melding_id: MeldingId, principal: Adviseur
) -> Melding:
    return await laad_melding(session, melding_id, principal)


AdviseurMelding = Annotated[Melding, Depends(_adviseur_melding)]
"""A melding an adviser (its behandelaar, once assigned) or a coordinator changes: scoped,
locked, and not excluded."""
BerichtMelding = Annotated[Melding, Depends(_bericht_melding)]
"""A melding a message is added to (adviser or its volgsessie): scoped and locked."""
BehandelMelding = Annotated[Melding, Depends(_te_lezen_melding)]
"""A melding an adviser or coordinator reads: scoped and not excluded, no lock."""
