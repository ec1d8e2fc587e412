from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow


class Vertrouwenspersoon(Base):
    """One appointment in the register. No name: the network is counted, not listed by person."""

    __tablename__ = "vertrouwenspersonen"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    defensieonderdeel: Mapped[str] = mapped_column(String(10), index=True)
    aanstellingsdatum: Mapped[date] = mapped_column(Date)
    # The first day the adviser is no longer active (None: still active).
    beeindigingsdatum: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
