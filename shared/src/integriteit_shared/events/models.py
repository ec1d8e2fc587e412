"""One pydantic model per event type of the contract, used by producers and consumers alike.

The model holds the CloudEvent `data`; type, topic and the aggregate-id field are class
attributes. Field names are the contract's lowerCamelCase on the wire.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from pydantic import (
    AwareDatetime,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
)
from pydantic_core import PydanticCustomError

from integriteit_shared import codes
from integriteit_shared.events import topics
from integriteit_shared.schemas import CamelModel, buiten_bereik


class EventData(CamelModel):
    """Base of every event's data. Unknown fields are refused: no personal data sneaks in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_type: ClassVar[str]
    system: ClassVar[str]  # the producing system; gives the source and the topic
    subject_field: ClassVar[str | None]  # the aggregate id field (Kafka key, ce_subject)

    @classmethod
    def topic(cls) -> str:
        return topics.SOURCES[cls.system]

    @classmethod
    def source(cls) -> str:
        return topics.source_urn(cls.system)

    @classmethod
    def allowed_sources(cls) -> frozenset[str]:
        """The CloudEvents sources that may publish this type."""
        return frozenset({cls.source()})

    def subject(self) -> str | None:
        if self.subject_field is None:
            return None
        return str(getattr(self, self.subject_field))

    def wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    @field_validator("*", mode="after")
    @classmethod
    def _in_bereik(cls, value: Any) -> Any:
        """Every date and moment of an event lies in the platform's range (2000-2100)."""
        if isinstance(value, date) and (reden := buiten_bereik(value)):
            raise PydanticCustomError("datum_bereik", reden)
        return value


class _Categorie(EventData):
    hoofdcategorie: codes.Hoofdcategorie
    subcategorie: codes.Subcategorie

    @field_validator("subcategorie", mode="wrap")
    @classmethod
    def _hoort_bij_hoofdcategorie(
        cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        """Only the subcategorieën of the event's hoofdcategorie are named in the reason,
        not all twenty codes (hoofdcategorie is validated first: it is declared first)."""
        hoofd = info.data.get("hoofdcategorie")
        if hoofd is None:
            # hoofdcategorie is itself wrong or absent and reports on its own
            try:
                return handler(value)
            except ValidationError:
                raise PydanticCustomError(
                    "subcategorie",
                    "onbekende subcategorie; welke zijn toegestaan hangt af van hoofdcategorie",
                ) from None
        fout = codes.categorie_fout(hoofd, value if isinstance(value, str) else "")
        if fout:
            raise PydanticCustomError("subcategorie", fout)
        return handler(value)


Id = str  # opaque aggregate id (a UUID for our own services, BPS's own id for KMar)


# --- meldpunt -----------------------------------------------------------------------
class _Meldpunt:
    system: ClassVar[str] = "meldpunt"


class MeldingOntvangen(_Meldpunt, _Categorie):
    event_type: ClassVar[str] = "nl.integriteit.meldpunt.melding-ontvangen"
    subject_field: ClassVar[str | None] = "melding_id"
    melding_id: Id
    ontvangen_op: AwareDatetime
    kanaal: codes.Kanaal
    defensieonderdeel: codes.Defensieonderdeel
    anoniem: bool
    vermoeden_misstand: bool


class MeldingGecategoriseerd(_Meldpunt, _Categorie):
    event_type: ClassVar[str] = "nl.integriteit.meldpunt.melding-gecategoriseerd"
    subject_field: ClassVar[str | None] = "melding_id"
    melding_id: Id


class MeldingOntvangstBevestigd(_Meldpunt, EventData):
    event_type: ClassVar[str] = "nl.integriteit.meldpunt.melding-ontvangst-bevestigd"
    subject_field: ClassVar[str | None] = "melding_id"
    melding_id: Id
    datum: date


class MeldingTerugkoppelingGegeven(_Meldpunt, EventData):
    event_type: ClassVar[str] = "nl.integriteit.meldpunt.melding-terugkoppeling-gegeven"
    subject_field: ClassVar[str | None] = "melding_id"
    melding_id: Id
    datum: date


class MeldingAfdoeningBepaald(_Meldpunt, EventData):
    event_type: ClassVar[str] = "nl.integriteit.meldpunt.melding-afdoening-bepaald"
    subject_field: ClassVar[str | None] = "melding_id"
    melding_id: Id
    afdoening: codes.Afdoening
    datum: date


class MeldingAfgerond(_Meldpunt, EventData):
    event_type: ClassVar[str] = "nl.integriteit.meldpunt.melding-afgerond"
    subject_field: ClassVar[str | None] = "melding_id"
    melding_id: Id
    conclusie: codes.Conclusie
    datum: date


class MeldingToegewezen(_Meldpunt, EventData):
    """A melding got a (new) behandelaar. Who it is never leaves meldpunt."""

    event_type: ClassVar[str] = "nl.integriteit.meldpunt.melding-toegewezen"
    subject_field: ClassVar[str | None] = "melding_id"
    melding_id: Id
    datum: date


class NazorgUitgevoerd(_Meldpunt, EventData):
    """A check-in with a named melder after closing (aftercare against retaliation).

    Only the date and whether disadvantage was reported leave meldpunt; what was said stays.
    """

    event_type: ClassVar[str] = "nl.integriteit.meldpunt.nazorg-uitgevoerd"
    subject_field: ClassVar[str | None] = "melding_id"
    melding_id: Id
    datum: date
    benadeling_gemeld: bool


class MisstandVermoedenGeregistreerd(_Meldpunt, EventData):
    event_type: ClassVar[str] = "nl.integriteit.meldpunt.misstand-vermoeden-geregistreerd"
    subject_field: ClassVar[str | None] = "melding_id"
    melding_id: Id
    datum: date


class MisstandAfgerond(_Meldpunt, EventData):
    event_type: ClassVar[str] = "nl.integriteit.meldpunt.misstand-afgerond"
    subject_field: ClassVar[str | None] = "melding_id"
    melding_id: Id
    vastgesteld: bool
    datum: date


class IntegriteitsonderzoekGestart(_Meldpunt, EventData):
    event_type: ClassVar[str] = "nl.integriteit.meldpunt.integriteitsonderzoek-gestart"
    subject_field: ClassVar[str | None] = "onderzoek_id"
    onderzoek_id: Id
    defensieonderdeel: codes.Defensieonderdeel
    startdatum: date
    melding_id: Id | None


class IntegriteitsonderzoekAfgerond(_Meldpunt, EventData):
    event_type: ClassVar[str] = "nl.integriteit.meldpunt.integriteitsonderzoek-afgerond"
    subject_field: ClassVar[str | None] = "onderzoek_id"
    onderzoek_id: Id
    einddatum: date
    conclusie: codes.Conclusie


class NevenwerkzaamheidGeregistreerd(_Meldpunt, EventData):
    event_type: ClassVar[str] = "nl.integriteit.meldpunt.nevenwerkzaamheid-geregistreerd"
    subject_field: ClassVar[str | None] = "nevenwerkzaamheid_id"
    nevenwerkzaamheid_id: Id
    defensieonderdeel: codes.Defensieonderdeel
    registratiedatum: date
    betaald: bool


class NevenwerkzaamheidGeadviseerd(_Meldpunt, EventData):
    event_type: ClassVar[str] = "nl.integriteit.meldpunt.nevenwerkzaamheid-geadviseerd"
    subject_field: ClassVar[str | None] = "nevenwerkzaamheid_id"
    nevenwerkzaamheid_id: Id
    advies: codes.Advies
    datum: date


# --- vertrouwenspersonen --------------------------------------------------------------
class _Vp:
    system: ClassVar[str] = "vertrouwenspersonen"


class VertrouwenspersoonAangesteld(_Vp, EventData):
    event_type: ClassVar[str] = "nl.integriteit.vertrouwenspersonen.vertrouwenspersoon-aangesteld"
    subject_field: ClassVar[str | None] = "vertrouwenspersoon_id"
    vertrouwenspersoon_id: Id
    defensieonderdeel: codes.Defensieonderdeel
    datum: date


class VertrouwenspersoonBeeindigd(_Vp, EventData):
    event_type: ClassVar[str] = "nl.integriteit.vertrouwenspersonen.vertrouwenspersoon-beeindigd"
    subject_field: ClassVar[str | None] = "vertrouwenspersoon_id"
    vertrouwenspersoon_id: Id
    datum: date


class CasusGeregistreerd(_Vp, _Categorie):
    event_type: ClassVar[str] = "nl.integriteit.vertrouwenspersonen.casus-geregistreerd"
    subject_field: ClassVar[str | None] = "casus_id"
    casus_id: Id
    defensieonderdeel: codes.Defensieonderdeel
    datum: date


class CasusAfgesloten(_Vp, EventData):
    event_type: ClassVar[str] = "nl.integriteit.vertrouwenspersonen.casus-afgesloten"
    subject_field: ClassVar[str | None] = "casus_id"
    casus_id: Id
    datum: date
    doorverwezen_naar: codes.Doorverwijzing | None


class InformeleGesprekkenGeteld(_Vp, EventData):
    event_type: ClassVar[str] = "nl.integriteit.vertrouwenspersonen.informele-gesprekken-geteld"
    subject_field: ClassVar[str | None] = None
    defensieonderdeel: codes.Defensieonderdeel
    datum: date
    aantal: int = Field(ge=1)


# --- klachten ---------------------------------------------------------------------------
class _Klachten:
    system: ClassVar[str] = "klachten"


class KlachtIngediend(_Klachten, EventData):
    event_type: ClassVar[str] = "nl.integriteit.klachten.klacht-ingediend"
    subject_field: ClassVar[str | None] = "klacht_id"
    klacht_id: Id
    ontvangen_op: AwareDatetime
    soort: codes.KlachtSoort
    indiener: codes.Indiener
    defensieonderdeel: codes.Defensieonderdeel


class KlachtVerdaagd(_Klachten, EventData):
    event_type: ClassVar[str] = "nl.integriteit.klachten.klacht-verdaagd"
    subject_field: ClassVar[str | None] = "klacht_id"
    klacht_id: Id
    weken: int = Field(ge=1, le=4)


class CogBehandelingGestart(_Klachten, EventData):
    event_type: ClassVar[str] = "nl.integriteit.klachten.cog-behandeling-gestart"
    subject_field: ClassVar[str | None] = "klacht_id"
    klacht_id: Id
    datum: date


class CogAdviesUitgebracht(_Klachten, EventData):
    event_type: ClassVar[str] = "nl.integriteit.klachten.cog-advies-uitgebracht"
    subject_field: ClassVar[str | None] = "klacht_id"
    klacht_id: Id
    advies: codes.CogAdvies
    datum: date


class KlachtAfgehandeld(_Klachten, EventData):
    event_type: ClassVar[str] = "nl.integriteit.klachten.klacht-afgehandeld"
    subject_field: ClassVar[str | None] = "klacht_id"
    klacht_id: Id
    wijze: codes.Afhandelwijze
    oordeel: codes.Oordeel
    datum: date


# --- KMar BPS (external) ------------------------------------------------------------------
class _Kmar:
    system: ClassVar[str] = "kmar-bps"


class BpsMeldingGeregistreerd(_Kmar, _Categorie):
    event_type: ClassVar[str] = "nl.integriteit.kmar-bps.melding-geregistreerd"
    subject_field: ClassVar[str | None] = "bps_id"
    bps_id: Id
    registratiedatum: date


class BpsSchendingVastgesteld(_Kmar, EventData):
    event_type: ClassVar[str] = "nl.integriteit.kmar-bps.schending-vastgesteld"
    subject_field: ClassVar[str | None] = "bps_id"
    bps_id: Id
    datum: date


class RechtspositioneelOnderzoekGestart(_Kmar, EventData):
    event_type: ClassVar[str] = "nl.integriteit.kmar-bps.rechtspositioneel-onderzoek-gestart"
    subject_field: ClassVar[str | None] = "onderzoek_id"
    onderzoek_id: Id
    startdatum: date


class RechtspositioneelOnderzoekAfgerond(_Kmar, EventData):
    event_type: ClassVar[str] = "nl.integriteit.kmar-bps.rechtspositioneel-onderzoek-afgerond"
    subject_field: ClassVar[str | None] = "onderzoek_id"
    onderzoek_id: Id
    einddatum: date
    schending_vastgesteld: bool


# --- ECLD (external) -----------------------------------------------------------------------
class OpleidingsdeelnameGeregistreerd(EventData):
    system: ClassVar[str] = "ecld"
    event_type: ClassVar[str] = "nl.integriteit.ecld.opleidingsdeelname-geregistreerd"
    subject_field: ClassVar[str | None] = None
    opleiding: codes.Opleiding
    datum: date
    aantal_deelnemers: int = Field(ge=0)


# --- the audit anchors -----------------------------------------------------------------
class AuditKetenkop(EventData):
    """The head of a service's audit chain (`integriteit_shared.crypto.audit`): entry
    `volgnummer` carries `hmac`. Published by each service with an audit chain, with its
    own source, on a topic of its own; rapportage keeps it in its ledger as an anchor that
    `integriteit audit-verify` checks the chain against. No personal data: a number and a
    keyed hash."""

    system: ClassVar[str] = "<dienst>"  # any of topics.AUDIT_SYSTEMS, see allowed_sources
    event_type: ClassVar[str] = "nl.integriteit.audit.ketenkop-gepubliceerd"
    subject_field: ClassVar[str | None] = None
    volgnummer: int = Field(ge=1)
    hmac: str = Field(pattern="^[0-9a-f]{64}$")

    @classmethod
    def topic(cls) -> str:
        return topics.AUDIT

    @classmethod
    def allowed_sources(cls) -> frozenset[str]:
        return frozenset(topics.source_urn(s) for s in topics.AUDIT_SYSTEMS)


EVENT_TYPES: dict[str, type[EventData]] = {
    cls.event_type: cls
    for cls in (
        MeldingOntvangen,
        MeldingGecategoriseerd,
        MeldingOntvangstBevestigd,
        MeldingTerugkoppelingGegeven,
        MeldingAfdoeningBepaald,
        MeldingAfgerond,
        MeldingToegewezen,
        NazorgUitgevoerd,
        MisstandVermoedenGeregistreerd,
        MisstandAfgerond,
        IntegriteitsonderzoekGestart,
        IntegriteitsonderzoekAfgerond,
        NevenwerkzaamheidGeregistreerd,
        NevenwerkzaamheidGeadviseerd,
        VertrouwenspersoonAangesteld,
        VertrouwenspersoonBeeindigd,
        CasusGeregistreerd,
        CasusAfgesloten,
        InformeleGesprekkenGeteld,
        KlachtIngediend,
        KlachtVerdaagd,
        CogBehandelingGestart,
        CogAdviesUitgebracht,
        KlachtAfgehandeld,
        BpsMeldingGeregistreerd,
        BpsSchendingVastgesteld,
        RechtspositioneelOnderzoekGestart,
        RechtspositioneelOnderzoekAfgerond,
        OpleidingsdeelnameGeregistreerd,
        AuditKetenkop,
    )
}
