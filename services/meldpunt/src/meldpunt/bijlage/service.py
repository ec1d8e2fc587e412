"""Attachments: at most MAX_BIJLAGEN per melding, each at most MAX_BYTES, sniffed, cleaned,
stored encrypted with the SHA-256 of what is stored; every download is audited."""

from __future__ import annotations

import base64
import hashlib
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.crypto.audit import queue_audit, record_audit
from integriteit_shared.crypto.fields import FieldCipher, field_aad
from integriteit_shared.crypto.gegevenssleutels import is_vernietigd, record_cipher
from integriteit_shared.http.problems import Conflict, NotFound
from integriteit_shared.http.upload import Bestand
from meldpunt.bijlage import bestanden
from meldpunt.bijlage.models import Bijlage
from meldpunt.melding.models import bijlagen_ref
from meldpunt.tijdlijn.service import registreer_stap

MAX_BYTES = 10 * 1024 * 1024
# the request body around one file: the file plus the multipart framing (boundaries,
# part headers); beyond this the shared body guard refuses it before it is read
MAX_BODY_BYTES = MAX_BYTES + 64 * 1024
MAX_BIJLAGEN = 20


def _aad(column: str, bijlage_id: str) -> str:
    return field_aad("bijlagen", column, bijlage_id)


def _audit(
    actor: str, action: str, melding_id: str, fields: list[str], rid: str | None
) -> dict[str, Any]:
    return {
        "actor": actor,
        "action": action,
        "object_type": "bijlagen",
        "object_id": melding_id,
        "fields": fields,
        "request_id": rid,
    }


async def ruimte_controleren(session: AsyncSession, melding_id: str) -> None:
    """409 once the melding has its maximum of attachments (checked before the upload is
    read; the caller holds the melding's lock, so two uploads cannot both pass)."""
    aantal = int(
        await session.scalar(select(func.count(Bijlage.id)).where(Bijlage.melding_id == melding_id))
        or 0
    )
    if aantal >= MAX_BIJLAGEN:
        raise Conflict(f"Een melding heeft hoogstens {MAX_BIJLAGEN} bijlagen.")


async def toevoegen(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    melding_id: str,
    bestand: Bestand,
    actor: str,
    audit_actor: str,
    request_id: str | None,
) -> tuple[Bijlage, str]:
    """Store a cleaned attachment; gives the row and its (clear) name."""
    media_type = bestanden.soort(bestand.inhoud)
    schoon = bestanden.opschonen(bestand.inhoud, media_type)
    bijlage_id = str(uuid.uuid4())
    rc = await record_cipher(session, cipher, bijlagen_ref(melding_id))
    bijlage = Bijlage(
        id=bijlage_id,
        melding_id=melding_id,
        naam=rc.encrypt(bestand.naam, aad=_aad("naam", bijlage_id)),
        type=media_type,
        grootte=len(schoon),
        sha256=hashlib.sha256(schoon).hexdigest(),
        inhoud=rc.encrypt(base64.b64encode(schoon).decode("ascii"), aad=_aad("inhoud", bijlage_id)),
        door=actor,
    )
    session.add(bijlage)
    await session.flush()
    await registreer_stap(session, melding_id, "bijlage", actor, type=media_type)
    await queue_audit(
        session, **_audit(audit_actor, "schrijven", melding_id, ["naam", "inhoud"], request_id)
    )
    return bijlage, bestand.naam


async def lijst(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    melding_id: str,
    actor: str,
    request_id: str | None,
) -> list[tuple[Bijlage, str]]:
    """Every attachment of the melding with its name (decrypted; the read is audited)."""
    rows = list(
        await session.scalars(
            select(Bijlage)
            .where(Bijlage.melding_id == melding_id)
            .order_by(Bijlage.moment, Bijlage.id)
        )
    )
    if rows:
        await record_audit(session, **_audit(actor, "lezen", melding_id, ["naam"], request_id))
    rc = await record_cipher(session, cipher, bijlagen_ref(melding_id), aanmaken=False)
    return [(b, rc.decrypt(b.naam, aad=_aad("naam", b.id))) for b in rows]


async def downloaden(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    melding_id: str,
    bijlage_id: str,
    actor: str,
    request_id: str | None,
) -> tuple[Bijlage, str, bytes]:
    """The stored file, its name and bytes; 404 for an attachment of another melding."""
    bijlage = await session.get(Bijlage, bijlage_id)
    if bijlage is None or bijlage.melding_id != melding_id:
        raise NotFound()
    if is_vernietigd(bijlage.inhoud):
        # the retention period ended (meldpunt.bewaren): the file itself is gone
        raise NotFound("Deze bijlage is na afloop van de bewaartermijn vernietigd.")
    await record_audit(
        session, **_audit(actor, "lezen", melding_id, ["naam", "inhoud"], request_id)
    )
    rc = await record_cipher(session, cipher, bijlagen_ref(melding_id), aanmaken=False)
    naam = rc.decrypt(bijlage.naam, aad=_aad("naam", bijlage.id))
    inhoud = base64.b64decode(rc.decrypt(bijlage.inhoud, aad=_aad("inhoud", bijlage.id)))
    return bijlage, naam, inhoud
