"""What the people handling a melding add to it: exclusions, notes, identity requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow


class Uitsluiting(Base):
    """A sub kept out of a melding (conflict of interest); `reden` is encrypted."""

    __tablename__ = "melding_uitsluitingen"
    __table_args__ = (UniqueConstraint("melding_id", "sub"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    melding_id: Mapped[str] = mapped_column(ForeignKey("meldingen.id"), index=True)
    sub: Mapped[str] = mapped_column(String(200), index=True)
    reden: Mapped[str] = mapped_column(Text)
    door: Mapped[str] = mapped_column(String(200))
    moment: Mapped[datetime] = mapped_column(default=utcnow)


class Notitie(Base):
    """An internal note of the meldpunt's staff; `tekst` is encrypted."""

    __tablename__ = "melding_notities"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    melding_id: Mapped[str] = mapped_column(ForeignKey("meldingen.id"), index=True)
    auteur: Mapped[str] = mapped_column(String(200))
    tekst: Mapped[str] = mapped_column(Text)
    moment: Mapped[datetime] = mapped_column(default=utcnow)


class MelderInzage(Base):
    """A request to see the melder's identity, with its reason (encrypted): what a later
    inzagelog shows next to the audit entry of the same request (`request_id`)."""

    __tablename__ = "melder_inzagen"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    melding_id: Mapped[str] = mapped_column(ForeignKey("meldingen.id"), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    reden: Mapped[str] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(200), default=None)
    moment: Mapped[datetime] = mapped_column(default=utcnow)
