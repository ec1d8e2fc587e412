"""Aftercare (nazorg): the check-ins with a named melder after their melding is closed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.crypto.fields import field_aad
from integriteit_shared.db.base import Base, utcnow


class NazorgContact(Base):
    """One check-in: planned at the closing (`maanden` after it, due on `uiterlijk`), done
    once its outcome is recorded (`datum`, `benadeling_gemeld`). `toelichting` is free
    text, encrypted under the melding's own data key (meldpunt.nazorg.service)."""

    __tablename__ = "melding_nazorg"
    __table_args__ = (UniqueConstraint("melding_id", "maanden"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    melding_id: Mapped[str] = mapped_column(ForeignKey("meldingen.id"), index=True)
    maanden: Mapped[int]
    uiterlijk: Mapped[date] = mapped_column(Date)
    datum: Mapped[date | None] = mapped_column(Date, default=None)
    benadeling_gemeld: Mapped[bool | None] = mapped_column(default=None)
    toelichting: Mapped[str | None] = mapped_column(Text, default=None)
    door: Mapped[str | None] = mapped_column(String(200), default=None)
    vastgelegd_op: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def toelichting_aad(contact_id: str) -> str:
    return field_aad("melding_nazorg", "toelichting", contact_id)
