from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow


class Bijlage(Base):
    """An attachment of a melding, cleaned of metadata. `naam` and `inhoud` (base64 of the
    stored bytes) are encrypted; `sha256` is of the stored (cleaned) bytes."""

    __tablename__ = "bijlagen"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    melding_id: Mapped[str] = mapped_column(ForeignKey("meldingen.id"), index=True)
    naam: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(100))
    grootte: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    inhoud: Mapped[str] = mapped_column(Text)
    door: Mapped[str] = mapped_column(String(200))  # a sub, or melder / anoniem
    moment: Mapped[datetime] = mapped_column(default=utcnow)
