"""Append-only, hash-chained audit log of reads and writes of protected data.

Each entry stores ``prev_hash`` (the previous entry's ``hash``; 64 zeros for the first)
and ``hash = sha256(canonical JSON of its fields + prev_hash)``. Changing a row breaks
its own hash; deleting a row or re-hashing a changed one breaks the next row's link.
The id is not hashed: it is assigned by the database on INSERT, after the hash is known,
and order is checked through the links. Entries hold field *names*, never values.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, String, UniqueConstraint, delete, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow

__all__ = [
    "AUDIT_ADVISORY_LOCK_KEY",
    "AUDIT_QUEUE_COLUMNS",
    "GENESIS_HASH",
    "AuditEntry",
    "AuditQueued",
    "AuditVerification",
    "audit_log_ddl_guard",
    "audit_log_ddl_guard_drop",
    "audit_queue_insert_sql",
    "audit_queue_params",
    "chain_queued",
    "compute_audit_hash",
    "queue_audit",
    "record_audit",
    "verify_audit_chain",
]

GENESIS_HASH = "0" * 64
# Arbitrary constant bigint naming the transaction-scoped lock that serialises appends.
AUDIT_ADVISORY_LOCK_KEY = 0x1A7D17_0A0D17
_VERIFY_BATCH = 1000


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
        # AUTOINCREMENT: SQLite never reuses the id of a removed last row.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

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


def _check_fields(fields: Sequence[str]) -> str:
    if isinstance(fields, str):  # a str is a Sequence[str]: "naam" would become "n,a,a,m"
        raise TypeError("fields must be a sequence of field names, not a str")
    for name in fields:
        if not name or "," in name:
            raise ValueError(f"invalid field name {name!r}")
    return ",".join(fields)


async def _lock_and_last_hash(session: AsyncSession) -> str:
    """Take the append lock (held until the transaction ends); the chain's last hash."""
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
    return (
        await session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    ).scalar_one_or_none() or GENESIS_HASH


def _chained(values: dict[str, Any], prev_hash: str) -> dict[str, Any]:
    """An entry's columns (AUDIT_QUEUE_COLUMNS) linked after `prev_hash`, with its hash."""
    linked = {**values, "prev_hash": prev_hash}
    linked["hash"] = compute_audit_hash(**linked)
    return linked


async def record_audit(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    fields: Sequence[str],
    request_id: str | None = None,
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
    prev_hash = await _lock_and_last_hash(session)
    entry = AuditEntry(**_chained(dict(zip(AUDIT_QUEUE_COLUMNS, values, strict=True)), prev_hash))
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


async def chain_queued(session: AsyncSession, *, limit: int = 500) -> int:
    """Append up to `limit` queued entries to the chain, oldest first; returns how many."""
    queued = AuditQueued.__table__
    if (await session.execute(select(queued.c.id).limit(1))).first() is None:
        return 0  # nothing queued: no lock taken
    prev_hash = await _lock_and_last_hash(session)
    rows = (
        (await session.execute(select(queued).order_by(queued.c.id).limit(limit))).mappings().all()
    )
    entries = []
    for row in rows:
        entry = _chained({k: row[k] for k in AUDIT_QUEUE_COLUMNS}, prev_hash)
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
    session: AsyncSession, *, batch_size: int = _VERIFY_BATCH
) -> AuditVerification:
    """Walk the log in id order, one batch in memory at a time; stop at the first fault.

    Cannot see removal of the newest entries (nothing links to them); compare ``checked``
    and the last hash with an externally kept copy for that.
    """
    table = AuditEntry.__table__
    # Core rows, not ORM objects: nothing piles up in the session's identity map.
    base_query = select(table).order_by(table.c.id).limit(batch_size)
    expected_prev = GENESIS_HASH
    checked = 0
    last_id: int | None = None
    while True:
        query = base_query if last_id is None else base_query.where(table.c.id > last_id)
        rows = (await session.execute(query)).mappings().all()
        if not rows:
            return AuditVerification(ok=True, checked=checked)
        for row in rows:
            checked += 1
            problem = _check_row(row, expected_prev)
            if problem is not None:
                return AuditVerification(
                    ok=False, checked=checked, first_bad_id=row["id"], reason=problem
                )
            expected_prev = row["hash"]
        last_id = rows[-1]["id"]


def _check_row(row: Any, expected_prev: str) -> str | None:
    recomputed = compute_audit_hash(
        occurred_at=row["occurred_at"],
        actor=row["actor"],
        action=row["action"],
        object_type=row["object_type"],
        object_id=row["object_id"],
        fields=row["fields"],
        request_id=row["request_id"],
        prev_hash=row["prev_hash"],
    )
    if recomputed != row["hash"]:
        return "entry was changed: its hash does not match its contents"
    if row["prev_hash"] != expected_prev:
        if expected_prev == GENESIS_HASH:
            return "chain does not start at the genesis hash: earlier entries are missing"
        return (
            "broken link: prev_hash differs from the previous entry's hash "
            "(an entry before it was deleted or changed)"
        )
    return None


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
