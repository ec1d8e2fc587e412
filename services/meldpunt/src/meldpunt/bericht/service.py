from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.crypto.audit import queue_audit, record_audit
from integriteit_shared.crypto.fields import FieldCipher, field_aad
from integriteit_shared.crypto.gegevenssleutels import RecordCipher, record_cipher
from integriteit_shared.db.base import utcnow
from integriteit_shared.http.pagination import Page
from integriteit_shared.notificaties import Planner
from meldpunt import herinneringen
from meldpunt.bericht.models import Bericht
from meldpunt.bericht.schemas import BerichtRead
from meldpunt.melding.models import Melding, berichten_ref
from meldpunt.tijdlijn.service import MELDER, actor_van, registreer_stap
from meldpunt.volgsessie.dependencies import Lezer
from meldpunt.volgsessie.service import VolgsessieToegang

OBJECT_TYPE = "berichten"


@dataclass(frozen=True)
class Deelnemer:
    """Who takes part in a melding's conversation: which side, and how they are named in
    the audit log and in the timeline (a melder never by their sub)."""

    afzender: str  # "melder" | "adviseur"
    audit_actor: str
    tijdlijn_actor: str

    @classmethod
    def van(cls, lezer: Lezer, melding: Melding) -> Deelnemer:
        if isinstance(lezer, VolgsessieToegang):
            return cls("melder", lezer.actor, actor_van(lezer, anoniem=melding.anoniem))
        return cls("adviseur", lezer.sub, lezer.sub)

    @classmethod
    def eigen_melder(cls) -> Deelnemer:
        """A named melder following up with their own token (/mijn/meldingen)."""
        return cls("melder", MELDER, MELDER)


def _audit(actor: str, action: str, melding_id: str, request_id: str | None) -> dict[str, Any]:
    """The audit entry of reading or writing a melding's messages."""
    return {
        "actor": actor,
        "action": action,
        "object_type": OBJECT_TYPE,
        "object_id": melding_id,
        "fields": ["tekst"],
        "request_id": request_id,
    }


def tekst_aad(bericht_id: str) -> str:
    return field_aad("berichten", "tekst", bericht_id)


def _read(b: Bericht, tekst: str) -> BerichtRead:
    return BerichtRead.model_validate(
        {
            "id": b.id,
            "melding_id": b.melding_id,
            "afzender": b.afzender,
            "tekst": tekst,
            "verzonden_op": b.verzonden_op,
        }
    )


def to_read(cipher: RecordCipher, b: Bericht) -> BerichtRead:
    return _read(b, cipher.decrypt(b.tekst, aad=tekst_aad(b.id)))


async def plaatsen(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    planner: Planner,
    melding: Melding,
    deelnemer: Deelnemer,
    tekst: str,
    request_id: str | None,
) -> BerichtRead:
    """Add a message; the caller holds the melding's lock, so numbers do not collide.
    The other side hears of it by mail where it can (`herinneringen.bericht_geplaatst`).
    The answer is the message as placed, its text as written."""
    melding_id = melding.id
    volgnummer = int(
        await session.scalar(
            select(func.coalesce(func.max(Bericht.volgnummer), 0)).where(
                Bericht.melding_id == melding_id
            )
        )
        or 0
    )
    bericht_id = str(uuid.uuid4())
    rc = await record_cipher(session, cipher, berichten_ref(melding_id))
    bericht = Bericht(
        id=bericht_id,
        melding_id=melding_id,
        afzender=deelnemer.afzender,
        tekst=rc.encrypt(tekst, aad=tekst_aad(bericht_id)),
        volgnummer=volgnummer + 1,
    )
    session.add(bericht)
    await session.flush()
    await registreer_stap(
        session, melding_id, "bericht", deelnemer.tijdlijn_actor, afzender=deelnemer.afzender
    )
    await queue_audit(session, **_audit(deelnemer.audit_actor, "schrijven", melding_id, request_id))
    await herinneringen.bericht_geplaatst(session, planner, melding, bericht_id, deelnemer.afzender)
    return _read(bericht, tekst)


async def lezen(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    melding_id: str,
    deelnemer: Deelnemer,
    page: Page,
    request_id: str | None,
) -> tuple[list[BerichtRead], int]:
    """One page of a melding's messages, decrypted; reading any is audited. When the melder
    reads, the adviser's messages count as read."""
    rows, total = await lijst(session, melding_id=melding_id, page=page)
    if rows:
        await record_audit(
            session, **_audit(deelnemer.audit_actor, "lezen", melding_id, request_id)
        )
    if deelnemer.afzender == "melder":
        await session.execute(
            update(Bericht)
            .where(
                Bericht.melding_id == melding_id,
                Bericht.afzender == "adviseur",
                Bericht.gelezen_op.is_(None),
            )
            .values(gelezen_op=utcnow())
        )
    rc = await record_cipher(session, cipher, berichten_ref(melding_id), aanmaken=False)
    return [to_read(rc, b) for b in rows], total


async def lijst(session: AsyncSession, *, melding_id: str, page: Page) -> tuple[list[Bericht], int]:
    total = int(
        await session.scalar(select(func.count(Bericht.id)).where(Bericht.melding_id == melding_id))
        or 0
    )
    rows = await session.scalars(
        select(Bericht)
        .where(Bericht.melding_id == melding_id)
        .order_by(Bericht.volgnummer, Bericht.id)
        .offset(page.offset)
        .limit(page.page_size)
    )
    return list(rows), total


async def ongelezen(session: AsyncSession, melding_ids: list[str]) -> dict[str, int]:
    """Per melding, the messages from the meldpunt its melder has not read yet."""
    if not melding_ids:
        return {}
    rows = await session.execute(
        select(Bericht.melding_id, func.count(Bericht.id))
        .where(
            Bericht.melding_id.in_(melding_ids),
            Bericht.afzender == "adviseur",
            Bericht.gelezen_op.is_(None),
        )
        .group_by(Bericht.melding_id)
    )
    return {melding_id: int(n) for melding_id, n in rows}
