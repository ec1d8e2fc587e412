from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow


class Bericht(Base):
    """A message between the (anonymous) melder and the adviser; `tekst` is encrypted."""

    __tablename__ = "berichten"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    melding_id: Mapped[str] = mapped_column(ForeignKey("meldingen.id"), index=True)
    afzender: Mapped[str] = mapped_column(String(20))  # "melder" | "adviseur"
    tekst: Mapped[str] = mapped_column(Text)
    verzonden_op: Mapped[datetime] = mapped_column(default=utcnow)
    volgnummer: Mapped[int]  # per melding, for a deterministic order
    # when the melder first read an adviser's message (their unread count)
    gelezen_op: Mapped[datetime | None] = mapped_column(default=None)
