from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow


class Casus(Base):
    """An anonymous case of a vertrouwenspersoon: codes and dates, never a name."""

    __tablename__ = "casussen"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # The adviser's token `sub`: decides who may read the casus; never leaves this service.
    eigenaar: Mapped[str] = mapped_column(String(200), index=True)
    defensieonderdeel: Mapped[str] = mapped_column(String(10), index=True)
    datum: Mapped[date] = mapped_column(Date, index=True)
    hoofdcategorie: Mapped[str] = mapped_column(String(50))
    subcategorie: Mapped[str] = mapped_column(String(50))
    # Cipher text (FieldCipher, aad "casussen.notitie:<id>"); readable only by the eigenaar.
    notitie: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(20), default="open")
    afsluitdatum: Mapped[date | None] = mapped_column(Date, default=None)
    doorverwezen_naar: Mapped[str | None] = mapped_column(String(50), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
