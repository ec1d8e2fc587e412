from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow


class MeldingStap(Base):
    """One registered step of a melding: what, when, by whom, and the codes involved.

    Never free text: `codes` holds a JSON object of codes, dates and booleans only."""

    __tablename__ = "melding_stappen"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    melding_id: Mapped[str] = mapped_column(ForeignKey("meldingen.id"), index=True)
    moment: Mapped[datetime] = mapped_column(default=utcnow)
    soort: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    codes: Mapped[str] = mapped_column(Text, default="{}")
