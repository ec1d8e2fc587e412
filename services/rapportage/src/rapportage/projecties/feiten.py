"""The fact rows each event type establishes: one small handler per type, in one table.

`feiten` looks the event's type up in `FACT_HANDLERS`, which names every event type of the
contract: a new type must be given a handler, or `_no_facts` when no indicator uses it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypedDict

from integriteit_shared.events import EventData
from integriteit_shared.events import models as ev
from integriteit_shared.kalender import amsterdam_date
from rapportage.projecties import models as m
from rapportage.projecties.bijdragen import rij


class Origin(TypedDict):
    """What every fact row carries of its event."""

    event_id: str
    registered_at: datetime


FactHandler = Callable[[Any, Origin], list[object]]


def feiten(event_id: str, registered_at: datetime, event: EventData) -> list[object]:
    """The fact rows one event establishes (none for events no indicator uses)."""
    handler = FACT_HANDLERS.get(type(event), _no_facts)
    return handler(event, Origin(event_id=event_id, registered_at=registered_at))


def _no_facts(event: EventData, origin: Origin) -> list[object]:
    return []


def _melding_ontvangen(event: ev.MeldingOntvangen, origin: Origin) -> list[object]:
    return [
        rij(
            m.RapMelding,
            **origin,
            melding_id=event.melding_id,
            ontvangen_op=event.ontvangen_op,
            ontvangen_datum=amsterdam_date(event.ontvangen_op),
            defensieonderdeel=event.defensieonderdeel,
            vermoeden_misstand=event.vermoeden_misstand,
        ),
        rij(
            m.RapCategorisering,
            **origin,
            bron="hrhd",
            aggregate_id=event.melding_id,
            volgorde=0,
            hoofdcategorie=event.hoofdcategorie,
            subcategorie=event.subcategorie,
        ),
    ]


def _melding_gecategoriseerd(event: ev.MeldingGecategoriseerd, origin: Origin) -> list[object]:
    return [
        rij(
            m.RapCategorisering,
            **origin,
            bron="hrhd",
            aggregate_id=event.melding_id,
            volgorde=1,
            hoofdcategorie=event.hoofdcategorie,
            subcategorie=event.subcategorie,
        )
    ]


def _melding_ontvangst_bevestigd(
    event: ev.MeldingOntvangstBevestigd, origin: Origin
) -> list[object]:
    return [
        rij(
            m.RapMeldingStap,
            **origin,
            melding_id=event.melding_id,
            stap="bevestigd",
            datum=event.datum,
        )
    ]


def _melding_terugkoppeling_gegeven(
    event: ev.MeldingTerugkoppelingGegeven, origin: Origin
) -> list[object]:
    return [
        rij(
            m.RapMeldingStap,
            **origin,
            melding_id=event.melding_id,
            stap="terugkoppeling",
            datum=event.datum,
        )
    ]


def _melding_afgerond(event: ev.MeldingAfgerond, origin: Origin) -> list[object]:
    return [
        rij(
            m.RapMeldingStap,
            **origin,
            melding_id=event.melding_id,
            stap="afgerond",
            datum=event.datum,
        )
    ]


def _misstand_vermoeden_geregistreerd(
    event: ev.MisstandVermoedenGeregistreerd, origin: Origin
) -> list[object]:
    return [
        rij(
            m.RapMisstand,
            **origin,
            melding_id=event.melding_id,
            stap="vermoeden",
            datum=event.datum,
        )
    ]


def _misstand_afgerond(event: ev.MisstandAfgerond, origin: Origin) -> list[object]:
    return [
        rij(
            m.RapMisstand,
            **origin,
            melding_id=event.melding_id,
            stap="afgerond",
            datum=event.datum,
            vastgesteld=event.vastgesteld,
        )
    ]


def _integriteitsonderzoek_gestart(
    event: ev.IntegriteitsonderzoekGestart, origin: Origin
) -> list[object]:
    return [
        rij(
            m.RapOnderzoek,
            **origin,
            onderzoek_id=event.onderzoek_id,
            stap="gestart",
            datum=event.startdatum,
            defensieonderdeel=event.defensieonderdeel,
        )
    ]


def _integriteitsonderzoek_afgerond(
    event: ev.IntegriteitsonderzoekAfgerond, origin: Origin
) -> list[object]:
    return [
        rij(
            m.RapOnderzoek,
            **origin,
            onderzoek_id=event.onderzoek_id,
            stap="afgerond",
            datum=event.einddatum,
        )
    ]


def _nevenwerkzaamheid_geregistreerd(
    event: ev.NevenwerkzaamheidGeregistreerd, origin: Origin
) -> list[object]:
    return [
        rij(
            m.RapNevenwerkzaamheid,
            **origin,
            nevenwerkzaamheid_id=event.nevenwerkzaamheid_id,
            registratiedatum=event.registratiedatum,
            defensieonderdeel=event.defensieonderdeel,
        )
    ]


def _nevenwerkzaamheid_geadviseerd(
    event: ev.NevenwerkzaamheidGeadviseerd, origin: Origin
) -> list[object]:
    return [
        rij(
            m.RapAdvies,
            **origin,
            nevenwerkzaamheid_id=event.nevenwerkzaamheid_id,
            advies=event.advies,
            datum=event.datum,
        )
    ]


def _vertrouwenspersoon_aangesteld(
    event: ev.VertrouwenspersoonAangesteld, origin: Origin
) -> list[object]:
    return [
        rij(
            m.RapVertrouwenspersoon,
            **origin,
            vertrouwenspersoon_id=event.vertrouwenspersoon_id,
            stap="aangesteld",
            datum=event.datum,
            defensieonderdeel=event.defensieonderdeel,
        )
    ]


def _vertrouwenspersoon_beeindigd(
    event: ev.VertrouwenspersoonBeeindigd, origin: Origin
) -> list[object]:
    return [
        rij(
            m.RapVertrouwenspersoon,
            **origin,
            vertrouwenspersoon_id=event.vertrouwenspersoon_id,
            stap="beeindigd",
            datum=event.datum,
        )
    ]


def _casus_geregistreerd(event: ev.CasusGeregistreerd, origin: Origin) -> list[object]:
    return [
        rij(
            m.RapCasus,
            **origin,
            casus_id=event.casus_id,
            datum=event.datum,
            defensieonderdeel=event.defensieonderdeel,
            hoofdcategorie=event.hoofdcategorie,
            subcategorie=event.subcategorie,
        )
    ]


def _klacht_ingediend(event: ev.KlachtIngediend, origin: Origin) -> list[object]:
    return [
        rij(
            m.RapKlacht,
            **origin,
            klacht_id=event.klacht_id,
            ontvangen_op=event.ontvangen_op,
            ontvangen_datum=amsterdam_date(event.ontvangen_op),
            soort=event.soort,
            defensieonderdeel=event.defensieonderdeel,
        )
    ]


def _klacht_verdaagd(event: ev.KlachtVerdaagd, origin: Origin) -> list[object]:
    return [
        rij(
            m.RapKlachtStap,
            **origin,
            klacht_id=event.klacht_id,
            stap="verdaagd",
            weken=event.weken,
        )
    ]


def _cog_behandeling_gestart(event: ev.CogBehandelingGestart, origin: Origin) -> list[object]:
    return [
        rij(
            m.RapKlachtStap,
            **origin,
            klacht_id=event.klacht_id,
            stap="cog_gestart",
            datum=event.datum,
        )
    ]


def _cog_advies_uitgebracht(event: ev.CogAdviesUitgebracht, origin: Origin) -> list[object]:
    return [
        rij(
            m.RapKlachtStap,
            **origin,
            klacht_id=event.klacht_id,
            stap="cog_advies",
            datum=event.datum,
        )
    ]


def _klacht_afgehandeld(event: ev.KlachtAfgehandeld, origin: Origin) -> list[object]:
    return [
        rij(
            m.RapKlachtStap,
            **origin,
            klacht_id=event.klacht_id,
            stap="afgehandeld",
            datum=event.datum,
        )
    ]


def _bps_melding_geregistreerd(event: ev.BpsMeldingGeregistreerd, origin: Origin) -> list[object]:
    return [
        rij(
            m.RapBpsMelding,
            **origin,
            bps_id=event.bps_id,
            registratiedatum=event.registratiedatum,
        ),
        rij(
            m.RapCategorisering,
            **origin,
            bron="bps",
            aggregate_id=event.bps_id,
            volgorde=0,
            hoofdcategorie=event.hoofdcategorie,
            subcategorie=event.subcategorie,
        ),
    ]


def _bps_schending_vastgesteld(event: ev.BpsSchendingVastgesteld, origin: Origin) -> list[object]:
    return [rij(m.RapSchending, **origin, bps_id=event.bps_id, datum=event.datum)]


def _rechtspositioneel_onderzoek_gestart(
    event: ev.RechtspositioneelOnderzoekGestart, origin: Origin
) -> list[object]:
    return [
        rij(
            m.RapRpOnderzoek,
            **origin,
            onderzoek_id=event.onderzoek_id,
            stap="gestart",
            datum=event.startdatum,
        )
    ]


def _rechtspositioneel_onderzoek_afgerond(
    event: ev.RechtspositioneelOnderzoekAfgerond, origin: Origin
) -> list[object]:
    return [
        rij(
            m.RapRpOnderzoek,
            **origin,
            onderzoek_id=event.onderzoek_id,
            stap="afgerond",
            datum=event.einddatum,
            schending_vastgesteld=event.schending_vastgesteld,
        )
    ]


def _opleidingsdeelname_geregistreerd(
    event: ev.OpleidingsdeelnameGeregistreerd, origin: Origin
) -> list[object]:
    return [
        rij(
            m.RapOpleiding,
            **origin,
            opleiding=event.opleiding,
            datum=event.datum,
            aantal_deelnemers=event.aantal_deelnemers,
        )
    ]


FACT_HANDLERS: dict[type[EventData], FactHandler] = {
    ev.MeldingOntvangen: _melding_ontvangen,
    ev.MeldingGecategoriseerd: _melding_gecategoriseerd,
    ev.MeldingOntvangstBevestigd: _melding_ontvangst_bevestigd,
    ev.MeldingTerugkoppelingGegeven: _melding_terugkoppeling_gegeven,
    ev.MeldingAfgerond: _melding_afgerond,
    ev.MisstandVermoedenGeregistreerd: _misstand_vermoeden_geregistreerd,
    ev.MisstandAfgerond: _misstand_afgerond,
    ev.IntegriteitsonderzoekGestart: _integriteitsonderzoek_gestart,
    ev.IntegriteitsonderzoekAfgerond: _integriteitsonderzoek_afgerond,
    ev.NevenwerkzaamheidGeregistreerd: _nevenwerkzaamheid_geregistreerd,
    ev.NevenwerkzaamheidGeadviseerd: _nevenwerkzaamheid_geadviseerd,
    ev.VertrouwenspersoonAangesteld: _vertrouwenspersoon_aangesteld,
    ev.VertrouwenspersoonBeeindigd: _vertrouwenspersoon_beeindigd,
    ev.CasusGeregistreerd: _casus_geregistreerd,
    ev.KlachtIngediend: _klacht_ingediend,
    ev.KlachtVerdaagd: _klacht_verdaagd,
    ev.CogBehandelingGestart: _cog_behandeling_gestart,
    ev.CogAdviesUitgebracht: _cog_advies_uitgebracht,
    ev.KlachtAfgehandeld: _klacht_afgehandeld,
    ev.BpsMeldingGeregistreerd: _bps_melding_geregistreerd,
    ev.BpsSchendingVastgesteld: _bps_schending_vastgesteld,
    ev.RechtspositioneelOnderzoekGestart: _rechtspositioneel_onderzoek_gestart,
    ev.RechtspositioneelOnderzoekAfgerond: _rechtspositioneel_onderzoek_afgerond,
    ev.OpleidingsdeelnameGeregistreerd: _opleidingsdeelname_geregistreerd,
    # no indicator uses these
    ev.MeldingAfdoeningBepaald: _no_facts,
    ev.MeldingToegewezen: _no_facts,
    ev.NazorgUitgevoerd: _no_facts,
    ev.CasusAfgesloten: _no_facts,
    ev.InformeleGesprekkenGeteld: _no_facts,
    # an anchor of a service's audit chain: kept in the ledger, counted nowhere
    ev.AuditKetenkop: _no_facts,
}
