"""Opening a volgsessie with a volgcode, and checking its token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.crypto.audit import VOLGSESSIE_ACTOR_PREFIX
from integriteit_shared.http.problems import NotFound, Unauthorized
from meldpunt.melding.models import Melding
from meldpunt.volgsessie import codes
from meldpunt.volgsessie.models import Volgsessie

ONBEKENDE_VOLGCODE = "Onbekende of onjuiste volgcode."


@dataclass(frozen=True)
class VolgsessieToegang:
    """A caller holding a valid volgsessie token: access to this one melding only."""

    sessie_id: str
    melding_id: str

    @property
    def actor(self) -> str:
        return f"{VOLGSESSIE_ACTOR_PREFIX}{self.sessie_id}"


async def sessie_openen(
    session: AsyncSession, *, volgcode: str, geldigheid_s: int
) -> tuple[Volgsessie, str]:
    """A new token for the melding of `volgcode`. Wrong and unknown codes get the same 404
    (and cost the same argon2 time), so an attacker learns nothing from the answer."""
    kandidaten = list(
        await session.scalars(
            select(Melding).where(Melding.volgcode_selector == codes.selector(volgcode))
        )
    )
    gevonden: Melding | None = None
    for melding in kandidaten:
        if await codes.controleer(volgcode, melding.volgcode_hash):
            gevonden = melding
            break
    if not kandidaten:
        await codes.controleer(volgcode, None)
    if gevonden is None:
        raise NotFound(ONBEKENDE_VOLGCODE)
    # housekeeping: expired sessions are of no use to anyone; their rows go here
    await session.execute(delete(Volgsessie).where(Volgsessie.verloopt_op <= datetime.now(UTC)))
    token = codes.nieuw_token()
    sessie = Volgsessie(
        id=str(uuid.uuid4()),
        token_hash=codes.token_hash(token),
        melding_id=gevonden.id,
        verloopt_op=datetime.now(UTC) + timedelta(seconds=geldigheid_s),
    )
    session.add(sessie)
    await session.flush()
    return sessie, token


async def token_valideren(session: AsyncSession, token: str) -> VolgsessieToegang:
    sessie = await session.scalar(
        select(Volgsessie).where(Volgsessie.token_hash == codes.token_hash(token))
    )
    if sessie is None or sessie.verloopt_op <= datetime.now(UTC):
        raise Unauthorized("De volgsessie is onbekend of verlopen; open een nieuwe.")
    return VolgsessieToegang(sessie_id=sessie.id, melding_id=sessie.melding_id)
