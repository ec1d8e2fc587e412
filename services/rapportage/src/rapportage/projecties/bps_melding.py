"""The BPS melding (KMar's own system): registration, category, violations established.

What counts: the first registration, the latest category (the same `Categorie` key as a
HRHD melding), and a violation from its date on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple

from integriteit_shared.events import models as ev
from rapportage.projecties import models as m
from rapportage.projecties.melding import Categorie, Categorisering
from rapportage.projecties.register import REGISTER, Bijdrage, Bron, Feit, Toestand, handler
from rapportage.projecties.sleutels import JaarSleutel, sleutel


class BpsMelding(NamedTuple):
    """Registered (`rap_bps_meldingen`)."""

    event_id: str
    registered_at: datetime
    bps_id: str
    registratiedatum: date


class BpsCategorisering(Categorisering):
    """The category at registration: a row of `rap_categoriseringen` as a HRHD melding's,
    with bron bps (a class of its own: a fact class belongs to one aggregate kind)."""

    __slots__ = ()


class BpsSchending(NamedTuple):
    """A violation established (`rap_schendingen`)."""

    event_id: str
    registered_at: datetime
    bps_id: str
    datum: date


@sleutel
class BpsGeregistreerd(JaarSleutel):
    prefix = "bps"


@sleutel
class BpsVastgesteld(JaarSleutel):
    """A BPS melding of the year with a violation established by the peildatum."""

    prefix = "bps_vastgesteld"


@handler(ev.BpsMeldingGeregistreerd)
def _geregistreerd(event: ev.BpsMeldingGeregistreerd, eid: str, op: datetime) -> list[Feit]:
    return [
        BpsMelding(eid, op, event.bps_id, event.registratiedatum),
        BpsCategorisering(
            eid, op, "bps", event.bps_id, 0, event.hoofdcategorie, event.subcategorie
        ),
    ]


@handler(ev.BpsSchendingVastgesteld)
def _schending(event: ev.BpsSchendingVastgesteld, eid: str, op: datetime) -> list[Feit]:
    return [BpsSchending(eid, op, event.bps_id, event.datum)]


class BpsToestand(Toestand):
    peilafhankelijk = True
    __slots__ = ("categorisering", "registratie", "schendingen")

    def __init__(self) -> None:
        self.registratie: BpsMelding | None = None
        self.categorisering: BpsCategorisering | None = None
        self.schendingen: list[date] = []

    def voeg_toe(self, feit: Feit) -> None:
        if type(feit) is BpsMelding:
            if self.registratie is None:
                self.registratie = feit
        elif type(feit) is BpsCategorisering:
            self.categorisering = feit
        elif type(feit) is BpsSchending:
            self.schendingen.append(feit.datum)

    def wijzigdagen(self) -> Iterable[date]:
        return self.schendingen

    def bijdrage(self, peil: date) -> Bijdrage:
        registratie = self.registratie
        if registratie is None:
            return {}
        jaar = registratie.registratiedatum.year
        out = {BpsGeregistreerd.tekst(jaar): 1}
        categorisering = self.categorisering
        if categorisering is not None:
            sleutel = Categorie.tekst(
                jaar, categorisering.hoofdcategorie, categorisering.subcategorie
            )
            out[sleutel] = 1
        if any(d <= peil for d in self.schendingen):
            out[BpsVastgesteld.tekst(jaar)] = 1
        return out


REGISTER.soort(
    "bps-melding",
    (
        Bron(BpsMelding, m.RapBpsMelding, "bps_id"),
        Bron(BpsCategorisering, m.RapCategorisering, "aggregate_id", "bps"),
        Bron(BpsSchending, m.RapSchending, "bps_id"),
    ),
    BpsToestand,
)
