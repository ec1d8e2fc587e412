"""The register of vertrouwenspersonen: appointments, endings and the network on a date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared import codes
from integriteit_shared.db.base import new_id as nieuw_id
from integriteit_shared.events.models import (
    VertrouwenspersoonAangesteld,
    VertrouwenspersoonBeeindigd,
)
from integriteit_shared.http.pagination import Page, pagina
from integriteit_shared.http.problems import BadRequest
from integriteit_shared.messaging.outbox import publish
from integriteit_shared.onderdrukking import groei_procent
from integriteit_shared.workflow import Workflow
from vertrouwenspersonen.vertrouwenspersoon.models import Vertrouwenspersoon
from vertrouwenspersonen.vertrouwenspersoon.schemas import NetwerkOnderdeel

VERTROUWENSPERSOON: Workflow[Vertrouwenspersoon] = Workflow(
    aggregate="vertrouwenspersoon",
    initial="aangesteld",
    transitions={"aangesteld": {"beeindigen": "beeindigd"}, "beeindigd": {}},
    state_of=lambda vp: "aangesteld" if vp.beeindigingsdatum is None else "beeindigd",
)


def actief_op(peildatum: date) -> ColumnElement[bool]:
    """Active on a date: appointed on or before it, and not (yet) ended on it."""
    return and_(
        Vertrouwenspersoon.aanstellingsdatum <= peildatum,
        or_(
            Vertrouwenspersoon.beeindigingsdatum.is_(None),
            Vertrouwenspersoon.beeindigingsdatum > peildatum,
        ),
    )


async def aanstellen(
    session: AsyncSession, *, defensieonderdeel: str, aanstellingsdatum: date
) -> Vertrouwenspersoon:
    vp = Vertrouwenspersoon(
        id=nieuw_id(), defensieonderdeel=defensieonderdeel, aanstellingsdatum=aanstellingsdatum
    )
    session.add(vp)
    await session.flush()
    await publish(
        session,
        VertrouwenspersoonAangesteld(
            vertrouwenspersoon_id=vp.id,
            defensieonderdeel=defensieonderdeel,
            datum=aanstellingsdatum,
        ),
    )
    return vp


async def beeindigen(
    session: AsyncSession, *, vertrouwenspersoon: Vertrouwenspersoon, datum: date
) -> Vertrouwenspersoon:
    VERTROUWENSPERSOON.apply(vertrouwenspersoon, "beeindigen")
    if datum < vertrouwenspersoon.aanstellingsdatum:
        raise BadRequest(
            "De beëindiging ligt vóór de aanstelling.",
            invalid_params=[
                {"name": "datum", "reason": "Mag niet vóór de aanstellingsdatum liggen."}
            ],
        )
    vertrouwenspersoon.beeindigingsdatum = datum
    await session.flush()
    await publish(
        session,
        VertrouwenspersoonBeeindigd(vertrouwenspersoon_id=vertrouwenspersoon.id, datum=datum),
    )
    return vertrouwenspersoon


def lijst_query(
    *, onderdeel: str | None, actief_op_datum: date | None
) -> Select[Vertrouwenspersoon]:
    query = select(Vertrouwenspersoon)
    if onderdeel is not None:
        query = query.where(Vertrouwenspersoon.defensieonderdeel == onderdeel)
    if actief_op_datum is not None:
        query = query.where(actief_op(actief_op_datum))
    return query


async def lijst(
    session: AsyncSession,
    *,
    onderdeel: str | None,
    actief_op_datum: date | None,
    page: Page,
) -> tuple[list[Vertrouwenspersoon], int]:
    query = lijst_query(onderdeel=onderdeel, actief_op_datum=actief_op_datum)
    order = (Vertrouwenspersoon.aanstellingsdatum, Vertrouwenspersoon.id)
    return await pagina(session, query.order_by(*order), page)


def een_jaar_eerder(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


async def _aantallen(session: AsyncSession, peildatum: date) -> dict[str, int]:
    rows = await session.execute(
        select(Vertrouwenspersoon.defensieonderdeel, func.count())
        .where(actief_op(peildatum))
        .group_by(Vertrouwenspersoon.defensieonderdeel)
    )
    return {onderdeel: int(n) for onderdeel, n in rows}


async def netwerk(
    session: AsyncSession,
    *,
    peildatum: date,
    onderdelen: tuple[str, ...] = codes.DEFENSIEONDERDELEN,
) -> dict[str, NetwerkOnderdeel]:
    """Active advisers per onderdeel on the date and growth vs the same day a year earlier."""
    nu = await _aantallen(session, peildatum)
    toen = await _aantallen(session, een_jaar_eerder(peildatum))
    return {
        o: NetwerkOnderdeel(
            aantal=nu.get(o, 0),
            aantal_vorig_jaar=toen.get(o, 0),
            groei_procent=groei_procent(nu.get(o, 0), toen.get(o, 0)),
        )
        for o in onderdelen
    }
