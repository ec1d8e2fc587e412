from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow


class Nevenwerkzaamheid(Base):
    __tablename__ = "nevenwerkzaamheden"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    defensieonderdeel: Mapped[str] = mapped_column(String(10), index=True)
    omschrijving: Mapped[str] = mapped_column(Text)  # encrypted
    betaald: Mapped[bool] = mapped_column(Boolean)
    registratiedatum: Mapped[date] = mapped_column(Date, index=True)
    advies: Mapped[str | None] = mapped_column(String(20), default=None)
    advies_datum: Mapped[date | None] = mapped_column(Date, default=None)
    geregistreerd_door: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
