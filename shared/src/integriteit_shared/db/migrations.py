"""Alembic helpers: every service's env.py and its first migration call these, once."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config

from integriteit_shared.crypto.audit import (
    AUDIT_QUEUE_COLUMNS,
    DEV_AUDIT_KEYS,
    AuditKeys,
    audit_log_ddl_guard,
    audit_log_ddl_guard_drop,
    compute_audit_hash,
    rekey_chain,
)
from integriteit_shared.db.base import UTCDateTime
from integriteit_shared.service import registered_service


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    cfg.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s")
    return cfg


def upgrade(
    migrations_dir: Path,
    database_url: str,
    revision: str = "head",
    *,
    audit_keys: str | None = None,
) -> None:
    """Alembic upgrade; `audit_keys` (the service's setting) signs the audit chain where a
    migration keys it (`key_audit_chain`); without it the published dev key is used."""
    cfg = alembic_config(migrations_dir, database_url)
    cfg.attributes["audit_keys"] = audit_keys
    command.upgrade(cfg, revision)


def migrate(services: Sequence[str], data_dir: Path | None = None) -> None:
    """`integriteit migrate`: each named service's database to the latest schema."""
    for name in services:
        registration = registered_service(name)
        overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir else {}
        settings = registration.settings(**overrides)
        if settings.database_url.startswith("sqlite"):
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        upgrade(registration.migrations, settings.database_url, audit_keys=settings.audit_keys)
        print(f"{name}: database bijgewerkt", file=sys.stderr)


def run_env(target_metadata: MetaData) -> None:
    """Body of each service's migrations/env.py (online, async engine; SQLite batch mode)."""
    config = context.config
    url = config.get_main_option("sqlalchemy.url") or ""

    def do_run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    async def run_async() -> None:
        engine = async_engine_from_config(
            {"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool
        )
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    asyncio.run(run_async())


def _big_id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _audit_columns() -> list[sa.Column[Any]]:
    """The fields of an audit entry, chained (audit_log) or queued (audit_queue)."""
    return [
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("object_type", sa.String(100), nullable=False),
        sa.Column("object_id", sa.String(200), nullable=False),
        sa.Column("fields", sa.String(2000), nullable=False),
        sa.Column("request_id", sa.String(200), nullable=True),
    ]


def create_shared_tables() -> None:
    """Outbox, inbox and the append-only audit log: the same in every service."""
    op.create_table(
        "outbox",
        sa.Column("id", _big_id(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_event_id")),
    )
    op.create_index("ix_outbox_unpublished", "outbox", ["published_at", "id"])
    op.create_table(
        "inbox",
        sa.Column("id", _big_id(), primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.String(200), nullable=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox")),
        sa.UniqueConstraint("source", "event_id", name=op.f("uq_inbox_source")),
    )
    op.create_index(op.f("ix_inbox_event_type"), "inbox", ["event_type"])
    op.create_index(op.f("ix_inbox_time"), "inbox", ["time"])
    op.create_table(
        "audit_log",
        sa.Column("id", _big_id(), primary_key=True, autoincrement=True),
        *_audit_columns(),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_log_hash")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_log_prev_hash")),
        sqlite_autoincrement=True,
    )
    for statement in audit_log_ddl_guard(op.get_bind().dialect.name):
        op.execute(statement)


def create_audit_queue() -> None:
    """Audit entries written with their change and chained moments later (`queue_audit`)."""
    op.create_table(
        "audit_queue",
        sa.Column("id", _big_id(), primary_key=True, autoincrement=True),
        *_audit_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_queue")),
        sqlite_autoincrement=True,
    )


def drop_audit_queue() -> None:
    op.drop_table("audit_queue")


def create_rate_limit() -> None:
    """Rate-limit counts shared by a service's replicas (`DatabaseLimiter`)."""
    op.create_table(
        "rate_limit",
        sa.Column("sleutel", sa.String(64), nullable=False),
        sa.Column("venster", _big_id(), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sleutel", "venster", name=op.f("pk_rate_limit")),
    )


def drop_rate_limit() -> None:
    op.drop_table("rate_limit")


def add_event_sequence() -> None:
    """The CloudEvents `sequence` of each event: assigned in the outbox, kept in the inbox
    (`messaging.herpublicatie`). Rows from before stay without one."""
    op.add_column("outbox", sa.Column("sequence", sa.BigInteger(), nullable=True))
    op.create_index("uq_outbox_source_sequence", "outbox", ["source", "sequence"], unique=True)
    op.add_column("inbox", sa.Column("sequence", sa.BigInteger(), nullable=True))
    op.create_index("ix_inbox_source_sequence", "inbox", ["source", "sequence"])


def drop_event_sequence() -> None:
    op.drop_index("ix_inbox_source_sequence", table_name="inbox")
    op.drop_column("inbox", "sequence")
    op.drop_index("uq_outbox_source_sequence", table_name="outbox")
    op.drop_column("outbox", "sequence")


def create_notificaties() -> None:
    """Planned and sent mail (`integriteit_shared.notificaties`)."""
    op.create_table(
        "notificatie",
        sa.Column("id", _big_id(), primary_key=True, autoincrement=True),
        sa.Column("sleutel", sa.String(200), nullable=False),
        sa.Column("soort", sa.String(50), nullable=False),
        sa.Column("object_id", sa.String(64), nullable=False),
        sa.Column("referentie", sa.String(50), nullable=False),
        sa.Column("ontvanger", sa.Text(), nullable=False),
        sa.Column("moment", sa.DateTime(timezone=True), nullable=False),
        sa.Column("termijn", sa.Date(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("pogingen", sa.Integer(), nullable=False),
        sa.Column("volgende_poging", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verzonden_op", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notificatie")),
        sa.UniqueConstraint("sleutel", name=op.f("uq_notificatie_sleutel")),
    )
    op.create_index(op.f("ix_notificatie_object_id"), "notificatie", ["object_id"])
    op.create_index(op.f("ix_notificatie_moment"), "notificatie", ["moment"])


def drop_notificaties() -> None:
    op.drop_table("notificatie")


def create_gegevenssleutels() -> None:
    """A data key per record, wrapped by the service key (`crypto.gegevenssleutels`)."""
    op.create_table(
        "gegevenssleutels",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("sleutel", sa.Text(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("vernietigd_op", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gegevenssleutels")),
    )


def create_bewaarplichten() -> None:
    """Legal holds (`integriteit_shared.bewaartermijnen.Bewaarplicht`)."""
    op.create_table(
        "bewaarplichten",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("object_type", sa.String(50), nullable=False),
        sa.Column("object_id", sa.String(36), nullable=False),
        sa.Column("reden", sa.Text(), nullable=False),
        sa.Column("door", sa.String(200), nullable=False),
        sa.Column("sinds", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bewaarplichten")),
        sa.UniqueConstraint(
            "object_type", "object_id", name=op.f("uq_bewaarplichten_object_type_object_id")
        ),
    )
    op.create_index(op.f("ix_bewaarplichten_object_id"), "bewaarplichten", ["object_id"])


def drop_bewaartabellen() -> None:
    for table in ("bewaarplichten", "gegevenssleutels"):
        if sa.inspect(op.get_bind()).has_table(table):
            op.drop_table(table)


def drop_shared_tables() -> None:
    for statement in audit_log_ddl_guard_drop(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table("audit_log")
    op.drop_table("inbox")
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")


def _audit_table(*extra: str) -> Any:
    columns: list[sa.ColumnClause[Any]] = [
        sa.column("id", sa.Integer()),
        sa.column("occurred_at", UTCDateTime()),
    ]
    columns += [sa.column(c) for c in AUDIT_QUEUE_COLUMNS if c != "occurred_at"]
    columns += [sa.column(c) for c in ("prev_hash", "hash", *extra)]
    return sa.table("audit_log", *columns)


def key_audit_chain() -> None:
    """The audit chain keyed (issue 16): a volgnummer per entry and an HMAC under the
    service's audit key instead of a plain SHA-256 that anyone with database access could
    recompute. The existing entries are verified first (a broken chain stops the migration:
    it must not be laundered by signing it) and then signed in order, with the keys
    `integriteit migrate` passes from the service's settings."""
    bind = op.get_bind()
    setting = context.config.attributes.get("audit_keys") or DEV_AUDIT_KEYS
    keys = AuditKeys.from_setting(setting)
    op.add_column("audit_log", sa.Column("volgnummer", _big_id(), nullable=True))
    op.add_column("audit_log", sa.Column("sleutel_id", sa.String(32), nullable=True))
    table = _audit_table("volgnummer", "sleutel_id")
    rows = bind.execute(sa.select(table).order_by(table.c.id)).mappings().all()
    signed = rekey_chain([dict(r) for r in rows], keys)
    if signed:
        for statement in audit_log_ddl_guard_drop(bind.dialect.name):
            op.execute(statement)
        # new hashes are fresh HMACs: no clash with the unique old ones while rewriting
        for row in signed:
            bind.execute(
                table.update()
                .where(table.c.id == row["id"])
                .values({k: v for k, v in row.items() if k != "id"})
            )
        for statement in audit_log_ddl_guard(bind.dialect.name):
            op.execute(statement)
    op.create_index("ix_audit_log_volgnummer", "audit_log", ["volgnummer"], unique=True)


def unkey_audit_chain() -> None:
    """The reverse: plain SHA-256 links again, without volgnummer and key."""
    bind = op.get_bind()
    table = _audit_table()
    rows = bind.execute(sa.select(table).order_by(table.c.id)).mappings().all()
    for statement in audit_log_ddl_guard_drop(bind.dialect.name):
        op.execute(statement)
    prev = "0" * 64
    for row in rows:
        values = {c: row[c] for c in AUDIT_QUEUE_COLUMNS}
        new_hash = compute_audit_hash(**values, prev_hash=prev)
        bind.execute(
            table.update().where(table.c.id == row["id"]).values(prev_hash=prev, hash=new_hash)
        )
        prev = new_hash
    op.drop_index("ix_audit_log_volgnummer", table_name="audit_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("sleutel_id")
        batch.drop_column("volgnummer")
    for statement in audit_log_ddl_guard(bind.dialect.name):
        op.execute(statement)


# the audit log's readers (GET /auditlog, the inzagelog) filter on these, ordered by moment
AUDIT_LOG_READ_INDEXES = {
    "ix_audit_log_object_moment": ["object_id", "occurred_at"],
    "ix_audit_log_actor_moment": ["actor", "occurred_at"],
    "ix_audit_log_moment": ["occurred_at"],
}


def index_audit_log() -> None:
    """Indexes for reading the audit log: by object, by actor, by period."""
    for name, columns in AUDIT_LOG_READ_INDEXES.items():
        op.create_index(name, "audit_log", columns)


def unindex_audit_log() -> None:
    for name in AUDIT_LOG_READ_INDEXES:
        op.drop_index(name, table_name="audit_log")
