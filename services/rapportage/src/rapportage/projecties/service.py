"""Project one event into the fact tables; the same code serves the consumer and a rebuild."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, event, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from integriteit_shared.events import Envelope, EventData
from integriteit_shared.events import models as ev
from rapportage.projecties import models as m

AMS = ZoneInfo("Europe/Amsterdam")


def amsterdam_datum(moment: datetime) -> date:
    """The calendar date of an aware moment in Europe/Amsterdam."""
    return moment.astimezone(AMS).date()


class LokaleVersie:
    """Counts commits in this process that bumped the data version.

    Readers keep the database version in memory for a moment (see
    `jaarverslag.service.VersieWachter`); a commit here makes them look again at once, so
    the consumer's and a rebuild's changes in this process are visible immediately.
    """

    generatie = 0


@event.listens_for(Session, "after_commit")
def _na_commit(session: Session) -> None:
    if session.info.pop("rap_versie_gebumpt", False):
        LokaleVersie.generatie += 1


@event.listens_for(Session, "after_rollback")
def _na_rollback(session: Session) -> None:
    session.info.pop("rap_versie_gebumpt", None)


async def bump_versie(session: AsyncSession) -> None:
    """Bump the data version; also serialises projection writers against a rebuild."""
    await session.execute(
        update(m.RapVersie).where(m.RapVersie.id == 1).values(versie=m.RapVersie.versie + 1)
    )
    session.sync_session.info["rap_versie_gebumpt"] = True


def versie_gebumpt(session: AsyncSession) -> bool:
    """True when this transaction has bumped the data version already."""
    return bool(session.sync_session.info.get("rap_versie_gebumpt", False))


async def wis_projecties(session: AsyncSession) -> None:
    for table in m.PROJECTIE_TABELLEN:
        await session.execute(delete(table))


def feiten(env: Envelope, event: EventData) -> list[object]:
    """The fact rows one event establishes (none for events no indicator uses)."""
    base = {"event_id": env.id, "registered_at": env.time}
    match event:
        case ev.MeldingOntvangen():
            return [
                m.RapMelding(
                    **base,
                    melding_id=event.melding_id,
                    ontvangen_op=event.ontvangen_op,
                    ontvangen_datum=amsterdam_datum(event.ontvangen_op),
                    defensieonderdeel=event.defensieonderdeel,
                    vermoeden_misstand=event.vermoeden_misstand,
                ),
                m.RapCategorisering(
                    **base,
                    bron="hrhd",
                    aggregate_id=event.melding_id,
                    volgorde=0,
                    hoofdcategorie=event.hoofdcategorie,
                    subcategorie=event.subcategorie,
                ),
            ]
        case ev.MeldingGecategoriseerd():
            return [
                m.RapCategorisering(
                    **base,
                    bron="hrhd",
                    aggregate_id=event.melding_id,
                    volgorde=1,
                    hoofdcategorie=event.hoofdcategorie,
                    subcategorie=event.subcategorie,
                )
            ]
        case ev.MeldingOntvangstBevestigd():
            return [
                m.RapMeldingStap(
                    **base, melding_id=event.melding_id, stap="bevestigd", datum=event.datum
                )
            ]
        case ev.MeldingTerugkoppelingGegeven():
            return [
                m.RapMeldingStap(
                    **base, melding_id=event.melding_id, stap="terugkoppeling", datum=event.datum
                )
            ]
        case ev.MeldingAfgerond():
            return [
                m.RapMeldingStap(
                    **base, melding_id=event.melding_id, stap="afgerond", datum=event.datum
                )
            ]
        case ev.MisstandVermoedenGeregistreerd():
            return [
                m.RapMisstand(
                    **base, melding_id=event.melding_id, stap="vermoeden", datum=event.datum
                )
            ]
        case ev.MisstandAfgerond():
            return [
                m.RapMisstand(
                    **base,
                    melding_id=event.melding_id,
                    stap="afgerond",
                    datum=event.datum,
                    vastgesteld=event.vastgesteld,
                )
            ]
        case ev.IntegriteitsonderzoekGestart():
            return [
                m.RapOnderzoek(
                    **base,
                    onderzoek_id=event.onderzoek_id,
                    stap="gestart",
                    datum=event.startdatum,
                    defensieonderdeel=event.defensieonderdeel,
                )
            ]
        case ev.IntegriteitsonderzoekAfgerond():
            return [
                m.RapOnderzoek(
                    **base, onderzoek_id=event.onderzoek_id, stap="afgerond", datum=event.einddatum
                )
            ]
        case ev.NevenwerkzaamheidGeregistreerd():
            return [
                m.RapNevenwerkzaamheid(
                    **base,
                    nevenwerkzaamheid_id=event.nevenwerkzaamheid_id,
                    registratiedatum=event.registratiedatum,
                    defensieonderdeel=event.defensieonderdeel,
                )
            ]
        case ev.NevenwerkzaamheidGeadviseerd():
            return [
                m.RapAdvies(
                    **base,
                    nevenwerkzaamheid_id=event.nevenwerkzaamheid_id,
                    advies=event.advies,
                    datum=event.datum,
                )
            ]
        case ev.VertrouwenspersoonAangesteld():
            return [
                m.RapVertrouwenspersoon(
                    **base,
                    vertrouwenspersoon_id=event.vertrouwenspersoon_id,
                    stap="aangesteld",
                    datum=event.datum,
                    defensieonderdeel=event.defensieonderdeel,
                )
            ]
        case ev.VertrouwenspersoonBeeindigd():
            return [
                m.RapVertrouwenspersoon(
                    **base,
                    vertrouwenspersoon_id=event.vertrouwenspersoon_id,
                    stap="beeindigd",
                    datum=event.datum,
                )
            ]
        case ev.CasusGeregistreerd():
            return [
                m.RapCasus(
                    **base,
                    casus_id=event.casus_id,
                    datum=event.datum,
                    defensieonderdeel=event.defensieonderdeel,
                    hoofdcategorie=event.hoofdcategorie,
                    subcategorie=event.subcategorie,
                )
            ]
        case ev.KlachtIngediend():
            return [
                m.RapKlacht(
                    **base,
                    klacht_id=event.klacht_id,
                    ontvangen_op=event.ontvangen_op,
                    ontvangen_datum=amsterdam_datum(event.ontvangen_op),
                    soort=event.soort,
                    defensieonderdeel=event.defensieonderdeel,
                )
            ]
        case ev.KlachtVerdaagd():
            return [
                m.RapKlachtStap(
                    **base, klacht_id=event.klacht_id, stap="verdaagd", weken=event.weken
                )
            ]
        case ev.CogBehandelingGestart():
            return [
                m.RapKlachtStap(
                    **base, klacht_id=event.klacht_id, stap="cog_gestart", datum=event.datum
                )
            ]
        case ev.CogAdviesUitgebracht():
            return [
                m.RapKlachtStap(
                    **base, klacht_id=event.klacht_id, stap="cog_advies", datum=event.datum
                )
            ]
        case ev.KlachtAfgehandeld():
            return [
                m.RapKlachtStap(
                    **base, klacht_id=event.klacht_id, stap="afgehandeld", datum=event.datum
                )
            ]
        case ev.BpsMeldingGeregistreerd():
            return [
                m.RapBpsMelding(
                    **base, bps_id=event.bps_id, registratiedatum=event.registratiedatum
                ),
                m.RapCategorisering(
                    **base,
                    bron="bps",
                    aggregate_id=event.bps_id,
                    volgorde=0,
                    hoofdcategorie=event.hoofdcategorie,
                    subcategorie=event.subcategorie,
                ),
            ]
        case ev.BpsSchendingVastgesteld():
            return [m.RapSchending(**base, bps_id=event.bps_id, datum=event.datum)]
        case ev.RechtspositioneelOnderzoekGestart():
            return [
                m.RapRpOnderzoek(
                    **base, onderzoek_id=event.onderzoek_id, stap="gestart", datum=event.startdatum
                )
            ]
        case ev.RechtspositioneelOnderzoekAfgerond():
            return [
                m.RapRpOnderzoek(
                    **base,
                    onderzoek_id=event.onderzoek_id,
                    stap="afgerond",
                    datum=event.einddatum,
                    schending_vastgesteld=event.schending_vastgesteld,
                )
            ]
        case ev.OpleidingsdeelnameGeregistreerd():
            return [
                m.RapOpleiding(
                    **base,
                    opleiding=event.opleiding,
                    datum=event.datum,
                    aantal_deelnemers=event.aantal_deelnemers,
                )
            ]
    return []  # afdoening-bepaald, casus-afgesloten, informele gesprekken: no indicator uses them


def projecteer(session: AsyncSession, env: Envelope, event: EventData) -> None:
    """Add the event's fact rows to the session; they are written at its next flush/commit."""
    rows = feiten(env, event)
    if rows:
        session.add_all(rows)
