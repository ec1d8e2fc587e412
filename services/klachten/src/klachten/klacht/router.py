"""HTTP for klachten: translate requests to service calls and results to responses."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from integriteit_shared import codes
from integriteit_shared.auth.roles import Rol
from integriteit_shared.http.app import CipherDep, KoppelaarDep, PlannerDep, SessionDep
from integriteit_shared.http.middleware import request_id as _request_id
from integriteit_shared.http.pagination import PageDep, set_link_header
from integriteit_shared.http.problems import Forbidden, NotFound
from integriteit_shared.kalender import vandaag
from klachten.klacht import service
from klachten.klacht.dependencies import (
    Behandelaar,
    BehandelbareKlacht,
    CogKlacht,
    EigenIndiener,
    Indiener,
    KlachtId,
    LeesbareKlacht,
    Lezer,
)
from klachten.klacht.models import Klacht
from klachten.klacht.schemas import (
    AfhandelingCreate,
    CogAdviesCreate,
    CogBehandelingCreate,
    KlachtCreate,
    KlachtDetail,
    KlachtRead,
    KlachtStatus,
    TermijnbewakingItem,
    VerdagingCreate,
)

router = APIRouter(tags=["klachten"])

_409: dict[int | str, dict[str, Any]] = {
    409: {"description": "De overgang past niet bij de huidige status."}
}
_404: dict[int | str, dict[str, Any]] = {
    404: {"description": "Niet gevonden (ook buiten het eigen defensieonderdeel)."}
}


def _read(klacht: Klacht) -> KlachtRead:
    return KlachtRead(
        id=klacht.id,
        status=klacht.status,
        soort=klacht.soort,
        indiener=klacht.indiener,
        defensieonderdeel=klacht.defensieonderdeel,
        ontvangen_op=klacht.ontvangen_op,
        termijn_uiterlijk=klacht.termijn_uiterlijk,
        cog_behandeling_datum=klacht.cog_behandeling_datum,
        cog_advies=klacht.cog_advies,
        cog_advies_datum=klacht.cog_advies_datum,
        afhandeling_datum=klacht.afhandeling_datum,
        wijze=klacht.afhandeling_wijze,
        oordeel=klacht.afhandeling_oordeel,
        verdaging_weken=klacht.verdaging_weken,
    )


@router.post(
    "/klachten",
    status_code=201,
    response_model=KlachtRead,
    operation_id="klachtIndienen",
    summary="Een klacht indienen of een op papier ontvangen klacht registreren",
    description=(
        "Een `medewerker` dient een eigen klacht in (ontvangen: nu; `ontvangenOp` is dan niet "
        "toegestaan). Een `klachtbehandelaar` registreert een op papier ontvangen klacht met "
        "het werkelijke `ontvangenOp` (nooit in de toekomst). Het antwoord bevat de "
        "`termijnUiterlijk` (ontvangstdatum + 6 weken)."
    ),
)
async def klacht_indienen(
    body: KlachtCreate,
    principal: Indiener,
    session: SessionDep,
    cipher: CipherDep,
    planner: PlannerDep,
    koppelaar: KoppelaarDep,
    request: Request,
    response: Response,
) -> KlachtRead:
    staff = principal.has_any(Rol.klachtbehandelaar)
    # A scoped klachtbehandelaar would not see a klacht of another onderdeel afterwards.
    buiten_scope = principal.defensieonderdeel not in (None, body.defensieonderdeel)
    if staff and buiten_scope and not principal.has_any(Rol.medewerker):
        raise Forbidden("U kunt alleen klachten van uw eigen defensieonderdeel registreren.")
    klacht = await service.indienen(
        session,
        data=body,
        principal=principal,
        staff=staff,
        cipher=cipher,
        planner=planner,
        koppelaar=koppelaar,
        request_id=_request_id(request),
    )
    response.headers["Location"] = str(request.url_for("klachtOpvragen", klacht_id=klacht.id))
    return _read(klacht)


@router.get(
    "/klachten",
    response_model=list[KlachtRead],
    operation_id="klachtenOpvragen",
    summary="Klachten opvragen (zonder vrije tekst)",
    description=(
        "Gesorteerd op `ontvangenOp` aflopend, dan `id`. Een token met `defensieonderdeel` "
        "ziet alleen de klachten van dat onderdeel."
    ),
)
async def klachten_opvragen(
    principal: Lezer,
    session: SessionDep,
    page: PageDep,
    request: Request,
    response: Response,
    status: Annotated[KlachtStatus | None, Query(description="Filter op status.")] = None,
    soort: Annotated[codes.KlachtSoort | None, Query(description="Filter op soort.")] = None,
    defensieonderdeel: Annotated[
        codes.Defensieonderdeel | None, Query(description="Filter op defensieonderdeel.")
    ] = None,
) -> list[KlachtRead]:
    klachten, total = await service.lijst(
        session,
        principal=principal,
        page=page,
        status=status,
        soort=soort,
        defensieonderdeel=defensieonderdeel,
    )
    set_link_header(request, response, page, total)
    return [_read(k) for k in klachten]


@router.get(
    "/klachten/{klacht_id}",
    name="klachtOpvragen",
    response_model=KlachtDetail,
    responses=_404,
    operation_id="klachtOpvragen",
    summary="Eén klacht opvragen, met omschrijving",
    description="Het lezen van de omschrijving en de reden van verdaging wordt gelogd.",
)
async def klacht_opvragen(
    klacht: LeesbareKlacht,
    principal: Lezer,
    session: SessionDep,
    cipher: CipherDep,
    request: Request,
) -> KlachtDetail:
    tekst = await service.beschermd_lezen(
        session, klacht=klacht, principal=principal, cipher=cipher, request_id=_request_id(request)
    )
    return KlachtDetail(
        **_read(klacht).model_dump(),
        omschrijving=tekst.omschrijving,
        verdaging_reden=tekst.verdaging_reden,
    )


@router.post(
    "/klachten/{klacht_id}/cog-behandeling",
    response_model=KlachtRead,
    responses={**_404, **_409},
    operation_id="cogBehandelingStarten",
    summary="De klacht voorleggen aan de Commissie Ongewenst Gedrag",
    description=(
        "Alleen (eenmaal) vanuit `ingediend`; status wordt `cog_behandeling` en de termijn "
        "wordt ontvangstdatum + 10 weken (plus een eventuele verdaging)."
    ),
)
async def cog_behandeling_starten(
    body: CogBehandelingCreate, klacht: BehandelbareKlacht, session: SessionDep, planner: PlannerDep
) -> KlachtRead:
    return _read(
        await service.cog_behandeling_starten(session, klacht=klacht, data=body, planner=planner)
    )


@router.post(
    "/klachten/{klacht_id}/cog-advies",
    response_model=KlachtRead,
    responses={**_404, **_409},
    operation_id="cogAdviesUitbrengen",
    summary="Het advies van de Commissie Ongewenst Gedrag vastleggen",
    description="Alleen vanuit `cog_behandeling`; status wordt `cog_advies`.",
)
async def cog_advies_uitbrengen(
    body: CogAdviesCreate, klacht: CogKlacht, session: SessionDep, planner: PlannerDep
) -> KlachtRead:
    return _read(
        await service.cog_advies_uitbrengen(session, klacht=klacht, data=body, planner=planner)
    )


@router.post(
    "/klachten/{klacht_id}/afhandeling",
    response_model=KlachtRead,
    responses={**_404, **_409},
    operation_id="klachtAfhandelen",
    summary="De afhandeling van de klacht vastleggen",
    description=(
        "Vanuit `ingediend` (informeel of met een besluit) of na het COG-advies (alleen "
        "`besluit`). Tijdens de COG-behandeling zonder advies: 409. Status wordt `afgehandeld`."
    ),
)
async def klacht_afhandelen(
    body: AfhandelingCreate, klacht: BehandelbareKlacht, session: SessionDep, planner: PlannerDep
) -> KlachtRead:
    return _read(await service.afhandelen(session, klacht=klacht, data=body, planner=planner))


@router.post(
    "/klachten/{klacht_id}/verdaging",
    response_model=KlachtRead,
    responses={**_404, **_409},
    operation_id="klachtVerdagen",
    summary="De afhandeling eenmaal verdagen (1 tot 4 weken)",
    description=(
        "Eenmaal per klacht en niet na afhandeling (anders 409). De termijn schuift de "
        "opgegeven weken op; de reden wordt versleuteld opgeslagen."
    ),
)
async def klacht_verdagen(
    body: VerdagingCreate,
    klacht: BehandelbareKlacht,
    principal: Behandelaar,
    session: SessionDep,
    cipher: CipherDep,
    planner: PlannerDep,
    request: Request,
) -> KlachtRead:
    return _read(
        await service.verdagen(
            session,
            klacht=klacht,
            data=body,
            principal=principal,
            cipher=cipher,
            planner=planner,
            request_id=_request_id(request),
        )
    )


@router.get(
    "/termijnbewaking",
    response_model=list[TermijnbewakingItem],
    operation_id="termijnbewakingOpvragen",
    summary="Open klachten waarvan de termijn verstreken is of binnenkort verstrijkt",
    description=(
        "Open klachten met `termijnUiterlijk` vóór of binnen `binnenDagen` dagen na vandaag "
        "(Europe/Amsterdam), gesorteerd op `termijnUiterlijk`, `ontvangenOp`, `id`."
    ),
)
async def termijnbewaking_opvragen(
    principal: Behandelaar,
    session: SessionDep,
    page: PageDep,
    request: Request,
    response: Response,
    binnen_dagen: Annotated[
        int,
        Query(alias="binnenDagen", ge=0, le=366, description="Vooruitkijken in dagen."),
    ] = 7,
) -> list[TermijnbewakingItem]:
    peildag = vandaag()
    klachten, total = await service.termijnbewaking(
        session, principal=principal, page=page, binnen_dagen=binnen_dagen, peildag=peildag
    )
    set_link_header(request, response, page, total)
    return [
        TermijnbewakingItem(
            id=k.id,
            status=k.status,
            soort=k.soort,
            defensieonderdeel=k.defensieonderdeel,
            ontvangen_op=k.ontvangen_op,
            termijn_uiterlijk=k.termijn_uiterlijk,
            dagen_resterend=(k.termijn_uiterlijk - peildag).days,
        )
        for k in klachten
    ]


@router.get(
    "/mijn/klachten",
    response_model=list[KlachtRead],
    operation_id="mijnKlachtenOpvragen",
    summary="De klachten die u zelf indiende (voortgang, zonder vrije tekst)",
)
async def mijn_klachten_opvragen(
    principal: EigenIndiener,
    session: SessionDep,
    koppelaar: KoppelaarDep,
    page: PageDep,
    request: Request,
    response: Response,
) -> list[KlachtRead]:
    klachten, total = await service.eigen_klachten(
        session, koppeling=koppelaar(principal.sub), page=page
    )
    set_link_header(request, response, page, total)
    return [_read(k) for k in klachten]


@router.get(
    "/mijn/klachten/{klacht_id}",
    response_model=KlachtRead,
    responses=_404,
    operation_id="mijnKlachtOpvragen",
    summary="Eén eigen klacht opvragen (404 voor de klacht van een ander)",
)
async def mijn_klacht_opvragen(
    klacht_id: KlachtId, principal: EigenIndiener, session: SessionDep, koppelaar: KoppelaarDep
) -> KlachtRead:
    klacht = await session.get(Klacht, klacht_id)
    if klacht is None or klacht.indiener_koppeling != koppelaar(principal.sub):
        raise NotFound()
    return _read(klacht)
