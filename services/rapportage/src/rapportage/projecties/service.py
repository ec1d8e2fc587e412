"""Project events into the fact tables and the per-day counters the report is read from.

The same code serves the consumer (a batch of new events at a time) and a rebuild (the
whole ledger). For each aggregate an event touches, its contribution timeline
(`bijdragen.tijdlijn`) is computed from its facts before and after the new ones; the
difference is added to `rap_tellingen` (per day) and `rap_totalen` (over all days).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import DateTime, delete, event, insert, select, type_coerce, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from integriteit_shared.events import Envelope, EventData
from integriteit_shared.events import models as ev
from integriteit_shared.kalender import amsterdam_date
from rapportage.projecties import models as m
from rapportage.projecties.bijdragen import (
    RIJTYPEN,
    SOORTEN,
    Soort,
    Tijdlijn,
    aggregaat,
    rij,
    tijdlijn,
    verschil,
)

PROJECTIE_VERSIE = 1
"""Raise when the projection code changes what it writes: the service then rebuilds at start."""


class LokaleVersie:
    """Counts commits in this process that bumped the data version.

    Readers keep the database version in memory for a moment (see
    `jaarverslag.service.VersieWachter`); a commit here makes them look again at once, so
    the consumer's and a rebuild's changes in this process are visible immediately.
    """

    generatie = 0


@event.listens_for(Session, "after_commit")
def _na_commit(session: Session) -> None:
    if session.info.pop("rap_versie_gebumpt", False):
        LokaleVersie.generatie += 1


@event.listens_for(Session, "after_rollback")
def _na_rollback(session: Session) -> None:
    session.info.pop("rap_versie_gebumpt", None)
    session.info.pop("rap_nieuwe_feiten", None)


@event.listens_for(Session, "before_commit")
def _voor_commit(session: Session) -> None:
    if session.info.get("rap_nieuwe_feiten"):
        # a caller queued facts with `projecteer` but never called `verwerk`: refuse the
        # commit rather than store events in the ledger whose facts would be missing
        raise RuntimeError("projecteer zonder verwerk: feiten niet geschreven")


async def bump_versie(session: AsyncSession) -> None:
    """Bump the data version; also serialises projection writers against a rebuild."""
    await session.execute(
        update(m.RapVersie).where(m.RapVersie.id == 1).values(versie=m.RapVersie.versie + 1)
    )
    session.sync_session.info["rap_versie_gebumpt"] = True


def versie_gebumpt(session: AsyncSession) -> bool:
    """True when this transaction has bumped the data version already."""
    return bool(session.sync_session.info.get("rap_versie_gebumpt", False))


def feiten(event_id: str, registered_at: datetime, event: EventData) -> list[object]:
    """The fact rows one event establishes (none for events no indicator uses)."""
    base = {"event_id": event_id, "registered_at": registered_at}
    match event:
        case ev.MeldingOntvangen():
            return [
                rij(
                    m.RapMelding,
                    **base,
                    melding_id=event.melding_id,
                    ontvangen_op=event.ontvangen_op,
                    ontvangen_datum=amsterdam_date(event.ontvangen_op),
                    defensieonderdeel=event.defensieonderdeel,
                    vermoeden_misstand=event.vermoeden_misstand,
                ),
                rij(
                    m.RapCategorisering,
                    **base,
                    bron="hrhd",
                    aggregate_id=event.melding_id,
                    volgorde=0,
                    hoofdcategorie=event.hoofdcategorie,
                    subcategorie=event.subcategorie,
                ),
            ]
        case ev.MeldingGecategoriseerd():
            return [
                rij(
                    m.RapCategorisering,
                    **base,
                    bron="hrhd",
                    aggregate_id=event.melding_id,
                    volgorde=1,
                    hoofdcategorie=event.hoofdcategorie,
                    subcategorie=event.subcategorie,
                )
            ]
        case ev.MeldingOntvangstBevestigd():
            return [
                rij(
                    m.RapMeldingStap,
                    **base,
                    melding_id=event.melding_id,
                    stap="bevestigd",
                    datum=event.datum,
                )
            ]
        case ev.MeldingTerugkoppelingGegeven():
            return [
                rij(
                    m.RapMeldingStap,
                    **base,
                    melding_id=event.melding_id,
                    stap="terugkoppeling",
                    datum=event.datum,
                )
            ]
        case ev.MeldingAfgerond():
            return [
                rij(
                    m.RapMeldingStap,
                    **base,
                    melding_id=event.melding_id,
                    stap="afgerond",
                    datum=event.datum,
                )
            ]
        case ev.MisstandVermoedenGeregistreerd():
            return [
                rij(
                    m.RapMisstand,
                    **base,
                    melding_id=event.melding_id,
                    stap="vermoeden",
                    datum=event.datum,
                )
            ]
        case ev.MisstandAfgerond():
            return [
                rij(
                    m.RapMisstand,
                    **base,
                    melding_id=event.melding_id,
                    stap="afgerond",
                    datum=event.datum,
                    vastgesteld=event.vastgesteld,
                )
            ]
        case ev.IntegriteitsonderzoekGestart():
            return [
                rij(
                    m.RapOnderzoek,
                    **base,
                    onderzoek_id=event.onderzoek_id,
                    stap="gestart",
                    datum=event.startdatum,
                    defensieonderdeel=event.defensieonderdeel,
                )
            ]
        case ev.IntegriteitsonderzoekAfgerond():
            return [
                rij(
                    m.RapOnderzoek,
                    **base,
                    onderzoek_id=event.onderzoek_id,
                    stap="afgerond",
                    datum=event.einddatum,
                )
            ]
        case ev.NevenwerkzaamheidGeregistreerd():
            return [
                rij(
                    m.RapNevenwerkzaamheid,
                    **base,
                    nevenwerkzaamheid_id=event.nevenwerkzaamheid_id,
                    registratiedatum=event.registratiedatum,
                    defensieonderdeel=event.defensieonderdeel,
                )
            ]
        case ev.NevenwerkzaamheidGeadviseerd():
            return [
                rij(
                    m.RapAdvies,
                    **base,
                    nevenwerkzaamheid_id=event.nevenwerkzaamheid_id,
                    advies=event.advies,
                    datum=event.datum,
                )
            ]
        case ev.VertrouwenspersoonAangesteld():
            return [
                rij(
                    m.RapVertrouwenspersoon,
                    **base,
                    vertrouwenspersoon_id=event.vertrouwenspersoon_id,
                    stap="aangesteld",
                    datum=event.datum,
                    defensieonderdeel=event.defensieonderdeel,
                )
            ]
        case ev.VertrouwenspersoonBeeindigd():
            return [
                rij(
                    m.RapVertrouwenspersoon,
                    **base,
                    vertrouwenspersoon_id=event.vertrouwenspersoon_id,
                    stap="beeindigd",
                    datum=event.datum,
                )
            ]
        case ev.CasusGeregistreerd():
            return [
                rij(
                    m.RapCasus,
                    **base,
                    casus_id=event.casus_id,
                    datum=event.datum,
                    defensieonderdeel=event.defensieonderdeel,
                    hoofdcategorie=event.hoofdcategorie,
                    subcategorie=event.subcategorie,
                )
            ]
        case ev.KlachtIngediend():
            return [
                rij(
                    m.RapKlacht,
                    **base,
                    klacht_id=event.klacht_id,
                    ontvangen_op=event.ontvangen_op,
                    ontvangen_datum=amsterdam_date(event.ontvangen_op),
                    soort=event.soort,
                    defensieonderdeel=event.defensieonderdeel,
                )
            ]
        case ev.KlachtVerdaagd():
            return [
                rij(
                    m.RapKlachtStap,
                    **base,
                    klacht_id=event.klacht_id,
                    stap="verdaagd",
                    weken=event.weken,
                )
            ]
        case ev.CogBehandelingGestart():
            return [
                rij(
                    m.RapKlachtStap,
                    **base,
                    klacht_id=event.klacht_id,
                    stap="cog_gestart",
                    datum=event.datum,
                )
            ]
        case ev.CogAdviesUitgebracht():
            return [
                rij(
                    m.RapKlachtStap,
                    **base,
                    klacht_id=event.klacht_id,
                    stap="cog_advies",
                    datum=event.datum,
                )
            ]
        case ev.KlachtAfgehandeld():
            return [
                rij(
                    m.RapKlachtStap,
                    **base,
                    klacht_id=event.klacht_id,
                    stap="afgehandeld",
                    datum=event.datum,
                )
            ]
        case ev.BpsMeldingGeregistreerd():
            return [
                rij(
                    m.RapBpsMelding,
                    **base,
                    bps_id=event.bps_id,
                    registratiedatum=event.registratiedatum,
                ),
                rij(
                    m.RapCategorisering,
                    **base,
                    bron="bps",
                    aggregate_id=event.bps_id,
                    volgorde=0,
                    hoofdcategorie=event.hoofdcategorie,
                    subcategorie=event.subcategorie,
                ),
            ]
        case ev.BpsSchendingVastgesteld():
            return [rij(m.RapSchending, **base, bps_id=event.bps_id, datum=event.datum)]
        case ev.RechtspositioneelOnderzoekGestart():
            return [
                rij(
                    m.RapRpOnderzoek,
                    **base,
                    onderzoek_id=event.onderzoek_id,
                    stap="gestart",
                    datum=event.startdatum,
                )
            ]
        case ev.RechtspositioneelOnderzoekAfgerond():
            return [
                rij(
                    m.RapRpOnderzoek,
                    **base,
                    onderzoek_id=event.onderzoek_id,
                    stap="afgerond",
                    datum=event.einddatum,
                    schending_vastgesteld=event.schending_vastgesteld,
                )
            ]
        case ev.OpleidingsdeelnameGeregistreerd():
            return [
                rij(
                    m.RapOpleiding,
                    **base,
                    opleiding=event.opleiding,
                    datum=event.datum,
                    aantal_deelnemers=event.aantal_deelnemers,
                )
            ]
    return []  # afdoening-bepaald, casus-afgesloten, informele gesprekken: no indicator uses them


async def wis_projecties(session: AsyncSession) -> None:
    for table in (*m.PROJECTIE_TABELLEN, m.RapTelling, m.RapTotaal):
        await session.execute(delete(table))


def projecteer(session: AsyncSession, env: Envelope, event: EventData) -> None:
    """Queue the event's fact rows in the transaction; `verwerk` writes them at its end."""
    rows = feiten(env.id, env.time, event)
    if rows:
        session.sync_session.info.setdefault("rap_nieuwe_feiten", []).extend(rows)


async def verwerk(session: AsyncSession) -> None:
    """Write the queued facts and the counter changes they cause, in the caller's transaction.

    Per aggregate touched: its facts already stored are loaded (one query per fact table
    for the whole batch), its timeline is computed without and with the new facts, and the
    difference goes to the counters.
    """
    rows: list[Any] = session.sync_session.info.pop("rap_nieuwe_feiten", None) or []
    if not rows:
        return
    nieuw: defaultdict[tuple[str, str], list[Any]] = defaultdict(list)
    for r in rows:
        nieuw[aggregaat(r)].append(r)
    oud = await laad_feiten(session, nieuw)
    delta: dict[tuple[date, str], int] = {}
    for key, extra in nieuw.items():
        soort = SOORTEN[key[0]]
        eerder = oud.get(key, [])
        verschil(tijdlijn(soort, eerder), tijdlijn(soort, eerder + extra), delta)
    await schrijf_feiten(session, rows)
    await tellingen_bij(session, delta)


async def laad_feiten(
    session: AsyncSession, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[Any]]:
    """The stored facts of these aggregates, as fact rows."""
    per_soort: defaultdict[str, set[str]] = defaultdict(set)
    for naam, agg_id in keys:
        if naam != "opleiding":  # a training record is its own aggregate: nothing stored yet
            per_soort[naam].add(agg_id)
    out: defaultdict[tuple[str, str], list[Any]] = defaultdict(list)
    for naam, ids in per_soort.items():
        lijst = sorted(ids)
        for bron in SOORTEN[naam].bronnen:
            table = bron.model.__table__
            cls = RIJTYPEN[bron.model]
            kolom = table.c[bron.kolom]
            for i in range(0, len(lijst), 1000):
                query = select(*(table.c[f] for f in cls._fields)).where(
                    kolom.in_(lijst[i : i + 1000])
                )
                if bron.bron is not None:
                    query = query.where(table.c.bron == bron.bron)
                for row in await session.execute(query):
                    r = cls._make(row)
                    out[(naam, getattr(r, bron.kolom))].append(r)
    return out


def _per_model(rows: Iterable[Any]) -> dict[type[Any], list[Any]]:
    out: defaultdict[type[Any], list[Any]] = defaultdict(list)
    for r in rows:
        out[type(r).model].append(r)
    return out


async def schrijf_feiten(session: AsyncSession, rows: Sequence[Any]) -> None:
    """Insert fact rows: one multi-row statement per table, or COPY on PostgreSQL."""
    conn = await session.connection()
    if conn.dialect.name == "postgresql" and len(rows) > 100:
        raw = (await conn.get_raw_connection()).driver_connection
        assert raw is not None
        for model, part in _per_model(rows).items():
            await raw.copy_records_to_table(
                model.__tablename__, records=part, columns=type(part[0])._fields
            )
        return
    for model, part in _per_model(rows).items():
        await session.execute(insert(model), [r._asdict() for r in part])


def _upsert(dialect: str, model: type[Any], keys: list[str]) -> Any:
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


# --- a rebuild: every aggregate's timeline from the stored facts --------------------------------


async def _gegroepeerd(session: AsyncSession, soort: Soort) -> AsyncIterator[list[Any]]:
    """The stored facts of one kind, per aggregate (a merge of its tables ordered by id)."""
    conn = await session.connection()
    pg = conn.dialect.name == "postgresql"
    lezers = []
    for bron in soort.bronnen:
        table = bron.model.__table__
        cls = RIJTYPEN[bron.model]
        kolom = table.c[bron.kolom]
        # byte order on both databases, which is Python's order of str
        kolommen = [table.c[f] for f in cls._fields]
        if pg:  # PostgreSQL returns aware datetimes itself: skip the per-row conversion
            kolommen = [
                type_coerce(c, DateTime(timezone=True)) if c.key == "registered_at" else c
                for c in kolommen
            ]
        query = select(*kolommen).order_by(kolom.collate("C") if pg else kolom)
        if bron.bron is not None:
            query = query.where(table.c.bron == bron.bron)
        result = await conn.stream(query.execution_options(yield_per=5000))
        lezers.append(_Lezer(result.partitions(5000), cls, cls._fields.index(bron.kolom)))
    for lezer in lezers:
        await lezer.vul()
    while True:
        koppen = [k for k in (lz.kop() for lz in lezers) if k is not None]
        if not koppen:
            return
        agg_id = min(koppen)
        groep: list[Any] = []
        for lezer in lezers:
            await lezer.neem(agg_id, groep)
        yield groep


class _Lezer:
    """Buffered reading of one ordered stream of fact rows."""

    def __init__(self, partities: Any, cls: type[Any], kolom: int) -> None:
        self.partities = partities
        self.cls = cls
        self.kolom = kolom
        self.buf: list[Any] = []
        self.pos = 0
        self.klaar = False

    async def vul(self) -> None:
        while self.pos >= len(self.buf) and not self.klaar:
            part = await anext(self.partities, None)
            if part is None:
                self.klaar = True
                self.buf, self.pos = [], 0
            else:
                self.buf, self.pos = part, 0

    def kop(self) -> str | None:
        return self.buf[self.pos][self.kolom] if self.pos < len(self.buf) else None

    async def neem(self, agg_id: str, into: list[Any]) -> None:
        make = self.cls._make
        while self.pos < len(self.buf) and self.buf[self.pos][self.kolom] == agg_id:
            into.append(make(self.buf[self.pos]))
            self.pos += 1
            if self.pos >= len(self.buf):
                await self.vul()


async def herbouw_tellingen(session: AsyncSession) -> None:
    """Recompute every counter from the stored facts (the counter tables must be empty)."""
    delta: dict[tuple[date, str], int] = {}
    for soort in SOORTEN.values():
        async for feiten_ in _gegroepeerd(session, soort):
            for k, v in tijdlijn(soort, feiten_).items():
                delta[k] = delta.get(k, 0) + v
    await tellingen_bij(session, delta)
    await session.execute(
        update(m.RapVersie).where(m.RapVersie.id == 1).values(projectie=PROJECTIE_VERSIE)
    )
