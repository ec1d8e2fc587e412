"""Storing a new melding: the one place where meldpunt speaks a database's own dialect.

`registreren` (service.py) decides everything a new melding is: its columns, its events,
its audit entry. This module only writes them, with a gapless per-year reference number:
on PostgreSQL in one statement (one round trip, committed on its own), elsewhere through
the ORM in one transaction. Both write the same rows.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.crypto.audit import (
    AUDIT_QUEUE_COLUMNS,
    audit_queue_insert_sql,
    audit_queue_params,
    queue_audit,
)
from integriteit_shared.crypto.gegevenssleutels import GEGEVENSSLEUTEL_KOLOMMEN, Gegevenssleutel
from integriteit_shared.db.session import Database
from integriteit_shared.events.envelope import Envelope
from integriteit_shared.messaging.outbox import (
    OUTBOX_COLUMNS,
    outbox_insert_sql,
    outbox_params,
    publish_envelope,
)
from meldpunt.melding.models import Melding, MeldingReferentieTeller
from meldpunt.tijdlijn.models import MeldingStap


def referentie(jaar: int, nummer: int) -> str:
    return f"MID-{jaar}-{nummer:06d}"


async def intake_opslaan(
    db: Database,
    *,
    melding: dict[str, Any],
    envelopes: list[Envelope],
    audit: dict[str, Any],
    stap: dict[str, Any],
    sleutel: dict[str, Any],
) -> str:
    """Store the melding's columns, its data key, its outbox rows, its queued audit entry
    and its first timeline step, committed when this returns; gives its referentie."""
    if db.is_postgresql:
        return await _intake_postgresql(db, melding, envelopes, audit, stap, sleutel)
    async with db.transaction() as session:
        session.add(Gegevenssleutel(**sleutel))
        nummer = await _volgend_nummer_sqlite(session, melding["ontvangen_datum"].year)
        ref = referentie(melding["ontvangen_datum"].year, nummer)
        session.add(Melding(**melding, referentie=ref))
        for env in envelopes:
            await publish_envelope(session, env)
        await queue_audit(session, **audit)
        session.add(MeldingStap(**stap))
    return ref


async def _volgend_nummer_sqlite(session: AsyncSession, jaar: int) -> int:
    """The year's next number: an atomic upsert on its counter row, under the write lock
    the transaction took at its start, so numbers stay gapless."""
    teller = MeldingReferentieTeller
    stmt = (
        sqlite_insert(teller)
        .values(jaar=jaar, laatste=1)
        .on_conflict_do_update(index_elements=[teller.jaar], set_={"laatste": teller.laatste + 1})
        .returning(teller.laatste)
    )
    return int((await session.execute(stmt)).scalar_one())


# Every column of `meldingen` but referentie, in table order: the statement's parameters.
_KOLOMMEN = tuple(c.name for c in Melding.__table__.columns if c.name != "referentie")


# The columns of the first timeline step the statement writes (its id is the database's).
_STAP_KOLOMMEN = ("melding_id", "moment", "soort", "actor", "codes")


async def _intake_postgresql(
    db: Database,
    melding: dict[str, Any],
    envelopes: list[Envelope],
    audit: dict[str, Any],
    stap: dict[str, Any],
    sleutel: dict[str, Any],
) -> str:
    jaar = melding["ontvangen_datum"].year
    params: list[Any] = [jaar, f"MID-{jaar}-"]
    params += [melding[k] for k in _KOLOMMEN]
    for env in envelopes:
        params += outbox_params(env, melding["created_at"])
    params += audit_queue_params(**audit)
    params += [stap[k] for k in _STAP_KOLOMMEN]
    params += [sleutel[k] for k in GEGEVENSSLEUTEL_KOLOMMEN]
    async with db.driver_connection() as conn:
        row = await conn.fetchrow(_intake_sql(len(envelopes)), *params)
    return str(row[0])


@cache
def _intake_sql(events: int) -> str:
    """The whole intake as ONE statement (so one round trip, committed on its own): bump the
    year's counter, insert the melding with its number, insert its outbox rows. The counter
    row stays locked from this statement until its commit, which follows without a round
    trip in between: concurrent intakes queue on the row only for that, numbers stay
    gapless (a failed statement rolls back the counter with everything else), and a
    waiting intake sees the committed count (ON CONFLICT DO UPDATE re-reads the row).

    The audit entry of the write is queued in the same statement (`queue_audit`), so it
    commits with the melding and takes no lock.

    $1 jaar, $2 prefix "MID-<jaar>-", then the columns of _KOLOMMEN, the outbox rows, the
    audit entry, the first timeline step (_STAP_KOLOMMEN) and the melding's data key
    (GEGEVENSSLEUTEL_KOLOMMEN)."""
    kolommen = ", ".join(_KOLOMMEN)
    waarden = ", ".join(f"${i}" for i in range(3, 3 + len(_KOLOMMEN)))
    outbox = outbox_insert_sql(events, 3 + len(_KOLOMMEN))
    audit_start = 3 + len(_KOLOMMEN) + events * len(OUTBOX_COLUMNS)
    audit = audit_queue_insert_sql(audit_start)
    stap_start = audit_start + len(AUDIT_QUEUE_COLUMNS)
    stap_waarden = ", ".join(f"${i}" for i in range(stap_start, stap_start + len(_STAP_KOLOMMEN)))
    sleutel_start = stap_start + len(_STAP_KOLOMMEN)
    sleutel_waarden = ", ".join(
        f"${i}" for i in range(sleutel_start, sleutel_start + len(GEGEVENSSLEUTEL_KOLOMMEN))
    )
    # built once from the table's own column names and numbered parameters: no input in it
    return (
        "WITH teller AS ("  # noqa: S608
        "INSERT INTO meldingen_referenties (jaar, laatste) VALUES ($1, 1) "
        "ON CONFLICT (jaar) DO UPDATE SET laatste = meldingen_referenties.laatste + 1 "
        "RETURNING laatste), "
        f"melding AS (INSERT INTO meldingen (referentie, {kolommen}) "
        f"SELECT $2 || lpad(teller.laatste::text, 6, '0'), {waarden} FROM teller "
        "RETURNING referentie), "
        f"uitgaand AS ({outbox}), "  # these run to completion although nothing reads them
        f"audit AS ({audit}), "
        f"stap AS (INSERT INTO melding_stappen ({', '.join(_STAP_KOLOMMEN)}) "
        f"VALUES ({stap_waarden})), "
        f"sleutel AS (INSERT INTO gegevenssleutels ({', '.join(GEGEVENSSLEUTEL_KOLOMMEN)}) "
        f"VALUES ({sleutel_waarden})) "
        "SELECT referentie FROM melding"
    )
