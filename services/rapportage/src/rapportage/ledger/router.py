from typing import Annotated

from fastapi import APIRouter, Depends

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import SessionDep
from rapportage.ledger import service
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
