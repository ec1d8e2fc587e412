from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from integriteit_shared.auth.dependencies import require_roles, scope_onderdeel
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.db.loading import load_for_change
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.pagination import PageDep, set_link_header
from integriteit_shared.http.problems import NotFound
from meldpunt.common import location
from meldpunt.integriteitsonderzoek import service
from meldpunt.integriteitsonderzoek.models import Integriteitsonderzoek
from meldpunt.integriteitsonderzoek.schemas import (
    IntegriteitsonderzoekAfronding,
    IntegriteitsonderzoekCreate,
    IntegriteitsonderzoekRead,
)
from meldpunt.melding.dependencies import is_uitgesloten

router = APIRouter(tags=["integriteitsonderzoeken"])

Onderzoeker = Annotated[Principal, Depends(require_roles(Rol.coid_onderzoeker))]
Lezer = Annotated[Principal, Depends(require_roles(Rol.coid_onderzoeker, Rol.coid_adviseur))]
OnderzoekId = Annotated[str, Path(alias="id", max_length=36, description="Id van het onderzoek.")]


def _in_scope(principal: Principal) -> Callable[[Integriteitsonderzoek], bool]:
    return lambda onderzoek: scope_onderdeel(principal, onderzoek.defensieonderdeel)


async def _niet_uitgesloten(
    session: SessionDep, onderzoek: Integriteitsonderzoek, principal: Principal
) -> Integriteitsonderzoek:
    """An onderzoek stemming from a melding inherits the melding's exclusions (404)."""
    if onderzoek.melding_id is not None and await is_uitgesloten(
        session, onderzoek.melding_id, principal.sub
    ):
        raise NotFound()
    return onderzoek


async def _laad(
    session: SessionDep, onderzoek_id: str, principal: Principal
) -> Integriteitsonderzoek:
    onderzoek = await session.get(Integriteitsonderzoek, onderzoek_id)
    if onderzoek is None or not _in_scope(principal)(onderzoek):
        raise NotFound()
    return await _niet_uitgesloten(session, onderzoek, principal)


async def _onderzoek_voor_wijziging(
    session: SessionDep, onderzoek_id: OnderzoekId, principal: Onderzoeker
) -> Integriteitsonderzoek:
    onderzoek = await load_for_change(
        session, Integriteitsonderzoek, onderzoek_id, visible=_in_scope(principal)
    )
    return await _niet_uitgesloten(session, onderzoek, principal)


TeWijzigenOnderzoek = Annotated[Integriteitsonderzoek, Depends(_onderzoek_voor_wijziging)]


def to_read(o: Integriteitsonderzoek) -> IntegriteitsonderzoekRead:
    return IntegriteitsonderzoekRead.model_validate(o, from_attributes=True)


@router.post(
    "/integriteitsonderzoeken",
    status_code=201,
    response_model=IntegriteitsonderzoekRead,
    operation_id="startIntegriteitsonderzoek",
    summary="Een integriteitsonderzoek starten (met of zonder melding)",
)
async def start_integriteitsonderzoek(
    body: IntegriteitsonderzoekCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Onderzoeker,
) -> IntegriteitsonderzoekRead:
    onderzoek = await service.starten(session, data=body, principal=principal)
    response.headers["Location"] = location(request, f"/integriteitsonderzoeken/{onderzoek.id}")
    return to_read(onderzoek)


@router.post(
    "/integriteitsonderzoeken/{id}/afronding",
    response_model=IntegriteitsonderzoekRead,
    operation_id="rondIntegriteitsonderzoekAf",
    summary="Een integriteitsonderzoek afronden",
)
async def rond_integriteitsonderzoek_af(
    body: IntegriteitsonderzoekAfronding,
    session: SessionDep,
    onderzoek: TeWijzigenOnderzoek,
) -> IntegriteitsonderzoekRead:
    await service.afronden(
        session, onderzoek=onderzoek, einddatum=body.einddatum, conclusie=body.conclusie
    )
    return to_read(onderzoek)


@router.get(
    "/integriteitsonderzoeken",
    response_model=list[IntegriteitsonderzoekRead],
    operation_id="zoekIntegriteitsonderzoeken",
    summary="Integriteitsonderzoeken zoeken",
)
async def zoek_integriteitsonderzoeken(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Lezer,
    page: PageDep,
    melding_id: Annotated[str | None, Query(alias="meldingId", max_length=36)] = None,
) -> list[IntegriteitsonderzoekRead]:
    rows, total = await service.lijst(
        session,
        scope=principal.defensieonderdeel,
        page=page,
        melding_id=melding_id,
        lezer_sub=principal.sub,
    )
    set_link_header(request, response, page, total)
    return [to_read(o) for o in rows]


@router.get(
    "/integriteitsonderzoeken/{id}",
    response_model=IntegriteitsonderzoekRead,
    operation_id="raadpleegIntegriteitsonderzoek",
    summary="Een integriteitsonderzoek raadplegen",
)
async def raadpleeg_integriteitsonderzoek(
    session: SessionDep, onderzoek_id: OnderzoekId, principal: Lezer
) -> IntegriteitsonderzoekRead:
    return to_read(await _laad(session, onderzoek_id, principal))
