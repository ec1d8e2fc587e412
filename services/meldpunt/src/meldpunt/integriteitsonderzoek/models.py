from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow


class Integriteitsonderzoek(Base):
    __tablename__ = "integriteitsonderzoeken"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    defensieonderdeel: Mapped[str] = mapped_column(String(10), index=True)
    startdatum: Mapped[date] = mapped_column(Date, index=True)
    einddatum: Mapped[date | None] = mapped_column(Date, default=None)
    conclusie: Mapped[str | None] = mapped_column(String(40), default=None)
    melding_id: Mapped[str | None] = mapped_column(
        ForeignKey("meldingen.id"), index=True, default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
