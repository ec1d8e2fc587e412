"""The klacht aggregate. Free text (omschrijving, verdaging reden) is stored encrypted."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base, utcnow


class Klacht(Base):
    __tablename__ = "klachten"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    soort: Mapped[str] = mapped_column(String(30), index=True)
    indiener: Mapped[str] = mapped_column(String(20))
    defensieonderdeel: Mapped[str] = mapped_column(String(10), index=True)
    # cipher text (aad "klachten.omschrijving:<id>")
    omschrijving: Mapped[str] = mapped_column(Text)
    ontvangen_op: Mapped[datetime]
    # the klachtbehandelaar who registered it on paper (their sub), or "indiener" for a
    # medewerker's own klacht; never part of any response or event
    ingediend_door: Mapped[str] = mapped_column(String(200))
    # a medewerker's own klacht: HMAC of their sub (integriteit_shared.crypto.koppeling),
    # so /mijn/klachten finds it while the database holds no list of who complained
    indiener_koppeling: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    # derived from the dates below by service.termijn_uiterlijk; stored for termijnbewaking
    termijn_uiterlijk: Mapped[date] = mapped_column(Date, index=True)
    cog_behandeling_datum: Mapped[date | None] = mapped_column(Date, default=None)
    cog_advies: Mapped[str | None] = mapped_column(String(30), default=None)
    cog_advies_datum: Mapped[date | None] = mapped_column(Date, default=None)
    afhandeling_datum: Mapped[date | None] = mapped_column(Date, default=None)
    afhandeling_wijze: Mapped[str | None] = mapped_column(String(20), default=None)
    afhandeling_oordeel: Mapped[str | None] = mapped_column(String(30), default=None)
    verdaging_weken: Mapped[int | None] = mapped_column(Integer, default=None)
    # cipher text (aad "klachten.verdaging_reden:<id>")
    verdaging_reden: Mapped[str | None] = mapped_column(Text, default=None)
    verdaagd_op: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
