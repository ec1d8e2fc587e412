"""HTTP for attachments: upload (adviser, coordinator, or the melder with a volgsessie
token), list and download (each download audited)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Request, Response
from pydantic import AwareDatetime

from integriteit_shared.http.app import CipherDep, SessionDep
from integriteit_shared.http.body import body_limiet
from integriteit_shared.http.middleware import request_id
from integriteit_shared.http.upload import lees_bestand, multipart_openapi
from integriteit_shared.schemas import CamelModel
from meldpunt.bericht.service import Deelnemer
from meldpunt.bijlage import bestanden, service
from meldpunt.bijlage.models import Bijlage
from meldpunt.common import location
from meldpunt.melding.dependencies import (
    BerichtLezer,
    MeldingId,
    laad_melding,
    laad_melding_voor_wijziging,
    mag_behandelen,
)
from meldpunt.melding.models import Melding

router = APIRouter(tags=["bijlagen"])

BijlageId = Annotated[str, Path(alias="bijlageId", max_length=36, description="Id van de bijlage.")]

UPLOAD = multipart_openapi(
    "bestand",
    "Het bestand (PDF, PNG, JPEG, platte tekst, DOCX of ODT; hoogstens 10 MiB). Het type "
    "wordt aan de inhoud herkend, niet aan de naam.",
)
UPLOAD_FOUTEN: dict[int | str, dict[str, Any]] = {
    409: {"description": "De melding heeft al 20 bijlagen."},
    413: {"description": "Het bestand is groter dan 10 MiB."},
    415: {"description": "Geen PDF, PNG, JPEG, platte tekst, DOCX of ODT."},
}
_BINAIR = {"schema": {"type": "string", "format": "binary"}}
DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Het opgeschoonde bestand.",
        "content": {
            t: _BINAIR
            for t in (
                bestanden.PDF,
                bestanden.PNG,
                bestanden.JPEG,
                bestanden.TEKST,
                bestanden.DOCX,
                bestanden.ODT,
            )
        },
    }
}


class BijlageRead(CamelModel):
    id: str
    naam: str
    type: str
    grootte: int
    sha256: str
    moment: AwareDatetime


def bijlage_read(b: Bijlage, naam: str) -> BijlageRead:
    return BijlageRead(
        id=b.id, naam=naam, type=b.type, grootte=b.grootte, sha256=b.sha256, moment=b.moment
    )


async def bijlage_opslaan(
    request: Request,
    session: SessionDep,
    cipher: CipherDep,
    laden: Callable[[], Awaitable[Melding]],
    deelnemer: Callable[[Melding], Deelnemer],
) -> BijlageRead:
    """Shared by the staff/volgsessie route and /mijn. The file is read first (at most
    10 MiB), then the melding is loaded locked (`laden`) and its count checked, so a slow
    upload holds no lock."""
    bestand = await lees_bestand(request, veld="bestand", max_bytes=service.MAX_BYTES)
    melding = await laden()
    await service.ruimte_controleren(session, melding.id)
    wie = deelnemer(melding)
    bijlage, naam = await service.toevoegen(
        session,
        cipher=cipher,
        melding_id=melding.id,
        bestand=bestand,
        actor=wie.tijdlijn_actor,
        audit_actor=wie.audit_actor,
        request_id=request_id(request),
    )
    return bijlage_read(bijlage, naam)


@router.post(
    "/meldingen/{id}/bijlagen",
    status_code=201,
    response_model=BijlageRead,
    operation_id="voegBijlageToe",
    summary="Een bijlage toevoegen (adviseur, of de melder met een volgsessie-token)",
    openapi_extra=UPLOAD,
    responses=UPLOAD_FOUTEN,
)
@body_limiet(service.MAX_BODY_BYTES)
async def voeg_bijlage_toe(
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    melding_id: MeldingId,
    lezer: BerichtLezer,
) -> BijlageRead:
    async def laden() -> Melding:
        melding = await laad_melding_voor_wijziging(session, melding_id, lezer)
        mag_behandelen(lezer, melding)
        return melding

    gelezen = await bijlage_opslaan(
        request, session, cipher, laden, lambda melding: Deelnemer.van(lezer, melding)
    )
    response.headers["Location"] = location(
        request, f"/meldingen/{melding_id}/bijlagen/{gelezen.id}"
    )
    return gelezen


@router.get(
    "/meldingen/{id}/bijlagen",
    response_model=list[BijlageRead],
    operation_id="zoekBijlagen",
    summary="De bijlagen bij een melding (naam, type, grootte, SHA-256)",
)
async def zoek_bijlagen(
    request: Request,
    session: SessionDep,
    cipher: CipherDep,
    melding_id: MeldingId,
    lezer: BerichtLezer,
) -> list[BijlageRead]:
    melding = await laad_melding(session, melding_id, lezer)
    rijen = await service.lijst(
        session,
        cipher=cipher,
        melding_id=melding.id,
        actor=Deelnemer.van(lezer, melding).audit_actor,
        request_id=request_id(request),
    )
    return [bijlage_read(b, naam) for b, naam in rijen]


@router.get(
    "/meldingen/{id}/bijlagen/{bijlageId}",
    response_class=Response,
    operation_id="downloadBijlage",
    summary="Een bijlage downloaden (opgeschoond; elke download wordt gelogd)",
    responses=DOWNLOAD,
)
async def download_bijlage(
    request: Request,
    session: SessionDep,
    cipher: CipherDep,
    melding_id: MeldingId,
    bijlage_id: BijlageId,
    lezer: BerichtLezer,
) -> Response:
    melding = await laad_melding(session, melding_id, lezer)
    bijlage, naam, inhoud = await service.downloaden(
        session,
        cipher=cipher,
        melding_id=melding.id,
        bijlage_id=bijlage_id,
        actor=Deelnemer.van(lezer, melding).audit_actor,
        request_id=request_id(request),
    )
    return Response(
        inhoud,
        media_type=bijlage.type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(naam)}"},
    )
