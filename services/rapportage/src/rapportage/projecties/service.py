"""Project events into the fact tables and the per-day counters the report is read from.

The same code serves the consumer (a batch of new events at a time) and a rebuild (the
whole ledger). For each aggregate an event touches, its contribution timeline
(`projecties.tijdlijn`) is computed from its facts before and after the new ones; the
difference is added to `rap_tellingen` (per day) and `rap_totalen` (over all days).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete, event, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from integriteit_shared.db.base import utcnow
from integriteit_shared.events import Envelope, EventData
from integriteit_shared.events.models import EVENT_TYPES
from rapportage.projecties import models as m
from rapportage.projecties.feiten import feiten
from rapportage.projecties.register import REGISTER, Feit, Tijdlijn
from rapportage.projecties.tijdlijn import tijdlijn, verschil

# 2: facts registered at their ledger moment (inbox.received_at), no longer at `time`
# 3: the facts and counters of the report's `analyse` (afdoening, kanaal, conclusie, ...)
#    and of `nazorg` (a change of NAZORG_MAANDEN needs `python -m rapportage.rebuild`)
PROJECTIE_VERSIE = 3
"""Raise when the projection code changes what it writes: the service then rebuilds at start."""


class LokaleVersie:
    """Counts commits in this process that bumped the data version.

    Readers keep the database version in memory for a moment (see
    `jaarverslag.service.VersionWatcher`); a commit here makes them look again at once, so
    the consumer's and a rebuild's changes in this process are visible immediately.
    """

    generatie = 0


@dataclass
class Projectie:
    """What one transaction projects: the facts queued by `projecteer`, written by
    `flush_facts`, and whether it bumped the data version.

    One per session (`projectie_van`), with hooks on that session only: a commit after a
    bump tells this process's readers (`LokaleVersie`); a commit with facts queued but not
    written is refused, rather than storing events in the ledger whose facts would be
    missing; a rollback forgets both.
    """

    feiten: list[Feit] = field(default_factory=list)
    versie_gebumpt: bool = False

    def voor_commit(self, session: Session) -> None:
        if self.feiten:
            raise RuntimeError("projecteer zonder flush_facts: feiten niet geschreven")

    def na_commit(self, session: Session) -> None:
        if self.versie_gebumpt:
            LokaleVersie.generatie += 1
        self.versie_gebumpt = False

    def na_rollback(self, session: Session) -> None:
        self.feiten.clear()
        self.versie_gebumpt = False


_PROJECTIE = "rapportage.projectie"


def projectie_van(session: AsyncSession) -> Projectie:
    """The session's `Projectie`, made (with its hooks) on first use."""
    sync = session.sync_session
    projectie = sync.info.get(_PROJECTIE)
    if isinstance(projectie, Projectie):
        return projectie
    projectie = Projectie()
    sync.info[_PROJECTIE] = projectie
    event.listen(sync, "before_commit", projectie.voor_commit)
    event.listen(sync, "after_commit", projectie.na_commit)
    event.listen(sync, "after_rollback", projectie.na_rollback)
    return projectie


async def bump_versie(session: AsyncSession) -> None:
    """Bump the data version; also serialises projection writers against a rebuild."""
    await session.execute(
        update(m.RapVersie).where(m.RapVersie.id == 1).values(versie=m.RapVersie.versie + 1)
    )
    projectie_van(session).versie_gebumpt = True


def versie_gebumpt(session: AsyncSession) -> bool:
    """True when this transaction has bumped the data version already."""
    return projectie_van(session).versie_gebumpt


async def wis_projecties(session: AsyncSession) -> None:
    for table in (*m.PROJECTIE_TABELLEN, m.RapTelling, m.RapTotaal):
        await session.execute(delete(table))


def projecteer(session: AsyncSession, env: Envelope, event: EventData) -> None:
    """Queue the event's fact rows in the transaction; `flush_facts` writes them at its end."""
    # the peildatum cuts on when the ledger knew the event, not on the `time` its producer
    # reports (which any producer could set in the past): set by the consumer, or by the
    # audited historical import
    rows = feiten(env.id, env.geboekt_op or utcnow(), event)
    if rows:
        projectie_van(session).feiten.extend(rows)


async def flush_facts(session: AsyncSession) -> None:
    """Write the queued facts and the counter changes they cause, in the caller's transaction.

    Per aggregate touched: its facts already stored are loaded (one query per fact table
    for the whole batch), its timeline is computed without and with the new facts, and the
    difference goes to the counters.
    """
    projectie = projectie_van(session)
    rows, projectie.feiten = projectie.feiten, []
    if not rows:
        return
    nieuw: defaultdict[tuple[str, str], list[Feit]] = defaultdict(list)
    for r in rows:
        nieuw[REGISTER.aggregaat(r)].append(r)
    oud = await laad_feiten(session, nieuw)
    delta: Tijdlijn = {}
    for key, extra in nieuw.items():
        soort = REGISTER.soorten[key[0]]
        eerder = oud.get(key, [])
        verschil(tijdlijn(soort, eerder), tijdlijn(soort, eerder + extra), delta)
    await schrijf_feiten(session, rows)
    await tellingen_bij(session, delta)


async def laad_feiten(
    session: AsyncSession, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[Feit]]:
    """The stored facts of these aggregates."""
    per_soort: defaultdict[str, set[str]] = defaultdict(set)
    for naam, agg_id in keys:
        # a kind whose facts are each their own aggregate has nothing stored yet
        if not REGISTER.soorten[naam].eigen_aggregaat:
            per_soort[naam].add(agg_id)
    out: defaultdict[tuple[str, str], list[Feit]] = defaultdict(list)
    for naam, ids in per_soort.items():
        lijst = sorted(ids)
        for bron in REGISTER.soorten[naam].bronnen:
            table = bron.model.__table__
            kolom = table.c[bron.kolom]
            positie = bron.velden.index(bron.kolom)
            for i in range(0, len(lijst), 1000):
                query = select(*(table.c[f] for f in bron.velden)).where(
                    kolom.in_(lijst[i : i + 1000])
                )
                if bron.bron is not None:
                    query = query.where(table.c.bron == bron.bron)
                for row in await session.execute(query):
                    out[(naam, str(row[positie]))].append(bron.feit(*row))
    return out


Rij = tuple[object, ...]

Tabelrijen = dict[str, list[Rij]]
"""Fact rows per fact class name (`Feit`), each the tuple of its fields."""


async def schrijf_feiten(session: AsyncSession, rows: Sequence[Feit]) -> None:
    """Insert fact rows."""
    per_soort: defaultdict[str, list[Rij]] = defaultdict(list)
    for r in rows:
        per_soort[type(r).__name__].append(tuple(r))
    await schrijf_tabellen(session, per_soort)


async def schrijf_tabellen(session: AsyncSession, per_soort: Tabelrijen) -> None:
    """Insert fact rows: one multi-row statement per table, or COPY on PostgreSQL."""
    conn = await session.connection()
    pg = conn.dialect.name == "postgresql"
    for naam, rows in per_soort.items():
        bron = REGISTER.bronnen_per_naam[naam]
        if pg and len(rows) > 100:
            raw = (await conn.get_raw_connection()).driver_connection
            assert raw is not None
            await raw.copy_records_to_table(
                bron.model.__tablename__, records=rows, columns=bron.velden
            )
        elif rows:
            waarden = [dict(zip(bron.velden, r, strict=True)) for r in rows]
            await session.execute(insert(bron.model), waarden)


def _upsert(dialect: str, model: type[m.RapTelling | m.RapTotaal], keys: list[str]) -> Insert:
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(model)
    return stmt.on_conflict_do_update(
        index_elements=keys, set_={"aantal": model.aantal + stmt.excluded.aantal}
    )


async def tellingen_bij(session: AsyncSession, delta: Tijdlijn) -> None:
    """Add per-day changes to `rap_tellingen` and their sums to `rap_totalen`."""
    per_dag = sorted((k, v) for k, v in delta.items() if v)
    if not per_dag:
        return
    totaal: defaultdict[str, int] = defaultdict(int)
    for (_, sleutel), v in per_dag:
        totaal[sleutel] += v
    dialect = (await session.connection()).dialect.name
    await session.execute(
        _upsert(dialect, m.RapTelling, ["dag", "sleutel"]),
        [{"dag": d, "sleutel": k, "aantal": v} for (d, k), v in per_dag],
    )
    rows = [{"sleutel": k, "aantal": v} for k, v in sorted(totaal.items()) if v]
    if rows:
        await session.execute(_upsert(dialect, m.RapTotaal, ["sleutel"]), rows)


# --- a rebuild: every aggregate's timeline, the ledger read grouped by aggregate ---------------


Regel = tuple[str, str, str, datetime, str]
"""A ledger row as a rebuild reads it: (group, event id, event type, registered at, data)."""


class ProjectedBatch(NamedTuple):
    """What a batch of whole groups adds: its fact rows, counter deltas and strays."""

    gebeurtenissen: int
    feiten: Tabelrijen
    delta: Tijdlijn
    verdwaald: list[Feit]


def project_batch(regels: Sequence[Regel]) -> ProjectedBatch:
    """The facts and counters of ledger rows holding whole groups (see `Herbouw`).

    Plain data in and out, so that a rebuild can run it in worker processes.
    """
    herbouw = Herbouw()
    per_soort: defaultdict[str, list[Rij]] = defaultdict(list)
    for groep, event_id, event_type, registered_at, data in regels:
        # the stored JSON straight into the event model (validated as at ingest)
        event = EVENT_TYPES[event_type].model_validate_json(data)
        rows = feiten(event_id, registered_at, event)
        herbouw.add_facts(groep, rows)
        for r in rows:
            per_soort[type(r).__name__].append(tuple(r))
    herbouw.close_group()
    verdwaald = [r for rows in herbouw.verdwaald.values() for r in rows]
    return ProjectedBatch(len(regels), dict(per_soort), herbouw.delta, verdwaald)


class Herbouw:
    """The counters of a rebuild, fed the ledger's events grouped by their subject.

    Every event's subject is the id of the aggregate its facts belong to (`subject_field`),
    or it has none and is its own aggregate (a training record): the rebuild reads the
    ledger ordered by `coalesce(subject, event_id)`, so each aggregate's facts arrive
    together and its timeline is computed once, from facts in memory, without reading them
    back. A fact whose aggregate is not its event's group (a producer that sent another
    subject) is kept aside and settled at the end from the stored facts.
    """

    def __init__(self) -> None:
        self.delta: Tijdlijn = {}
        self.groep: str | None = None
        self.feiten: defaultdict[tuple[str, str], list[Feit]] = defaultdict(list)
        self.verdwaald: defaultdict[tuple[str, str], list[Feit]] = defaultdict(list)

    def add_facts(self, groep: str, rows: Iterable[Feit]) -> None:
        """The fact rows of one event of `groep` (events come grouped, in any order)."""
        if groep != self.groep:
            self.close_group()
            self.groep = groep
        for r in rows:
            key = REGISTER.aggregaat(r)
            (self.feiten if key[1] == groep else self.verdwaald)[key].append(r)

    def close_group(self) -> None:
        delta = self.delta
        for (naam, _), rows in self.feiten.items():
            for k, v in tijdlijn(REGISTER.soorten[naam], rows).items():
                delta[k] = delta.get(k, 0) + v
        self.feiten.clear()

    def merge(self, batch: ProjectedBatch) -> None:
        """Add a batch worked out by `project_batch` (its fact rows are stored apart)."""
        delta = self.delta
        for k, v in batch.delta.items():
            delta[k] = delta.get(k, 0) + v
        for r in batch.verdwaald:
            self.verdwaald[REGISTER.aggregaat(r)].append(r)

    async def finish(self, session: AsyncSession) -> None:
        """Settle the facts found outside their group, then write every counter.

        The fact rows must be stored by now. For an aggregate with such facts, the timeline
        already added is that of its stored facts without them.
        """
        self.close_group()
        if self.verdwaald:
            opgeslagen = await laad_feiten(session, self.verdwaald)
            for key, extra in self.verdwaald.items():
                ids = {r.event_id for r in extra}
                eerder = [r for r in opgeslagen.get(key, []) if r.event_id not in ids]
                soort = REGISTER.soorten[key[0]]
                verschil(tijdlijn(soort, eerder), tijdlijn(soort, eerder + extra), self.delta)
        await tellingen_bij(session, self.delta)
        await session.execute(
            update(m.RapVersie).where(m.RapVersie.id == 1).values(projectie=PROJECTIE_VERSIE)
        )
