from typing import Annotated

from fastapi import APIRouter, Depends

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import SessionDep
from rapportage.jaarverslag.schemas import HerberekeningRead
from rapportage.jaarverslag.service import versie
from rapportage.ledger import herbouw, service
from rapportage.ledger.schemas import Afstemming, AfstemmingRegel

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
    )


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
