"""The one place where a melding's steps are recorded (`registreer_stap`) and read back.

Every route that changes a melding, adds to it or reads its protected identity calls
`registreer_stap` in its own transaction: the timeline commits or rolls back with the
step. A step holds codes, dates and booleans only, never free text."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypeAliasType

from integriteit_shared.auth.validation import Principal
from integriteit_shared.crypto.audit import ANONIEM_ACTOR, MELDER_ACTOR
from integriteit_shared.db.base import utcnow
from integriteit_shared.http.pagination import Page
from meldpunt.tijdlijn.models import MeldingStap
from meldpunt.volgsessie.service import VolgsessieToegang

StapSoort = TypeAliasType(
    "StapSoort",
    Literal[
        "ontvangen",
        "ontvangstbevestiging",
        "afdoening",
        "terugkoppeling",
        "afronding",
        "categorisering",
        "misstand-vermoeden",
        "misstand-afronding",
        "toewijzing",
        "uitsluiting",
        "notitie",
        "bericht",
        "bijlage",
        "melder-inzage",
        "nazorg",
    ],
)

# the actor of a step taken by the melder: never their sub
# the same names as in the audit log, where a reader sees a melder only as `melder`
MELDER = MELDER_ACTOR
ANONIEM = ANONIEM_ACTOR

Code = str | bool | int | date | None


def actor_van(lezer: Principal | VolgsessieToegang, *, anoniem: bool) -> str:
    """Staff by their sub; a melder following up as `melder`, or `anoniem`."""
    if isinstance(lezer, VolgsessieToegang):
        return ANONIEM if anoniem else MELDER
    return lezer.sub


def _codes_json(codes: dict[str, Code]) -> str:
    return json.dumps(
        {k: v.isoformat() if isinstance(v, date) else v for k, v in codes.items() if v is not None},
        sort_keys=True,
    )


def stap_kolommen(
    melding_id: str, soort: StapSoort, actor: str, moment: datetime, codes: dict[str, Code]
) -> dict[str, Any]:
    """The columns of a step (also for a statement that writes one without the ORM)."""
    return {
        "melding_id": melding_id,
        "moment": moment,
        "soort": soort,
        "actor": actor,
        "codes": _codes_json(codes),
    }


async def registreer_stap(
    session: AsyncSession, melding_id: str, soort: StapSoort, actor: str, **codes: Code
) -> None:
    """Record one step of a melding in the caller's transaction."""
    session.add(MeldingStap(**stap_kolommen(melding_id, soort, actor, utcnow(), codes)))
    await session.flush()


async def stappen(
    session: AsyncSession, *, melding_id: str, page: Page
) -> tuple[list[dict[str, Any]], int]:
    """One page of a melding's steps, oldest first, each as {moment, soort, actor, codes...}."""
    total = int(
        await session.scalar(
            select(func.count(MeldingStap.id)).where(MeldingStap.melding_id == melding_id)
        )
        or 0
    )
    rows = await session.scalars(
        select(MeldingStap)
        .where(MeldingStap.melding_id == melding_id)
        .order_by(MeldingStap.id)
        .offset(page.offset)
        .limit(page.page_size)
    )
    return [
        {"moment": s.moment, "soort": s.soort, "actor": s.actor, **json.loads(s.codes)}
        for s in rows
    ], total
