from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.body import MiB, body_limiet
from integriteit_shared.http.middleware import request_id
from rapportage.jaarverslag.schemas import HerberekeningRead
from rapportage.jaarverslag.service import versie
from rapportage.ledger import herbouw, historie, service
from rapportage.ledger.schemas import (
    Afstemming,
    AfstemmingRegel,
    HistorischeImportCreate,
    HistorischeImportRead,
)

router = APIRouter(tags=["afstemming"])
Beheerder = Annotated[Principal, Depends(require_roles(Rol.beheerder))]


@router.get(
    "/afstemming",
    response_model=Afstemming,
    response_model_by_alias=True,
    summary="Aantal gebeurtenissen in het grootboek per bron en type",
    operation_id="afstemmingOpvragen",
)
async def afstemming(session: SessionDep, _: Beheerder) -> Afstemming:
    rows = await service.counts_per_source_and_type(session)
    return Afstemming(
        totaal=sum(n for _, _, n in rows),
        per_bron_en_type=[AfstemmingRegel(source=s, type=t, aantal=n) for s, t, n in rows],
        historische_imports=[
            HistorischeImportRead.model_validate(i, from_attributes=True)
            for i in await historie.imports(session)
        ],
    )


@router.post(
    "/historische-imports",
    status_code=201,
    response_model=HistorischeImportRead,
    response_model_by_alias=True,
    summary="Geschiedenis laden met haar oorspronkelijke registratiemomenten",
    description=(
        "Alleen voor het laden van geschiedenis (oude registers, migraties): elke gebeurtenis "
        "wordt geboekt op haar eigen `time` in plaats van op het moment van ontvangst, en telt "
        "dus mee op eerdere peildata. Alles of niets; vastgelegd in het auditlog en vermeld "
        "in `/afstemming`."
    ),
    operation_id="historischeImportUitvoeren",
    responses={413: {"description": "Meer dan 2 MiB."}},
)
@body_limiet(2 * MiB)  # a batch of 1000 CloudEvents, as on /gebeurtenissen
async def historische_import(
    body: HistorischeImportCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Beheerder,
) -> HistorischeImportRead:
    imp = await historie.importeer(session, body.gebeurtenissen, principal, request_id(request))
    response.headers["Location"] = str(request.url_for("afstemming"))
    return HistorischeImportRead.model_validate(imp, from_attributes=True)


@router.post(
    "/herberekening",
    response_model=HerberekeningRead,
    response_model_by_alias=True,
    summary="Alle projecties opnieuw opbouwen uit het grootboek",
    operation_id="herberekeningUitvoeren",
)
async def herberekening(session: SessionDep, _: Beheerder) -> HerberekeningRead:
    n = await herbouw.herbereken(session)
    await session.flush()
    return HerberekeningRead(gebeurtenissen=n, versie=await versie(session))
