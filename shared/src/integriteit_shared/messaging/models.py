"""Tables every service shares: the outbox (what it published) and the inbox (what it consumed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow

BigId = BigInteger().with_variant(Integer, "sqlite")


class OutboxMessage(Base):
    """A CloudEvent written in the same transaction as the change it describes."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_unpublished", "published_at", "id"),
        Index("uq_outbox_source_sequence", "source", "sequence", unique=True),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(200))
    event_type: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(200))
    key: Mapped[bytes] = mapped_column(LargeBinary)
    value: Mapped[bytes] = mapped_column(LargeBinary)
    headers: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    # the CloudEvents `sequence` (per source, no gaps), assigned by the relay just before
    # the first send, in commit order (messaging.relay)
    sequence: Mapped[int | None] = mapped_column(BigInteger, default=None)


class InboxMessage(Base):
    """Every valid event consumed, once (unique on source + id): the consumer's ledger."""

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("source", "event_id"),
        Index("ix_inbox_source_sequence", "source", "sequence"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(200))
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(200), index=True)
    time: Mapped[datetime] = mapped_column(index=True)
    subject: Mapped[str | None] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(200))
    data: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    sequence: Mapped[int | None] = mapped_column(BigInteger, default=None)
