"""Projections: normalised facts, each carrying the registration time of its event.

Facts are keyed by aggregate id and stored independently of one another, so events may
arrive in any order across topics. `registered_at` is when the event that established the
fact entered the ledger (`inbox.received_at`: stamped by the consumer, or the original
registration moment given to the audited historical import), never the producer's `time`,
so that what was known on a past peildatum cannot be changed afterwards. The indicators
are not read from these rows but from the per-day counters they produce (`rap_tellingen`,
see `projecties.tijdlijn`); the facts are what those counters are recomputed from when
another fact of the same aggregate arrives.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base

BigId = BigInteger().with_variant(Integer, "sqlite")
Code = String(60)
AggId = String(200)
EventId = String(64)


class _Feit:
    """Every fact row: its own id, the event it came from and when that was registered."""

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(EventId)
    registered_at: Mapped[datetime]


class RapVersie(Base):
    """One row: bumped by every projected event (and a rebuild); the cache key.

    `projectie` is the version of the projection code the tables were built with: when the
    code's `PROJECTIE_VERSIE` is newer, the service rebuilds them from the ledger at start.
    """

    __tablename__ = "rap_versie"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    versie: Mapped[int] = mapped_column(BigId, default=0)
    projectie: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class RapTelling(Base):
    """Per day, how much each indicator key changed (see `projecties.sleutels`)."""

    __tablename__ = "rap_tellingen"

    dag: Mapped[date] = mapped_column(Date, primary_key=True)
    sleutel: Mapped[str] = mapped_column(String(200), primary_key=True)
    aantal: Mapped[int] = mapped_column(BigId)


class RapTotaal(Base):
    """Per indicator key, the sum of its changes over all days (`rap_tellingen`)."""

    __tablename__ = "rap_totalen"

    sleutel: Mapped[str] = mapped_column(String(200), primary_key=True)
    aantal: Mapped[int] = mapped_column(BigId)


class RapMelding(_Feit, Base):
    """HRHD melding received (meldpunt); `ontvangen_datum` is the Amsterdam date."""

    __tablename__ = "rap_meldingen"

    melding_id: Mapped[str] = mapped_column(AggId, index=True)
    ontvangen_op: Mapped[datetime]
    ontvangen_datum: Mapped[date] = mapped_column(Date)
    defensieonderdeel: Mapped[str] = mapped_column(Code)
    vermoeden_misstand: Mapped[bool] = mapped_column(Boolean)
    kanaal: Mapped[str | None] = mapped_column(Code, nullable=True)
    anoniem: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class RapBpsMelding(_Feit, Base):
    __tablename__ = "rap_bps_meldingen"

    bps_id: Mapped[str] = mapped_column(AggId, index=True)
    registratiedatum: Mapped[date] = mapped_column(Date)


class RapCategorisering(_Feit, Base):
    """Every categorisation of an HRHD or BPS melding; the receipt is the first (volgorde 0)."""

    __tablename__ = "rap_categoriseringen"
    __table_args__ = (Index("ix_rap_categoriseringen_bron_agg", "bron", "aggregate_id"),)

    bron: Mapped[str] = mapped_column(String(10))  # "hrhd" | "bps"
    aggregate_id: Mapped[str] = mapped_column(AggId)
    volgorde: Mapped[int] = mapped_column(Integer)  # 0 = at receipt, 1 = recategorisation
    hoofdcategorie: Mapped[str] = mapped_column(Code)
    subcategorie: Mapped[str] = mapped_column(Code)


class RapSchending(_Feit, Base):
    """BPS: violation established for a BPS melding."""

    __tablename__ = "rap_schendingen"

    bps_id: Mapped[str] = mapped_column(AggId, index=True)
    datum: Mapped[date] = mapped_column(Date)


class RapMeldingStap(_Feit, Base):
    """A dated step of a melding: bevestigd, terugkoppeling, afdoening (`code`: the
    afdoening), afgerond (`code`: the conclusie)."""

    __tablename__ = "rap_melding_stappen"

    melding_id: Mapped[str] = mapped_column(AggId, index=True)
    stap: Mapped[str] = mapped_column(String(20))
    datum: Mapped[date] = mapped_column(Date)
    code: Mapped[str | None] = mapped_column(Code, nullable=True)


class RapMisstand(_Feit, Base):
    """Misstand track: `vermoeden` (taken up) or `afgerond` (with `vastgesteld`)."""

    __tablename__ = "rap_misstanden"

    melding_id: Mapped[str] = mapped_column(AggId, index=True)
    stap: Mapped[str] = mapped_column(String(20))
    datum: Mapped[date] = mapped_column(Date)
    vastgesteld: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class RapNazorg(_Feit, Base):
    """A check-in of aftercare done with a named melder, and whether retaliation was reported."""

    __tablename__ = "rap_nazorg"

    melding_id: Mapped[str] = mapped_column(AggId, index=True)
    datum: Mapped[date] = mapped_column(Date)
    benadeling_gemeld: Mapped[bool] = mapped_column(Boolean)


class RapOnderzoek(_Feit, Base):
    """COID integriteitsonderzoek: `gestart` (startdatum, onderdeel) or `afgerond` (einddatum)."""

    __tablename__ = "rap_onderzoeken"

    onderzoek_id: Mapped[str] = mapped_column(AggId, index=True)
    stap: Mapped[str] = mapped_column(String(20))
    datum: Mapped[date] = mapped_column(Date)
    defensieonderdeel: Mapped[str | None] = mapped_column(Code, nullable=True)


class RapRpOnderzoek(_Feit, Base):
    """KMar rechtspositioneel onderzoek: `gestart` or `afgerond` (with schending)."""

    __tablename__ = "rap_rp_onderzoeken"

    onderzoek_id: Mapped[str] = mapped_column(AggId, index=True)
    stap: Mapped[str] = mapped_column(String(20))
    datum: Mapped[date] = mapped_column(Date)
    schending_vastgesteld: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class RapNevenwerkzaamheid(_Feit, Base):
    __tablename__ = "rap_nevenwerkzaamheden"

    nevenwerkzaamheid_id: Mapped[str] = mapped_column(AggId, index=True)
    registratiedatum: Mapped[date] = mapped_column(Date)
    defensieonderdeel: Mapped[str] = mapped_column(Code)


class RapAdvies(_Feit, Base):
    __tablename__ = "rap_adviezen"

    nevenwerkzaamheid_id: Mapped[str] = mapped_column(AggId, index=True)
    advies: Mapped[str] = mapped_column(Code)
    datum: Mapped[date] = mapped_column(Date)


class RapKlacht(_Feit, Base):
    __tablename__ = "rap_klachten"

    klacht_id: Mapped[str] = mapped_column(AggId, index=True)
    ontvangen_op: Mapped[datetime]
    ontvangen_datum: Mapped[date] = mapped_column(Date)
    soort: Mapped[str] = mapped_column(Code)
    defensieonderdeel: Mapped[str] = mapped_column(Code)


class RapKlachtStap(_Feit, Base):
    """A klacht step: verdaagd (weken), cog_gestart, cog_advies (`code`: the advice),
    afgehandeld (`wijze`, `code`: the oordeel)."""

    __tablename__ = "rap_klacht_stappen"

    klacht_id: Mapped[str] = mapped_column(AggId, index=True)
    stap: Mapped[str] = mapped_column(String(20))
    datum: Mapped[date | None] = mapped_column(Date, nullable=True)
    weken: Mapped[int | None] = mapped_column(Integer, nullable=True)
    wijze: Mapped[str | None] = mapped_column(Code, nullable=True)
    code: Mapped[str | None] = mapped_column(Code, nullable=True)


class RapCasus(_Feit, Base):
    __tablename__ = "rap_casussen"

    casus_id: Mapped[str] = mapped_column(AggId, index=True)
    datum: Mapped[date] = mapped_column(Date)
    defensieonderdeel: Mapped[str] = mapped_column(Code)
    hoofdcategorie: Mapped[str] = mapped_column(Code)
    subcategorie: Mapped[str] = mapped_column(Code)


class RapCasusAfsluiting(_Feit, Base):
    """A casus closed, with the body it was referred to (if any)."""

    __tablename__ = "rap_casus_afsluitingen"

    casus_id: Mapped[str] = mapped_column(AggId, index=True)
    datum: Mapped[date] = mapped_column(Date)
    doorverwezen_naar: Mapped[str | None] = mapped_column(Code, nullable=True)


class RapInformeleGesprekken(_Feit, Base):
    """A tally of informal conversations of the advisers of an onderdeel (no case, no person)."""

    __tablename__ = "rap_informele_gesprekken"

    defensieonderdeel: Mapped[str] = mapped_column(Code)
    datum: Mapped[date] = mapped_column(Date)
    aantal: Mapped[int] = mapped_column(Integer)


class RapVertrouwenspersoon(_Feit, Base):
    """Register of advisers: `aangesteld` (with onderdeel) or `beeindigd`, each dated."""

    __tablename__ = "rap_vertrouwenspersonen"

    vertrouwenspersoon_id: Mapped[str] = mapped_column(AggId, index=True)
    stap: Mapped[str] = mapped_column(String(20))
    datum: Mapped[date] = mapped_column(Date)
    defensieonderdeel: Mapped[str | None] = mapped_column(Code, nullable=True)


class RapOpleiding(_Feit, Base):
    __tablename__ = "rap_opleidingen"

    opleiding: Mapped[str] = mapped_column(Code)
    datum: Mapped[date] = mapped_column(Date)
    aantal_deelnemers: Mapped[int] = mapped_column(Integer)


PROJECTIE_TABELLEN = (
    RapMelding,
    RapBpsMelding,
    RapCategorisering,
    RapSchending,
    RapMeldingStap,
    RapMisstand,
    RapNazorg,
    RapOnderzoek,
    RapRpOnderzoek,
    RapNevenwerkzaamheid,
    RapAdvies,
    RapKlacht,
    RapKlachtStap,
    RapCasus,
    RapCasusAfsluiting,
    RapInformeleGesprekken,
    RapVertrouwenspersoon,
    RapOpleiding,
)
