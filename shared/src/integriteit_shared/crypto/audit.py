"""Append-only, keyed hash chain of reads and writes of protected data.

Each entry stores ``prev_hash`` (the previous entry's ``hash``; 64 zeros for the first),
its ``volgnummer`` (1, 2, 3, ... in chain order) and ``hash = HMAC-SHA256(key, canonical
JSON of its fields, volgnummer, sleutel_id and prev_hash)`` under the audit key named by
``sleutel_id`` (`AuditKeys`: a secret of its own, not an encryption key; the first key of
the setting signs, every key listed verifies, so a key is rotated by putting a new one
first). Changing a row breaks its own HMAC, and without the key nobody can compute a new
one; deleting a row breaks the next row's link and leaves a gap in the numbers.

What the chain cannot show by itself, removal of the newest entries or a rewrite by
someone who holds the key, the anchors show: each service publishes its chain head
(volgnummer and HMAC, `AuditKetenkop`) outside its own database, and `verify_audit_chain`
checks the chain against the latest one it is given.

Entries written before the chain was keyed (plain SHA-256, ``compute_audit_hash``) were
verified and then signed by the migration that added the key (`rekey_chain`, run by
`integriteit migrate` with the service's own audit keys); an entry without a key is refused.
The id is not hashed: it is assigned by the database on INSERT, after the hash is
known. Entries hold field *names*, never values.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Index,
    Integer,
    Select,
    String,
    UniqueConstraint,
    delete,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow

__all__ = [
    "ANONIEM_ACTOR",
    "AUDIT_ADVISORY_LOCK_KEY",
    "AUDIT_QUEUE_COLUMNS",
    "DEV_AUDIT_KEYS",
    "GENESIS_HASH",
    "MELDER_ACTOR",
    "VOLGSESSIE_ACTOR_PREFIX",
    "AuditAnchor",
    "AuditEntry",
    "AuditFilter",
    "AuditKeys",
    "AuditQueued",
    "AuditVerification",
    "ChainState",
    "IncrementalVerifier",
    "audit_log_ddl_guard",
    "audit_log_ddl_guard_drop",
    "audit_query",
    "audit_queue_insert_sql",
    "audit_queue_params",
    "chain_head",
    "chain_queued",
    "compute_audit_hash",
    "compute_audit_hmac",
    "is_melder_actor",
    "queue_audit",
    "record_audit",
    "rekey_chain",
    "shown_actor",
    "use_audit_keys",
    "verify_audit_chain",
]

GENESIS_HASH = "0" * 64
# Arbitrary constant bigint naming the transaction-scoped lock that serialises appends.
AUDIT_ADVISORY_LOCK_KEY = 0x1A7D17_0A0D17
_VERIFY_BATCH = 1000
# Published in the repo on purpose: usable only in dev mode, refused otherwise (settings).
DEV_AUDIT_KEYS = "dev-audit1:ZGV2LW9ubHktYXVkaXQta2V5LW5vdC1mb3ItcHJvZCE="


class AuditKeys:
    """The chain's HMAC keys from a setting "kid:base64(32 bytes),kid2:...": the first signs,
    all verify (rotation: put the new key first, keep the old ones after it)."""

    def __init__(self, keys: Mapping[str, bytes], active: str) -> None:
        if active not in keys:
            raise ValueError("the active audit key must be one of the keys")
        self._keys = dict(keys)
        self.active = active

    @classmethod
    def from_setting(cls, setting: str) -> AuditKeys:
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for part in (p.strip() for p in setting.split(",")):
            kid, sep, encoded = part.partition(":")
            if not sep or not kid or len(kid) > 32:
                raise ValueError("audit keys are 'kid:base64', comma-separated; kid <= 32 chars")
            try:
                key = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ValueError(f"audit key {kid!r} is not base64") from exc
            if len(key) < 32:
                raise ValueError(f"audit key {kid!r} must be at least 32 bytes")
            keys[kid] = key
            order.append(kid)
        if not order:
            raise ValueError("at least one audit key is needed")
        return cls(keys, order[0])

    def key(self, kid: str) -> bytes | None:
        return self._keys.get(kid)


_default_keys = AuditKeys.from_setting(DEV_AUDIT_KEYS)


def use_audit_keys(keys: AuditKeys) -> None:
    """The keys `record_audit`, `chain_queued` and `verify_audit_chain` use when called
    without `keys=`: the app factory sets the service's own from its settings."""
    global _default_keys
    _default_keys = keys


def _keys(keys: AuditKeys | None) -> AuditKeys:
    return keys if keys is not None else _default_keys


class _AuditFields:
    """What an entry records: who did what to which fields of which object, and when."""

    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str] = mapped_column(String(100))
    object_id: Mapped[str] = mapped_column(String(200))
    fields: Mapped[str] = mapped_column(String(2000), default="")
    request_id: Mapped[str | None] = mapped_column(String(200), default=None)


class AuditEntry(_AuditFields, Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        # A second entry claiming the same predecessor would fork the chain: refuse it
        # at the database even if a writer ever bypasses the lock.
        UniqueConstraint("prev_hash"),
        # for its readers (GET /auditlog, the inzagelog): by object, actor, period
        Index("ix_audit_log_object_moment", "object_id", "occurred_at"),
        Index("ix_audit_log_actor_moment", "actor", "occurred_at"),
        Index("ix_audit_log_moment", "occurred_at"),
        # AUTOINCREMENT: SQLite never reuses the id of a removed last row.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # position in the chain, from 1 (NULL only before the keying migration ran)
    volgnummer: Mapped[int | None] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), unique=True, index=True, default=None
    )
    # the audit key of the HMAC (NULL only before the keying migration ran)
    sleutel_id: Mapped[str | None] = mapped_column(String(32), default=None)

    def __repr__(self) -> str:
        return (
            f"AuditEntry(id={self.id!r}, action={self.action!r}, "
            f"object={self.object_type}/{self.object_id})"
        )


@dataclass(frozen=True, slots=True)
class AuditVerification:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str | None = None
    # the chain's last volgnummer, and the anchor it was checked against (None: no anchor)
    last_volgnummer: int | None = None
    anchor_volgnummer: int | None = None


@dataclass(frozen=True, slots=True)
class AuditAnchor:
    """A chain head as published outside the database: the entry `volgnummer` had `hash`."""

    volgnummer: int
    hash: str


def _canonical_time(value: datetime) -> str:
    # Fixed microsecond precision in UTC: what both PostgreSQL and SQLite give back.
    if value.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def compute_audit_hash(
    *,
    occurred_at: datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    fields: str,
    request_id: str | None,
    prev_hash: str,
) -> str:
    payload = {
        "occurred_at": _canonical_time(occurred_at),
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "fields": fields,
        "request_id": request_id,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def compute_audit_hmac(
    key: bytes,
    *,
    sleutel_id: str,
    volgnummer: int,
    occurred_at: datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    fields: str,
    request_id: str | None,
    prev_hash: str,
) -> str:
    payload = {
        "v": 2,
        "sleutel_id": sleutel_id,
        "volgnummer": volgnummer,
        "occurred_at": _canonical_time(occurred_at),
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "fields": fields,
        "request_id": request_id,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def _check_fields(fields: Sequence[str]) -> str:
    if isinstance(fields, str):  # a str is a Sequence[str]: "naam" would become "n,a,a,m"
        raise TypeError("fields must be a sequence of field names, not a str")
    for name in fields:
        if not name or "," in name:
            raise ValueError(f"invalid field name {name!r}")
    return ",".join(fields)


async def _lock_and_head(session: AsyncSession) -> tuple[str, int]:
    """Take the append lock (held until the transaction ends); the chain's last hash and
    volgnummer (GENESIS_HASH and 0 for an empty chain)."""
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_ADVISORY_LOCK_KEY}
        )
    elif conn.dialect.name == "sqlite":
        # Take SQLite's write lock *before* reading the last hash: a plain SELECT would
        # run unlocked and two writers could read the same predecessor. A zero-row
        # UPDATE takes the lock without touching rows, so the guard triggers stay quiet.
        await session.execute(text("UPDATE audit_log SET id = id WHERE 0"))
    last = (
        await session.execute(
            select(AuditEntry.hash, AuditEntry.volgnummer).order_by(AuditEntry.id.desc()).limit(1)
        )
    ).first()
    if last is None:
        return GENESIS_HASH, 0
    volgnummer = last.volgnummer
    if volgnummer is None:  # not migrated yet: count instead
        volgnummer = int(await session.scalar(select(func.count()).select_from(AuditEntry)) or 0)
    return str(last.hash), int(volgnummer)


def _chained(
    values: dict[str, Any], prev_hash: str, volgnummer: int, keys: AuditKeys
) -> dict[str, Any]:
    """An entry's columns (AUDIT_QUEUE_COLUMNS) linked after `prev_hash` as number
    `volgnummer`, with its HMAC under the active key."""
    key = keys.key(keys.active)
    assert key is not None
    linked = {**values, "prev_hash": prev_hash, "volgnummer": volgnummer, "sleutel_id": keys.active}
    linked["hash"] = compute_audit_hmac(key, **linked)
    return linked


async def chain_head(session: AsyncSession) -> AuditAnchor | None:
    """The chain's newest entry as an anchor (None for an empty chain); no lock taken."""
    last = (
        await session.execute(
            select(AuditEntry.hash, AuditEntry.volgnummer).order_by(AuditEntry.id.desc()).limit(1)
        )
    ).first()
    if last is None or last.volgnummer is None:
        return None
    return AuditAnchor(volgnummer=int(last.volgnummer), hash=str(last.hash))


async def record_audit(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    fields: Sequence[str],
    request_id: str | None = None,
    keys: AuditKeys | None = None,
) -> AuditEntry:
    """Append one entry inside the caller's transaction (it commits or rolls back with it).

    Appends are serialised until that transaction ends, so keep it short. PostgreSQL:
    assumes READ COMMITTED (the default), so the read after the lock sees the last commit.
    A write path that must not wait for that lock queues its entry (`queue_audit`).
    """
    values = audit_queue_params(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        fields=fields,
        request_id=request_id,
    )
    prev_hash, volgnummer = await _lock_and_head(session)
    columns = dict(zip(AUDIT_QUEUE_COLUMNS, values, strict=True))
    entry = AuditEntry(**_chained(columns, prev_hash, volgnummer + 1, _keys(keys)))
    session.add(entry)
    await session.flush()  # assign the id now, still under the lock
    return entry


# --- the queue: entries written with the change, chained moments later ---------------------


class AuditQueued(_AuditFields, Base):
    """An audit entry written in the transaction of the change it records, not yet chained.

    Inserting here takes no lock, so a busy write path (the intake) does not queue behind
    every other writer for the chain's last hash; `chain_queued` moves entries into
    `audit_log` in id order, in one transaction with their removal from here: an entry is
    never lost and never chained twice.
    """

    __tablename__ = "audit_queue"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )


AUDIT_QUEUE_COLUMNS = (
    "occurred_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "fields",
    "request_id",
)


def audit_queue_params(
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    fields: Sequence[str],
    request_id: str | None = None,
) -> list[Any]:
    """One queued entry's values, in the order of AUDIT_QUEUE_COLUMNS (for raw SQL)."""
    return [utcnow(), actor, action, object_type, object_id, _check_fields(fields), request_id]


def audit_queue_insert_sql(first_param: int) -> str:
    """`INSERT INTO audit_queue (...) VALUES ($n, ...)` in the order of `audit_queue_params`."""
    values = ", ".join(f"${first_param + i}" for i in range(len(AUDIT_QUEUE_COLUMNS)))
    # column names and numbered placeholders only: no input in the text
    return f"INSERT INTO audit_queue ({', '.join(AUDIT_QUEUE_COLUMNS)}) VALUES ({values})"  # noqa: S608


async def queue_audit(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    fields: Sequence[str],
    request_id: str | None = None,
) -> None:
    """Queue one entry in the caller's transaction; `chain_queued` appends it to the log."""
    values = audit_queue_params(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        fields=fields,
        request_id=request_id,
    )
    session.add(AuditQueued(**dict(zip(AUDIT_QUEUE_COLUMNS, values, strict=True))))


async def chain_queued(
    session: AsyncSession, *, limit: int = 500, keys: AuditKeys | None = None
) -> int:
    """Append up to `limit` queued entries to the chain, oldest first; returns how many."""
    queued = AuditQueued.__table__
    if (await session.execute(select(queued.c.id).limit(1))).first() is None:
        return 0  # nothing queued: no lock taken
    prev_hash, volgnummer = await _lock_and_head(session)
    actief = _keys(keys)
    rows = (
        (await session.execute(select(queued).order_by(queued.c.id).limit(limit))).mappings().all()
    )
    entries = []
    for row in rows:
        volgnummer += 1
        entry = _chained({k: row[k] for k in AUDIT_QUEUE_COLUMNS}, prev_hash, volgnummer, actief)
        prev_hash = entry["hash"]
        entries.append(entry)
    if entries:
        # Core statements: no ORM objects for a background task that runs all day
        await session.execute(insert(AuditEntry), entries)
        # exactly the rows chained: an entry with a lower id that commits after the read
        # above stays queued for the next round
        await session.execute(
            delete(AuditQueued).where(AuditQueued.id.in_([r["id"] for r in rows]))
        )
    return len(rows)


async def verify_audit_chain(
    session: AsyncSession,
    *,
    batch_size: int = _VERIFY_BATCH,
    keys: AuditKeys | None = None,
    anchor: AuditAnchor | None = None,
) -> AuditVerification:
    """Walk the log in id order, one batch in memory at a time; stop at the first fault.

    Each entry's HMAC (or, before the chain was keyed, its SHA-256), its link to the one
    before and its volgnummer (no gaps) are checked. With `anchor` (the latest chain head
    published outside the database) the entry with the anchor's volgnummer must exist and
    carry the anchor's hash: that shows a rewrite by someone holding the key (every hash
    recomputed) and a chain cut off before the anchor. Entries after the latest anchor are
    covered by the key alone, until the next anchor.
    """
    walk = _Walk(_keys(keys), anchor)
    table = AuditEntry.__table__
    # Core rows, not ORM objects: nothing piles up in the session's identity map.
    base_query = select(table).order_by(table.c.id).limit(batch_size)
    last_id: int | None = None
    while True:
        query = base_query if last_id is None else base_query.where(table.c.id > last_id)
        rows = (await session.execute(query)).mappings().all()
        if not rows:
            return walk.end()
        for row in rows:
            problem = walk.step(row)
            if problem is not None:
                return walk.fault(row["id"], problem)
        last_id = rows[-1]["id"]


class _Walk:
    """The state of one verification: what the next entry must link to and be numbered."""

    def __init__(self, keys: AuditKeys, anchor: AuditAnchor | None) -> None:
        self.keys = keys
        self.anchor = anchor
        self.expected_prev = GENESIS_HASH
        self.checked = 0
        self.volgnummer = 0
        self.anchor_seen = False

    def step(self, row: Any) -> str | None:
        self.checked += 1
        problem = _check_row(row, self.expected_prev, self.keys)
        if problem is not None:
            return problem
        if row["volgnummer"] != self.volgnummer + 1:
            return (
                f"gap: volgnummer {row['volgnummer']} follows {self.volgnummer} "
                "(entries are missing)"
            )
        self.volgnummer += 1
        self.expected_prev = row["hash"]
        if self.anchor is not None and self.volgnummer == self.anchor.volgnummer:
            self.anchor_seen = True
            if row["hash"] != self.anchor.hash:
                return (
                    "entry differs from the published anchor: the chain up to it was "
                    "rewritten (its hashes recomputed)"
                )
        return None

    def fault(self, row_id: int, reason: str) -> AuditVerification:
        return AuditVerification(
            ok=False,
            checked=self.checked,
            first_bad_id=row_id,
            reason=reason,
            last_volgnummer=self.volgnummer,
            anchor_volgnummer=self.anchor.volgnummer if self.anchor else None,
        )

    def end(self) -> AuditVerification:
        anchored = self.anchor.volgnummer if self.anchor else None
        if self.anchor is not None and not self.anchor_seen:
            return AuditVerification(
                ok=False,
                checked=self.checked,
                reason=(
                    f"truncated: the published anchor names entry {self.anchor.volgnummer}, "
                    f"the chain ends at {self.volgnummer}"
                ),
                last_volgnummer=self.volgnummer,
                anchor_volgnummer=anchored,
            )
        return AuditVerification(
            ok=True,
            checked=self.checked,
            last_volgnummer=self.volgnummer,
            anchor_volgnummer=anchored,
        )


def _check_row(row: Any, expected_prev: str, keys: AuditKeys) -> str | None:
    fields = {
        "occurred_at": row["occurred_at"],
        "actor": row["actor"],
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "fields": row["fields"],
        "request_id": row["request_id"],
        "prev_hash": row["prev_hash"],
    }
    sleutel_id = row["sleutel_id"]
    if sleutel_id is None or row["volgnummer"] is None:
        # the migration that keyed the chain signed every older entry: an unkeyed one was
        # added (or rewritten) without the key
        return "entry without an audit key: not written by the service"
    key = keys.key(sleutel_id)
    if key is None:
        return f"entry is signed with audit key {sleutel_id!r}, which is not configured"
    recomputed = compute_audit_hmac(
        key, sleutel_id=sleutel_id, volgnummer=row["volgnummer"], **fields
    )
    if not hmac.compare_digest(recomputed, row["hash"]):
        return "entry was changed: its hash does not match its contents"
    if row["prev_hash"] != expected_prev:
        if expected_prev == GENESIS_HASH:
            return "chain does not start at the genesis hash: earlier entries are missing"
        return (
            "broken link: prev_hash differs from the previous entry's hash "
            "(an entry before it was deleted or changed)"
        )
    return None


# --- reading the log -------------------------------------------------------------------

# How a melder acting on their own case is named in the log, never by a sub: `melder` (a
# named melder with their own token), `anoniem` (an anonymous intake) or `volgsessie:<id>`
# (following up with a volgcode; the id names the session, not the person).
MELDER_ACTOR = "melder"
ANONIEM_ACTOR = "anoniem"
VOLGSESSIE_ACTOR_PREFIX = "volgsessie:"


def _melder_actor_clause() -> Any:
    return or_(
        AuditEntry.actor.in_((MELDER_ACTOR, ANONIEM_ACTOR)),
        AuditEntry.actor.startswith(VOLGSESSIE_ACTOR_PREFIX, autoescape=True),
    )


def is_melder_actor(actor: str) -> bool:
    return actor in (MELDER_ACTOR, ANONIEM_ACTOR) or actor.startswith(VOLGSESSIE_ACTOR_PREFIX)


def shown_actor(actor: str) -> str:
    """An entry's actor as a reader of the log sees it: staff by their sub, a melder (own
    token, volgsessie or anonymous intake) as `melder`, with nothing that tells who they
    are or which of their sessions it was."""
    return MELDER_ACTOR if is_melder_actor(actor) else actor


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries a reader asks for; every part optional, all given parts must hold."""

    object_types: Sequence[str] = ()
    object_ids: Sequence[str] = ()
    # as shown (`shown_actor`): any melder form selects every entry of a melder
    actor: str | None = None
    vanaf: datetime | None = None  # from this moment, inclusive
    tot: datetime | None = None  # up to this moment, exclusive


def audit_query(filter: AuditFilter) -> Select[AuditEntry]:
    """The chained entries that match `filter`, in the order they happened (moment, then
    chain order for entries of the same moment)."""
    query = select(AuditEntry)
    if filter.object_types:
        query = query.where(AuditEntry.object_type.in_(list(filter.object_types)))
    if filter.object_ids:
        query = query.where(AuditEntry.object_id.in_(list(filter.object_ids)))
    if filter.actor is not None:
        if is_melder_actor(filter.actor):
            query = query.where(_melder_actor_clause())
        else:
            query = query.where(AuditEntry.actor == filter.actor)
    if filter.vanaf is not None:
        query = query.where(AuditEntry.occurred_at >= filter.vanaf)
    if filter.tot is not None:
        query = query.where(AuditEntry.occurred_at < filter.tot)
    return query.order_by(AuditEntry.occurred_at, AuditEntry.id)


@dataclass(frozen=True, slots=True)
class ChainState:
    """Where the verification of a reader's view of the chain stands."""

    verification: AuditVerification
    # the walk reached the chain's end as it was at that moment (False: the next reads
    # go on from where this one stopped)
    complete: bool
    # when the walk from the first entry began (a new one starts every `rewalk_after_s`)
    walk_started_at: datetime


class IncrementalVerifier:
    """The chain's verification for readers of the log, kept per process and advanced by a
    bounded number of entries per call, so that no request walks a huge chain.

    The first call walks from the first entry, at most `step` entries; later calls go on
    from the last entry checked, so that once caught up a call checks only the entries
    added since. Every `rewalk_after_s` the walk starts again from the first entry: a
    change to an entry that was checked already (possible only with the database's owner
    rights, the table refuses UPDATE and DELETE) shows at the next walk. A fault stays
    reported until then. Checked: each entry's HMAC, its link to the one before and its
    number; the comparison with the anchors published outside the database is
    `integriteit audit-verify`'s, which reads them from rapportage's ledger.
    """

    def __init__(
        self,
        *,
        keys: AuditKeys | None = None,
        step: int = 20_000,
        rewalk_after_s: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if step < 1:
            raise ValueError("step must be at least 1")
        self.keys = keys
        self.step = step
        self.rewalk_after_s = rewalk_after_s
        self._clock = clock
        self._lock = asyncio.Lock()
        self._walk: _Walk | None = None
        self._began = 0.0
        self._began_at = utcnow()
        self._last_id: int | None = None
        self._fault: AuditVerification | None = None

    async def advance(self, session: AsyncSession) -> ChainState:
        async with self._lock:
            now = self._clock()
            if self._walk is None or now - self._began >= self.rewalk_after_s:
                self._walk = _Walk(_keys(self.keys), None)
                self._began, self._began_at = now, utcnow()
                self._last_id, self._fault = None, None
            return await self._advance(session, self._walk)

    async def _advance(self, session: AsyncSession, walk: _Walk) -> ChainState:
        if self._fault is not None:
            return ChainState(self._fault, complete=True, walk_started_at=self._began_at)
        table = AuditEntry.__table__
        remaining = self.step
        while remaining > 0:
            query = select(table).order_by(table.c.id).limit(min(remaining, _VERIFY_BATCH))
            if self._last_id is not None:
                query = query.where(table.c.id > self._last_id)
            rows = (await session.execute(query)).mappings().all()
            if not rows:
                return ChainState(walk.end(), complete=True, walk_started_at=self._began_at)
            for row in rows:
                problem = walk.step(row)
                if problem is not None:
                    self._fault = walk.fault(row["id"], problem)
                    return ChainState(self._fault, complete=True, walk_started_at=self._began_at)
            self._last_id = rows[-1]["id"]
            remaining -= len(rows)
        return ChainState(walk.end(), complete=False, walk_started_at=self._began_at)


def rekey_chain(rows: Sequence[Mapping[str, Any]], keys: AuditKeys) -> list[dict[str, Any]]:
    """The keying migration: verify an unkeyed (SHA-256) chain, then sign it anew.

    `rows` in id order, every column of audit_log. Returns, per row, its id and its new
    prev_hash, hash, volgnummer and sleutel_id. Raises ValueError when the old chain does
    not verify: a chain that was already tampered with must not be laundered by signing.
    """
    expected = GENESIS_HASH
    for row in rows:
        fields = {k: row[k] for k in (*AUDIT_QUEUE_COLUMNS, "prev_hash")}
        if compute_audit_hash(**fields) != row["hash"] or row["prev_hash"] != expected:
            raise ValueError(f"audit chain does not verify at id {row['id']}; not re-keying")
        expected = row["hash"]
    result = []
    prev_hash = GENESIS_HASH
    for volgnummer, row in enumerate(rows, start=1):
        values = {k: row[k] for k in AUDIT_QUEUE_COLUMNS}
        linked = _chained(values, prev_hash, volgnummer, keys)
        prev_hash = linked["hash"]
        result.append(
            {
                "id": row["id"],
                **{k: linked[k] for k in ("prev_hash", "hash", "volgnummer", "sleutel_id")},
            }
        )
    return result


def audit_log_ddl_guard(dialect_name: str) -> list[str]:
    """Statements (run one by one, e.g. ``op.execute``) that make audit_log append-only.

    Row-level triggers only, so TRUNCATE (tests, deliberate resets) still works on
    PostgreSQL. Contain no ``:`` or ``%`` so they pass through ``text()`` unchanged.
    """
    if dialect_name == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION USING MESSAGE = 'audit_log is append-only, ' || TG_OP "
            "|| ' refused', ERRCODE = 'insufficient_privilege'; "
            "END $$",
            "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
        ]
    if dialect_name == "sqlite":
        return [
            "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only, UPDATE refused'); END",
            "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only, DELETE refused'); END",
        ]
    raise ValueError(f"no audit_log guard for dialect {dialect_name!r}")


def audit_log_ddl_guard_drop(dialect_name: str) -> list[str]:
    """The reverse of :func:`audit_log_ddl_guard`, for migration downgrades."""
    if dialect_name == "postgresql":
        return [
            "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
            "DROP FUNCTION IF EXISTS audit_log_append_only()",
        ]
    if dialect_name == "sqlite":
        return [
            "DROP TRIGGER IF EXISTS audit_log_no_update",
            "DROP TRIGGER IF EXISTS audit_log_no_delete",
        ]
    raise ValueError(f"no audit_log guard for dialect {dialect_name!r}")
