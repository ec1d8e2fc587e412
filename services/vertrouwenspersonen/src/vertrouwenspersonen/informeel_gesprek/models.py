from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow


class InformeelGesprek(Base):
    """A tally of informal conversations on a date: a count, no content, no adviser."""

    __tablename__ = "informele_gesprekken"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    defensieonderdeel: Mapped[str] = mapped_column(String(10), index=True)
    datum: Mapped[date] = mapped_column(Date)
    aantal: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
