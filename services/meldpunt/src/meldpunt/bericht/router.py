"""Messages between an (anonymous) melder, via a volgsessie, and the COID adviser."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from integriteit_shared.crypto.audit import queue_audit, record_audit
from integriteit_shared.http.app import CipherDep, SessionDep
from integriteit_shared.http.middleware import request_id
from integriteit_shared.http.pagination import PageDep, set_link_header
from meldpunt.bericht import service
from meldpunt.bericht.schemas import BerichtCreate, BerichtRead
from meldpunt.common import location
from meldpunt.melding.dependencies import BerichtLezer, MeldingId, laad_melding
from meldpunt.volgsessie.service import VolgsessieToegang

router = APIRouter(tags=["berichten"])


def _actor(lezer: BerichtLezer) -> str:
    return lezer.actor if isinstance(lezer, VolgsessieToegang) else lezer.sub


@router.get(
    "/meldingen/{id}/berichten",
    response_model=list[BerichtRead],
    operation_id="leesBerichten",
    summary="De berichten bij een melding lezen (adviseur of volgsessie-token)",
)
async def lees_berichten(
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    melding_id: MeldingId,
    lezer: BerichtLezer,
    page: PageDep,
) -> list[BerichtRead]:
    melding = await laad_melding(session, melding_id, lezer)
    rows, total = await service.lijst(session, melding_id=melding.id, page=page)
    if rows:
        await record_audit(
            session,
            actor=_actor(lezer),
            action="lezen",
            object_type="berichten",
            object_id=melding.id,
            fields=["tekst"],
            request_id=request_id(request),
        )
    set_link_header(request, response, page, total)
    return [service.to_read(cipher, b) for b in rows]


@router.post(
    "/meldingen/{id}/berichten",
    status_code=201,
    response_model=BerichtRead,
    operation_id="plaatsBericht",
    summary="Een bericht plaatsen (adviseur of volgsessie-token)",
)
async def plaats_bericht(
    body: BerichtCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    melding_id: MeldingId,
    lezer: BerichtLezer,
) -> BerichtRead:
    melding = await laad_melding(session, melding_id, lezer)
    afzender = "melder" if isinstance(lezer, VolgsessieToegang) else "adviseur"
    bericht = await service.plaats(
        session, cipher=cipher, melding_id=melding.id, afzender=afzender, tekst=body.tekst
    )
    await queue_audit(
        session,
        actor=_actor(lezer),
        action="schrijven",
        object_type="berichten",
        object_id=melding.id,
        fields=["tekst"],
        request_id=request_id(request),
    )
    response.headers["Location"] = location(request, f"/meldingen/{melding.id}/berichten")
    return BerichtRead.model_validate(
        {
            "id": bericht.id,
            "melding_id": bericht.melding_id,
            "afzender": afzender,
            "tekst": body.tekst,
            "verzonden_op": bericht.verzonden_op,
        }
    )
