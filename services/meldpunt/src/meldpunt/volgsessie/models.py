from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow


class Volgsessie(Base):
    """A short-lived bearer token for one melding; only its sha256 is stored."""

    __tablename__ = "volgsessies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    melding_id: Mapped[str] = mapped_column(ForeignKey("meldingen.id"), index=True)
    verloopt_op: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
