from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.crypto.fields import FieldCipher, field_aad
from integriteit_shared.http.pagination import Page
from meldpunt.bericht.models import Bericht
from meldpunt.bericht.schemas import BerichtRead


def tekst_aad(bericht_id: str) -> str:
    return field_aad("berichten", "tekst", bericht_id)


def to_read(cipher: FieldCipher, b: Bericht) -> BerichtRead:
    return BerichtRead.model_validate(
        {
            "id": b.id,
            "melding_id": b.melding_id,
            "afzender": b.afzender,
            "tekst": cipher.decrypt(b.tekst, aad=tekst_aad(b.id)),
            "verzonden_op": b.verzonden_op,
        }
    )


async def plaats(
    session: AsyncSession, *, cipher: FieldCipher, melding_id: str, afzender: str, tekst: str
) -> Bericht:
    volgnummer = int(
        await session.scalar(
            select(func.coalesce(func.max(Bericht.volgnummer), 0)).where(
                Bericht.melding_id == melding_id
            )
        )
        or 0
    )
    bericht_id = str(uuid.uuid4())
    bericht = Bericht(
        id=bericht_id,
        melding_id=melding_id,
        afzender=afzender,
        tekst=cipher.encrypt(tekst, aad=tekst_aad(bericht_id)),
        volgnummer=volgnummer + 1,
    )
    session.add(bericht)
    await session.flush()
    return bericht


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
