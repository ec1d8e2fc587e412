"""Retention: when a record's period ends, its personal data and free text are destroyed.

Each service lists its rules (`Bewaarregel`): a kind of record, the final state its period
counts from, the setting holding the period in days, the reason for the default, and two
functions: which records' periods ended before a date, and how to destroy one. This module
runs them the same way for every service:

- one purge at a time across replicas: a transaction-scoped advisory lock on PostgreSQL
  (a second purge finds it taken and does nothing: one winner); SQLite's single writer;
- a record under legal hold (`bewaarplichten`) is never a candidate, and placing a hold
  takes the same lock, so a hold and a purge never cross;
- each destruction is an audit entry (`record_audit`, action "vernietigd") with the kind
  and the record id, in the transaction of the destruction;
- the purge emits no events and keeps the skeleton (ids, codes, dates), so the figures
  built from the events and the audit chain stay as they were.

The daily run is `BewaartermijnBewaker` in each service's lifespan; on demand it is
`integriteit bewaartermijnen SERVICE [--dry-run]`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import structlog
from sqlalchemy import ColumnElement, String, Text, UniqueConstraint, and_, exists, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column

from integriteit_shared.crypto.audit import record_audit
from integriteit_shared.crypto.fields import FieldCipher, field_aad
from integriteit_shared.crypto.gegevenssleutels import niet_vernietigd
from integriteit_shared.db.base import Base, utcnow
from integriteit_shared.db.session import Database
from integriteit_shared.kalender import vandaag
from integriteit_shared.settings import ServiceSettings
from integriteit_shared.tasks import stop_task

__all__ = [
    "BEWAAR_ACTOR",
    "Bewaarplicht",
    "BewaarplichtConflict",
    "Bewaarregel",
    "BewaartermijnBewaker",
    "Kandidaten",
    "Vernietig",
    "Vernietiging",
    "bewaartermijnen_toepassen",
    "hef_bewaarplicht",
    "niet_bewaard",
    "plaats_bewaarplicht",
]

_log = structlog.get_logger("bewaartermijnen")

# Arbitrary constant bigint naming the lock that serialises purges and holds.
BEWAAR_ADVISORY_LOCK_KEY = 0x0BE_4AA2_7E12
BEWAAR_ACTOR = "systeem:bewaartermijnen"
# records destroyed per transaction; the next round (or the next day) takes the rest
BATCH = 200
DAG_S = 24 * 3600.0


class Bewaarplicht(Base):
    """A legal hold on one record: while it stands, the record is not purged.

    `reden` is encrypted with the service key (aad "bewaarplichten.reden:<id>")."""

    __tablename__ = "bewaarplichten"
    __table_args__ = (UniqueConstraint("object_type", "object_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[str] = mapped_column(String(36), index=True)
    reden: Mapped[str] = mapped_column(Text)
    door: Mapped[str] = mapped_column(String(200))
    sinds: Mapped[datetime] = mapped_column(default=utcnow)


# an id column, of a table or of an ORM class
Kolom = ColumnElement[str] | InstrumentedAttribute[str]


def niet_bewaard(
    object_type: str, id_column: ColumnElement[str] | InstrumentedAttribute[str]
) -> ColumnElement[bool]:
    """SQL: the record of `id_column` has no legal hold (for a rule's candidates)."""
    return ~exists().where(
        and_(Bewaarplicht.object_type == object_type, Bewaarplicht.object_id == id_column)
    )


async def te_vernietigen(
    session: AsyncSession,
    id_column: InstrumentedAttribute[str],
    *voorwaarden: ColumnElement[bool],
    object_type: str,
    sleutels: str,
    limit: int,
) -> list[str]:
    """A rule's candidates: the ids of the records meeting `voorwaarden` (their final state
    on or before the limit date), not under legal hold (`object_type`) and whose data key
    ("<sleutels>:<id>") is not destroyed yet; in id order, at most `limit`."""
    query = (
        select(id_column)
        .where(
            *voorwaarden,
            niet_bewaard(object_type, id_column),
            niet_vernietigd(sleutels, id_column),
        )
        .order_by(id_column)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


class BewaarplichtConflict(Exception):
    """409: a hold on a held record, or lifting a hold that is not there."""


async def _slot(session: AsyncSession, *, wachten: bool) -> bool:
    """Take the purge lock for this transaction (SQLite: its write lock already is one)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    if wachten:
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:k)"), {"k": BEWAAR_ADVISORY_LOCK_KEY}
        )
        return True
    return bool(
        await session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": BEWAAR_ADVISORY_LOCK_KEY}
        )
    )


async def plaats_bewaarplicht(
    session: AsyncSession,
    cipher: FieldCipher,
    *,
    hold_id: str,
    object_type: str,
    object_id: str,
    reden: str,
    door: str,
    request_id: str | None,
) -> Bewaarplicht:
    """Place a hold (audited); BewaarplichtConflict when the record already has one."""
    await _slot(session, wachten=True)  # never while a purge is deciding
    hold = Bewaarplicht(
        id=hold_id,
        object_type=object_type,
        object_id=object_id,
        reden=cipher.encrypt(reden, aad=field_aad("bewaarplichten", "reden", hold_id)),
        door=door,
        sinds=utcnow(),
    )
    try:
        async with session.begin_nested():
            session.add(hold)
            await session.flush()
    except IntegrityError:
        raise BewaarplichtConflict("er staat al een bewaarplicht op dit object") from None
    await record_audit(
        session,
        actor=door,
        action="bewaarplicht_geplaatst",
        object_type=object_type,
        object_id=object_id,
        fields=["bewaarplicht.reden"],
        request_id=request_id,
    )
    return hold


async def hef_bewaarplicht(
    session: AsyncSession,
    *,
    object_type: str,
    object_id: str,
    door: str,
    request_id: str | None,
) -> None:
    """Lift the hold (audited; its reason goes with it); BewaarplichtConflict if none."""
    await _slot(session, wachten=True)
    hold = (
        await session.scalars(
            select(Bewaarplicht)
            .where(Bewaarplicht.object_type == object_type, Bewaarplicht.object_id == object_id)
            .with_for_update()
        )
    ).first()
    if hold is None:
        raise BewaarplichtConflict("er staat geen bewaarplicht op dit object")
    await session.delete(hold)
    await session.flush()
    await record_audit(
        session,
        actor=door,
        action="bewaarplicht_opgeheven",
        object_type=object_type,
        object_id=object_id,
        fields=["bewaarplicht.reden"],
        request_id=request_id,
    )


# which records' periods ended on or before a date (at most `limit`), not held, not destroyed
Kandidaten = Callable[[AsyncSession, date, int], Awaitable[Sequence[str]]]
# destroy one record's data, in the purge's transaction
Vernietig = Callable[[AsyncSession, str], Awaitable[None]]


@dataclass(frozen=True)
class Bewaarregel:
    """One kind of record and its retention (docs/privacy.md lists every rule)."""

    # the kind, as docs/privacy.md and the CLI name it ("meldingen", "berichten", ...)
    soort: str
    # the final state the period counts from, in words
    eindtoestand: str
    # the settings attribute with the period in days (env <PREFIX>_<NAAM IN CAPITALS>)
    instelling: str
    # the audit entry's object type (the record whose data goes: "melding", "klacht")
    object_type: str
    # the fields destroyed, as the audit entry names them (names, never values)
    velden: tuple[str, ...]
    kandidaten: Kandidaten
    vernietig: Vernietig


@dataclass(frozen=True)
class Vernietiging:
    soort: str
    object_type: str
    object_id: str

    def json(self) -> dict[str, str]:
        return {"soort": self.soort, "objectType": self.object_type, "id": self.object_id}


def periode(settings: ServiceSettings, regel: Bewaarregel) -> int:
    dagen = getattr(settings, regel.instelling)
    if not isinstance(dagen, int) or dagen < 0:
        raise ValueError(f"{regel.instelling} must be a number of days, at least 0")
    return dagen


async def bewaartermijnen_toepassen(
    db: Database,
    settings: ServiceSettings,
    regels: Sequence[Bewaarregel],
    *,
    dry_run: bool = False,
    op: date | None = None,
) -> list[Vernietiging] | None:
    """Destroy (or with `dry_run` only list) what is due on `op` (default today).

    Returns None when another purge holds the lock (it does the work), else what was
    (or would be) destroyed. Runs batch after batch until nothing is due.
    """
    dag = op or vandaag()
    gedaan: list[Vernietiging] = []
    while True:
        ronde: list[Vernietiging] = []
        async with db.transaction(writes=not dry_run) as session:
            if not dry_run and not await _slot(session, wachten=False):
                return None
            for regel in regels:
                grens = dag - timedelta(days=periode(settings, regel))
                ids = await regel.kandidaten(session, grens, BATCH - len(ronde))
                for object_id in ids:
                    ronde.append(Vernietiging(regel.soort, regel.object_type, object_id))
                    if dry_run:
                        continue
                    await regel.vernietig(session, object_id)
                    await record_audit(
                        session,
                        actor=BEWAAR_ACTOR,
                        action="vernietigd",
                        object_type=regel.object_type,
                        object_id=object_id,
                        fields=[f"{regel.soort}.{veld}" for veld in regel.velden],
                    )
                if len(ronde) >= BATCH:
                    break
        gedaan.extend(ronde)
        if dry_run or len(ronde) < BATCH:
            return gedaan


class BewaartermijnBewaker:
    """Purges once at start and then every `interval_s` (a day), until the service stops."""

    def __init__(
        self,
        db: Database,
        settings: ServiceSettings,
        regels: Sequence[Bewaarregel],
        *,
        interval_s: float = DAG_S,
    ) -> None:
        self.database = db
        self.settings = settings
        self.regels = tuple(regels)
        self.interval_s = interval_s
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="bewaartermijnen")

    async def stop(self) -> None:
        self._stopping.set()
        await stop_task(self._task)
        self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                gedaan = await bewaartermijnen_toepassen(self.database, self.settings, self.regels)
                if gedaan:
                    _log.info("bewaartermijnen_vernietigd", aantal=len(gedaan))
            except Exception as exc:  # database away for a moment: tomorrow's round
                _log.warning("bewaartermijnen_mislukt", error=type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.interval_s)
