"""A named melder follows up their own meldingen with their own token (/mijn/...).

The melding is found through its keyed hash of the caller's `sub`: the database holds no
list of who reported. Another medewerker gets 404, as for a melding that does not exist."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import AwareDatetime, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared import codes
from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.db.loading import load_for_change
from integriteit_shared.http.app import CipherDep, KoppelaarDep, PlannerDep, SessionDep
from integriteit_shared.http.body import body_limiet
from integriteit_shared.http.middleware import request_id
from integriteit_shared.http.pagination import PageDep, pagina, set_link_header
from integriteit_shared.http.problems import NotFound
from integriteit_shared.schemas import CamelModel
from meldpunt.bericht import service as berichten
from meldpunt.bericht.schemas import BerichtCreate, BerichtRead
from meldpunt.bijlage.router import UPLOAD, UPLOAD_FOUTEN, BijlageRead, bijlage_opslaan
from meldpunt.bijlage.service import MAX_BODY_BYTES
from meldpunt.common import location
from meldpunt.melding.dependencies import MeldingId
from meldpunt.melding.models import Melding
from meldpunt.melding.schemas import Termijnen

router = APIRouter(tags=["mijn meldingen"])

Melder = Annotated[Principal, Depends(require_roles(Rol.medewerker, Rol.leidinggevende))]


class MijnMelding(CamelModel):
    """What a named melder sees of their own melding: its progress, not its handling."""

    id: str
    referentie: str
    status: codes.MeldingStatus
    ontvangen_op: AwareDatetime
    termijnen: Termijnen
    ontvangstbevestiging_datum: date | None
    terugkoppeling_datum: date | None
    afronding_datum: date | None
    ongelezen_berichten: int = Field(description="Berichten van het meldpunt die u nog niet las.")


def _mijn(m: Melding, ongelezen: int) -> MijnMelding:
    return MijnMelding.model_validate(
        {
            "id": m.id,
            "referentie": m.referentie,
            "status": m.status,
            "ontvangen_op": m.ontvangen_op,
            "termijnen": {
                "ontvangstbevestiging_uiterlijk": m.ontvangstbevestiging_uiterlijk,
                "terugkoppeling_uiterlijk": m.terugkoppeling_uiterlijk,
            },
            "ontvangstbevestiging_datum": m.ontvangstbevestiging_datum,
            "terugkoppeling_datum": m.terugkoppeling_datum,
            "afronding_datum": m.afronding_datum,
            "ongelezen_berichten": ongelezen,
        }
    )


async def _eigen(
    session: AsyncSession, melding_id: str, koppeling: str, *, wijzigen: bool = False
) -> Melding:
    if wijzigen:
        melding: Melding | None = await load_for_change(
            session, Melding, melding_id, visible=lambda m: m.melder_koppeling == koppeling
        )
    else:
        melding = await session.get(Melding, melding_id)
    if melding is None or melding.melder_koppeling != koppeling:
        raise NotFound()
    return melding


@router.get(
    "/mijn/meldingen",
    response_model=list[MijnMelding],
    operation_id="zoekMijnMeldingen",
    summary="De meldingen die u onder eigen naam deed: status, termijnen, ongelezen berichten",
)
async def zoek_mijn_meldingen(
    request: Request,
    response: Response,
    session: SessionDep,
    koppelaar: KoppelaarDep,
    principal: Melder,
    page: PageDep,
) -> list[MijnMelding]:
    query = (
        select(Melding)
        .where(Melding.melder_koppeling == koppelaar(principal.sub))
        .order_by(Melding.ontvangen_op.desc(), Melding.referentie.desc())
    )
    rows, total = await pagina(session, query, page)
    ongelezen = await berichten.ongelezen(session, [m.id for m in rows])
    set_link_header(request, response, page, total)
    return [_mijn(m, ongelezen.get(m.id, 0)) for m in rows]


@router.get(
    "/mijn/meldingen/{id}",
    response_model=MijnMelding,
    operation_id="raadpleegMijnMelding",
    summary="Een eigen melding raadplegen",
)
async def raadpleeg_mijn_melding(
    session: SessionDep, koppelaar: KoppelaarDep, melding_id: MeldingId, principal: Melder
) -> MijnMelding:
    melding = await _eigen(session, melding_id, koppelaar(principal.sub))
    return _mijn(melding, (await berichten.ongelezen(session, [melding.id])).get(melding.id, 0))


@router.get(
    "/mijn/meldingen/{id}/berichten",
    response_model=list[BerichtRead],
    operation_id="leesMijnBerichten",
    summary="De berichten bij een eigen melding lezen",
)
async def lees_mijn_berichten(
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    koppelaar: KoppelaarDep,
    melding_id: MeldingId,
    principal: Melder,
    page: PageDep,
) -> list[BerichtRead]:
    melding = await _eigen(session, melding_id, koppelaar(principal.sub))
    lijst, total = await berichten.lezen(
        session,
        cipher=cipher,
        melding_id=melding.id,
        deelnemer=berichten.Deelnemer.eigen_melder(),
        page=page,
        request_id=request_id(request),
    )
    set_link_header(request, response, page, total)
    return lijst


@router.post(
    "/mijn/meldingen/{id}/berichten",
    status_code=201,
    response_model=BerichtRead,
    operation_id="plaatsMijnBericht",
    summary="Een bericht plaatsen bij een eigen melding",
)
async def plaats_mijn_bericht(
    body: BerichtCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    planner: PlannerDep,
    koppelaar: KoppelaarDep,
    melding_id: MeldingId,
    principal: Melder,
) -> BerichtRead:
    melding = await _eigen(session, melding_id, koppelaar(principal.sub), wijzigen=True)
    bericht = await berichten.plaatsen(
        session,
        cipher=cipher,
        planner=planner,
        melding=melding,
        deelnemer=berichten.Deelnemer.eigen_melder(),
        tekst=body.tekst,
        request_id=request_id(request),
    )
    response.headers["Location"] = location(request, f"/mijn/meldingen/{melding.id}/berichten")
    return bericht


@router.post(
    "/mijn/meldingen/{id}/bijlagen",
    status_code=201,
    response_model=BijlageRead,
    operation_id="voegMijnBijlageToe",
    summary="Een bijlage toevoegen aan een eigen melding",
    openapi_extra=UPLOAD,
    responses=UPLOAD_FOUTEN,
)
@body_limiet(MAX_BODY_BYTES)
async def voeg_mijn_bijlage_toe(
    request: Request,
    session: SessionDep,
    cipher: CipherDep,
    koppelaar: KoppelaarDep,
    melding_id: MeldingId,
    principal: Melder,
) -> BijlageRead:
    async def laden() -> Melding:
        return await _eigen(session, melding_id, koppelaar(principal.sub), wijzigen=True)

    return await bijlage_opslaan(
        request, session, cipher, laden, lambda _melding: berichten.Deelnemer.eigen_melder()
    )
