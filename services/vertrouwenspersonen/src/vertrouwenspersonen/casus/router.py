from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from integriteit_shared import codes
from integriteit_shared.auth.dependencies import scope_onderdeel as eigen_onderdeel
from integriteit_shared.http.app import CipherDep, SessionDep, get_settings
from integriteit_shared.http.pagination import PageDep, set_link_header
from integriteit_shared.http.problems import Forbidden
from vertrouwenspersonen.casus import service
from vertrouwenspersonen.casus.dependencies import Adviseur, Cvp, EigenCasus
from vertrouwenspersonen.casus.models import Casus
from vertrouwenspersonen.casus.schemas import (
    AfsluitingCreate,
    CasusCreate,
    CasusDetail,
    CasusRead,
    CasusStatus,
    CasusTellingen,
)

router = APIRouter(tags=["casussen"])


def _read(casus: Casus) -> CasusRead:
    return CasusRead(
        id=casus.id,
        defensieonderdeel=casus.defensieonderdeel,
        datum=casus.datum,
        hoofdcategorie=casus.hoofdcategorie,
        subcategorie=casus.subcategorie,
        status=casus.status,
        afsluitdatum=casus.afsluitdatum,
        doorverwezen_naar=casus.doorverwezen_naar,
        heeft_notitie=casus.notitie is not None,
    )


@router.post(
    "/casussen",
    status_code=201,
    response_model=CasusRead,
    summary="Een anonieme casus registreren",
    description="Zonder namen. Een token met defensieonderdeel registreert alleen voor dat "
    "onderdeel (anders 403). De notitie wordt versleuteld opgeslagen en niet teruggegeven.",
    operation_id="casusRegistreren",
)
async def registreren(
    body: CasusCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    principal: Adviseur,
) -> CasusRead:
    if not eigen_onderdeel(principal, body.defensieonderdeel):
        raise Forbidden("U kunt alleen casussen van uw eigen defensieonderdeel registreren.")
    casus = await service.registreren(
        session,
        cipher,
        eigenaar=principal.sub,
        defensieonderdeel=body.defensieonderdeel,
        datum=body.datum,
        hoofdcategorie=body.hoofdcategorie,
        subcategorie=body.subcategorie,
        notitie=body.notitie,
        request_id=getattr(request.state, "request_id", None),
    )
    response.headers["Location"] = f"{request.url.path}/{casus.id}"
    return _read(casus)


@router.get(
    "/casussen",
    response_model=list[CasusRead],
    summary="De eigen casussen (zonder notities)",
    operation_id="casussenZoeken",
)
async def lijst(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Adviseur,
    page: PageDep,
    status: CasusStatus | None = None,
    hoofdcategorie: codes.Hoofdcategorie | None = None,
    datum_vanaf: Annotated[date | None, Query(alias="datumVanaf")] = None,
    datum_tot: Annotated[date | None, Query(alias="datumTot")] = None,
) -> list[CasusRead]:
    rows, total = await service.lijst(
        session,
        eigenaar=principal.sub,
        status=status,
        hoofdcategorie=hoofdcategorie,
        datum_vanaf=datum_vanaf,
        datum_tot=datum_tot,
        page=page,
    )
    set_link_header(request, response, page, total)
    return [_read(c) for c in rows]


@router.get(
    "/casussen/tellingen",
    response_model=CasusTellingen,
    summary="Aantallen casussen per hoofdcategorie voor de cvp",
    description="Casussen met een datum in het jaar, per hoofdcategorie, voor het "
    "defensieonderdeel van het token. Aantallen van 1 tot en met de drempel (standaard 4) "
    "worden onderdrukt, en zoveel andere cellen (ook van andere onderdelen) dat geen "
    "onderdrukt aantal uit de getoonde aantallen en totalen is af te leiden. Het totaal "
    "van een onderdeel wordt onderdrukt zoals rapportage het onderdrukt (`/indicatoren`, "
    "vertrouwenspersonen.casussen). Voor het lopende jaar tellen per onderdeel de casussen "
    "die op het laatste maandeinde geregistreerd waren, zodat verschillen tussen dagen geen "
    "casus aan een onderdeel verraden. Een token zonder defensieonderdeel kiest met "
    "`defensieonderdeel` een onderdeel of ziet heel Defensie (niet onderdrukt).",
    operation_id="casusTellingenOpvragen",
)
async def tellingen(
    request: Request,
    session: SessionDep,
    principal: Cvp,
    jaar: Annotated[int, Query(ge=2000, le=2100)],
    defensieonderdeel: codes.Defensieonderdeel | None = None,
) -> CasusTellingen:
    onderdeel = principal.defensieonderdeel or defensieonderdeel
    if defensieonderdeel is not None and onderdeel != defensieonderdeel:
        raise Forbidden("U ziet alleen aantallen van uw eigen defensieonderdeel.")
    drempel = get_settings(request).onderdrukking_tot_en_met
    totaal, per = await service.tellingen(session, jaar=jaar, onderdeel=onderdeel, drempel=drempel)
    return CasusTellingen(
        jaar=jaar,
        defensieonderdeel=onderdeel,
        totaal=totaal,
        per_hoofdcategorie=per,
    )


@router.get(
    "/casussen/{id}",
    response_model=CasusDetail,
    summary="Eén eigen casus, met de notitie",
    description="Alleen de vertrouwenspersoon die de casus registreerde (anders 404). Het lezen "
    "van de notitie wordt vastgelegd in het auditlog.",
    operation_id="casusOpvragen",
)
async def opvragen(
    request: Request,
    session: SessionDep,
    cipher: CipherDep,
    principal: Adviseur,
    casus: EigenCasus,
) -> CasusDetail:
    notitie = await service.notitie_lezen(
        session,
        cipher,
        casus=casus,
        lezer=principal.sub,
        request_id=getattr(request.state, "request_id", None),
    )
    return CasusDetail(**_read(casus).model_dump(), notitie=notitie)


@router.post(
    "/casussen/{id}/afsluiting",
    response_model=CasusRead,
    summary="Een eigen casus afsluiten, eventueel met doorverwijzing",
    description="Eén keer (daarna 409); `datum` niet vóór de datum van de casus.",
    operation_id="casusAfsluiten",
)
async def afsluiten(body: AfsluitingCreate, session: SessionDep, casus: EigenCasus) -> CasusRead:
    return _read(
        await service.afsluiten(
            session, casus=casus, datum=body.datum, doorverwezen_naar=body.doorverwezen_naar
        )
    )
