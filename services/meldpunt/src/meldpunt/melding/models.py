"""Meldingen and the per-year counter behind their gapless reference."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.crypto.fields import field_aad
from integriteit_shared.crypto.gegevenssleutels import record_ref
from integriteit_shared.db.base import Base, utcnow


class Melding(Base):
    __tablename__ = "meldingen"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    referentie: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    kanaal: Mapped[str] = mapped_column(String(30))
    defensieonderdeel: Mapped[str] = mapped_column(String(10), index=True)
    hoofdcategorie: Mapped[str] = mapped_column(String(40), index=True)
    subcategorie: Mapped[str] = mapped_column(String(60))
    anoniem: Mapped[bool] = mapped_column(Boolean)
    vermoeden_misstand: Mapped[bool] = mapped_column(Boolean, default=False)
    datum_voorval: Mapped[date | None] = mapped_column(Date, default=None)
    # encrypted (FieldCipher tokens); aad "meldingen.<column>:<id>"
    omschrijving: Mapped[str] = mapped_column(Text)
    melder: Mapped[str | None] = mapped_column(Text, default=None)
    ontvangen_op: Mapped[datetime] = mapped_column(index=True)
    ontvangen_datum: Mapped[date] = mapped_column(Date, index=True)  # Amsterdam date
    ontvangstbevestiging_uiterlijk: Mapped[date] = mapped_column(Date)
    terugkoppeling_uiterlijk: Mapped[date] = mapped_column(Date)
    ontvangstbevestiging_datum: Mapped[date | None] = mapped_column(Date, default=None)
    afdoening: Mapped[str | None] = mapped_column(String(40), default=None)
    afdoening_datum: Mapped[date | None] = mapped_column(Date, default=None)
    terugkoppeling_datum: Mapped[date | None] = mapped_column(Date, default=None)
    conclusie: Mapped[str | None] = mapped_column(String(40), default=None)
    afronding_datum: Mapped[date | None] = mapped_column(Date, default=None)
    misstand_vermoeden_datum: Mapped[date | None] = mapped_column(Date, default=None)
    misstand_vastgesteld: Mapped[bool | None] = mapped_column(Boolean, default=None)
    misstand_afronding_datum: Mapped[date | None] = mapped_column(Date, default=None)
    # volgcode: a non-secret selector (truncated sha256) finds the row, argon2 verifies
    volgcode_selector: Mapped[str | None] = mapped_column(String(16), index=True, default=None)
    volgcode_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    # the staff member who registered it on someone's behalf; never set for anonymous
    # meldingen nor for a melder's own (linked through melder_koppeling instead)
    geregistreerd_door: Mapped[str | None] = mapped_column(String(200), default=None)
    # the one adviser handling it (a token's sub), once assigned
    behandelaar: Mapped[str | None] = mapped_column(String(200), index=True, default=None)
    # where the behandelaar's reminders go: the e-mail claim of their token when they took
    # the melding themselves (encrypted; aad "meldingen.behandelaar_adres:<id>"); else the
    # team of the defensieonderdeel (meldpunt.herinneringen)
    behandelaar_adres: Mapped[str | None] = mapped_column(Text, default=None)
    # a named melder's own melding: HMAC of their sub (integriteit_shared.crypto.koppeling)
    melder_koppeling: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MeldingReferentieTeller(Base):
    """One row per year; the last number handed out. Bumped in the intake's transaction,
    so a rolled-back intake does not burn a number."""

    __tablename__ = "meldingen_referenties"

    jaar: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    laatste: Mapped[int] = mapped_column(Integer)


# where each encrypted column's ciphertext is bound (its associated data)
def omschrijving_aad(melding_id: str) -> str:
    return field_aad("meldingen", "omschrijving", melding_id)


def melder_aad(melding_id: str) -> str:
    return field_aad("meldingen", "melder", melding_id)


def behandelaar_adres_aad(melding_id: str) -> str:
    return field_aad("meldingen", "behandelaar_adres", melding_id)


# The records whose data keys (integriteit_shared.crypto.gegevenssleutels) protect a
# melding's texts, one per kind with a retention period of its own (meldpunt.bewaren):
# the melding's own fields (omschrijving, melder, behandelaar_adres and the reasons of
# uitsluitingen and melder-inzagen), its berichten, its notities and its bijlagen.
def melding_ref(melding_id: str) -> str:
    return record_ref("meldingen", melding_id)


def berichten_ref(melding_id: str) -> str:
    return record_ref("berichten", melding_id)


def notities_ref(melding_id: str) -> str:
    return record_ref("melding_notities", melding_id)


def bijlagen_ref(melding_id: str) -> str:
    return record_ref("bijlagen", melding_id)
