"""The mail meldpunt sends: its kinds (`SJABLONEN`, given to the app's sender) and when.

- A melding's two legal clocks: the acknowledgement (2 days before it is due, and the
  morning after) and the feedback (14 days before, and the morning after). `plannen`
  plans them as their moments come, before each round of the sender; the step itself
  cancels what is still pending. They go to the behandelaar (the address of their own
  token, when they took the melding themselves) or else the team of the onderdeel.
  Deadlines longer past than `HERINNERING_VENSTER` (history loaded afterwards, a long outage) get no
  mail: an overdue list is the place for those (`/termijnbewaking`).
- A nevenwerkzaamheid still without advice 4 weeks after its registration.
- Aftercare (nazorg): each check-in with a named melder after closing, on the morning it
  is due, to the behandelaar or the team (`nazorg_herinneren`); recording it cancels it,
  handing the melding to another behandelaar sends what is pending to them.
- Message notices: a named melder hears of a new message at the address given at intake
  (looked up only at send time, `adresboek`); the behandelaar hears when the melder wrote.
  An anonymous melder has no address: they see `ongelezenBerichten` in their volgsessie.

Only the reference, the due date and the link base from the settings: never an
omschrijving, a category or a name (integriteit_shared.notificaties).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from integriteit_shared.crypto.fields import FieldCipher
from integriteit_shared.crypto.gegevenssleutels import record_cipher
from integriteit_shared.db.base import utcnow
from integriteit_shared.db.session import Database
from integriteit_shared.kalender import amsterdam_date
from integriteit_shared.notificaties import (
    HERINNERING_VENSTER,
    REFERENTIE,
    Planner,
    Sjabloon,
    annuleer,
    ochtend,
    wijzig_ontvanger,
)
from meldpunt.melding.models import Melding, behandelaar_adres_aad, melder_aad, melding_ref
from meldpunt.nevenwerkzaamheid.models import Nevenwerkzaamheid

BEVESTIGING_BIJNA = "ontvangstbevestiging-bijna"
BEVESTIGING_VERLOPEN = "ontvangstbevestiging-verlopen"
TERUGKOPPELING_BIJNA = "terugkoppeling-bijna"
TERUGKOPPELING_VERLOPEN = "terugkoppeling-verlopen"
BERICHT_MELDER = "bericht-voor-melder"
BERICHT_BEHANDELAAR = "bericht-van-melder"
BEVESTIGING_DAGEN_VOORAF = 2
TERUGKOPPELING_DAGEN_VOORAF = 14

NEVENWERKZAAMHEID_ZONDER_ADVIES = "nevenwerkzaamheid-zonder-advies"
NAZORG = "nazorg"
# DOMAIN.md: a nevenwerkzaamheid waits no longer than this for its advice
NEVENWERKZAAMHEID_ADVIES_NA = timedelta(weeks=4)

SJABLONEN = {
    BEVESTIGING_BIJNA: Sjabloon(
        onderwerp="Melding {referentie}: ontvangstbevestiging uiterlijk {termijn}",
        tekst="De ontvangst van melding {referentie} moet uiterlijk {termijn} bevestigd "
        "zijn.\n\nOpenen: {link}\n",
    ),
    BEVESTIGING_VERLOPEN: Sjabloon(
        onderwerp="Melding {referentie}: ontvangstbevestiging te laat ({termijn})",
        tekst="De ontvangst van melding {referentie} had uiterlijk {termijn} bevestigd "
        "moeten zijn.\n\nOpenen: {link}\n",
    ),
    TERUGKOPPELING_BIJNA: Sjabloon(
        onderwerp="Melding {referentie}: terugkoppeling uiterlijk {termijn}",
        tekst="De melder van melding {referentie} moet uiterlijk {termijn} een "
        "terugkoppeling hebben.\n\nOpenen: {link}\n",
    ),
    TERUGKOPPELING_VERLOPEN: Sjabloon(
        onderwerp="Melding {referentie}: terugkoppeling te laat ({termijn})",
        tekst="De melder van melding {referentie} had uiterlijk {termijn} een "
        "terugkoppeling moeten hebben.\n\nOpenen: {link}\n",
    ),
    BERICHT_MELDER: Sjabloon(
        onderwerp="Er is een nieuw bericht over uw melding {referentie}",
        tekst="Er is een nieuw bericht over uw melding {referentie}. U leest het na "
        "inloggen.\n\n{link}\n",
    ),
    BERICHT_BEHANDELAAR: Sjabloon(
        onderwerp="Melding {referentie}: nieuw bericht van de melder",
        tekst="De melder van melding {referentie} heeft een bericht gestuurd.\n\nOpenen: {link}\n",
    ),
    NAZORG: Sjabloon(
        onderwerp="Melding {referentie}: nazorgcontact met de melder op {termijn}",
        tekst=(
            "Melding {referentie} is afgerond. Op {termijn} staat het nazorgcontact met de "
            "melder gepland: neem contact op, vraag of de melder na de melding benadeling "
            "heeft ondervonden en leg de uitkomst vast.\n\nOpenen: {link}\n"
        ),
    ),
    NEVENWERKZAAMHEID_ZONDER_ADVIES: Sjabloon(
        onderwerp="Nevenwerkzaamheid {referentie} wacht al 4 weken op advies",
        tekst=(
            "Nevenwerkzaamheid {referentie} is 4 weken geleden geregistreerd en heeft nog "
            "geen advies.\n\nOpenen: {link}\n"
        ),
    ),
}


async def nevenwerkzaamheid_geregistreerd(
    session: AsyncSession, planner: Planner, nw: Nevenwerkzaamheid
) -> None:
    await planner.na(
        session,
        object_id=nw.id,
        referentie=nw.id,
        ontvanger=planner.team(nw.defensieonderdeel),
        soort=NEVENWERKZAAMHEID_ZONDER_ADVIES,
        moment=ochtend(nw.registratiedatum + NEVENWERKZAAMHEID_ADVIES_NA),
    )


async def nevenwerkzaamheid_geadviseerd(session: AsyncSession, nw: Nevenwerkzaamheid) -> None:
    await annuleer(session, object_id=nw.id, soorten=[NEVENWERKZAAMHEID_ZONDER_ADVIES])


def behandelaar_of_team(planner: Planner, melding: Melding) -> str:
    if melding.behandelaar_adres is not None:
        return planner.cipher.decrypt(
            melding.behandelaar_adres, aad=behandelaar_adres_aad(melding.id)
        )
    return planner.team(melding.defensieonderdeel)


async def _termijn(
    session: AsyncSession,
    planner: Planner,
    melding: Melding,
    nu: datetime,
    *,
    uiterlijk: date,
    dagen_vooraf: int,
    bijna: str,
    verlopen: str,
) -> None:
    ontvanger: str | None = None
    for soort, moment in (
        (bijna, ochtend(uiterlijk - timedelta(days=dagen_vooraf))),
        (verlopen, ochtend(uiterlijk + timedelta(days=1))),
    ):
        if soort == bijna and amsterdam_date(nu) > uiterlijk:
            continue  # past already: only the overdue one
        if moment <= nu and nu - moment <= HERINNERING_VENSTER:
            ontvanger = ontvanger or behandelaar_of_team(planner, melding)
            await planner.na(
                session,
                object_id=melding.id,
                referentie=melding.referentie,
                ontvanger=ontvanger,
                soort=soort,
                moment=moment,
                termijn=uiterlijk,
            )


def _open_termijn(
    datum: InstrumentedAttribute[date | None],
    uiterlijk: InstrumentedAttribute[date],
    vandaag_: date,
    dagen_vooraf: int,
) -> ColumnElement[bool]:
    """Open meldingen whose deadline is near or lately past (within `HERINNERING_VENSTER`)."""
    return and_(
        datum.is_(None),
        Melding.afronding_datum.is_(None),
        uiterlijk <= vandaag_ + timedelta(days=dagen_vooraf),
        uiterlijk >= vandaag_ - HERINNERING_VENSTER,
    )


async def plannen(db: Database, planner: Planner, nu: datetime) -> None:
    """Plan the reminders of the open meldingen whose moments have come (once each)."""
    vandaag_ = amsterdam_date(nu)
    klokken = (
        (
            _open_termijn(
                Melding.ontvangstbevestiging_datum,
                Melding.ontvangstbevestiging_uiterlijk,
                vandaag_,
                BEVESTIGING_DAGEN_VOORAF,
            ),
            "ontvangstbevestiging_uiterlijk",
            BEVESTIGING_DAGEN_VOORAF,
            BEVESTIGING_BIJNA,
            BEVESTIGING_VERLOPEN,
        ),
        (
            _open_termijn(
                Melding.terugkoppeling_datum,
                Melding.terugkoppeling_uiterlijk,
                vandaag_,
                TERUGKOPPELING_DAGEN_VOORAF,
            ),
            "terugkoppeling_uiterlijk",
            TERUGKOPPELING_DAGEN_VOORAF,
            TERUGKOPPELING_BIJNA,
            TERUGKOPPELING_VERLOPEN,
        ),
    )
    async with db.read_sessionmaker() as s:
        if await s.scalar(select(Melding.id).where(or_(*(k[0] for k in klokken))).limit(1)) is None:
            return  # the common case: nothing near, no write transaction
    async with db.transaction() as session:
        for conditie, veld, dagen_vooraf, bijna, verlopen in klokken:
            for melding in list(await session.scalars(select(Melding).where(conditie))):
                await _termijn(
                    session,
                    planner,
                    melding,
                    nu,
                    uiterlijk=getattr(melding, veld),
                    dagen_vooraf=dagen_vooraf,
                    bijna=bijna,
                    verlopen=verlopen,
                )


async def stap_gezet(session: AsyncSession, melding: Melding, actie: str) -> None:
    """A step taken cancels the reminders it makes moot."""
    soorten = {
        "ontvangstbevestiging": [BEVESTIGING_BIJNA, BEVESTIGING_VERLOPEN],
        "terugkoppeling": [TERUGKOPPELING_BIJNA, TERUGKOPPELING_VERLOPEN],
        "afronding": [
            BEVESTIGING_BIJNA,
            BEVESTIGING_VERLOPEN,
            TERUGKOPPELING_BIJNA,
            TERUGKOPPELING_VERLOPEN,
        ],
    }.get(actie, [])
    if soorten:
        await annuleer(session, object_id=melding.id, soorten=soorten)


async def nazorg_herinneren(
    session: AsyncSession, planner: Planner, melding: Melding, contact_id: str, uiterlijk: date
) -> None:
    """The reminder of one check-in, on the morning it is due. A check-in due longer ago
    than `HERINNERING_VENSTER` (a closing registered late) gets none, like every reminder
    of a deadline long past: it shows as overdue instead."""
    moment = ochtend(uiterlijk)
    if utcnow() - moment > HERINNERING_VENSTER:
        return
    await planner.na(
        session,
        object_id=contact_id,
        referentie=melding.referentie,
        ontvanger=behandelaar_of_team(planner, melding),
        soort=NAZORG,
        moment=moment,
        termijn=uiterlijk,
    )


async def nazorg_gedaan(session: AsyncSession, contact_id: str) -> None:
    await annuleer(session, object_id=contact_id, soorten=[NAZORG])


async def nazorg_overgedragen(
    session: AsyncSession, planner: Planner, melding: Melding, contact_ids: list[str]
) -> None:
    """The melding has another behandelaar (or none): its pending check-ins go to them."""
    if contact_ids:
        await wijzig_ontvanger(
            session,
            planner.cipher,
            object_ids=contact_ids,
            soorten=[NAZORG],
            ontvanger=behandelaar_of_team(planner, melding),
        )


MELDER = "melder:"


async def bericht_geplaatst(
    session: AsyncSession, planner: Planner, melding: Melding, bericht_id: str, afzender: str
) -> None:
    """A notice of a new message: to a named melder (at send time looked up), or to the
    behandelaar when the melder wrote. Nothing for an anonymous melder."""
    if afzender == "melder":
        await planner.na(
            session,
            object_id=bericht_id,
            referentie=melding.referentie,
            ontvanger=behandelaar_of_team(planner, melding),
            soort=BERICHT_BEHANDELAAR,
            moment=utcnow(),
        )
    elif not melding.anoniem and melding.melder is not None:
        await planner.na(
            session,
            object_id=bericht_id,
            referentie=melding.referentie,
            ontvanger=f"{REFERENTIE}{MELDER}{melding.id}",
            soort=BERICHT_MELDER,
            moment=utcnow(),
        )


async def adresboek(db: Database, cipher: FieldCipher, referentie: str) -> str | None:
    """A melder's e-mail address, decrypted now (at send time), or None if there is none
    (any more)."""
    if not referentie.startswith(MELDER):
        return None
    melding_id = referentie.removeprefix(MELDER)
    async with db.read_sessionmaker() as s:
        melder = await s.scalar(select(Melding.melder).where(Melding.id == melding_id))
        if melder is None:
            return None
        rc = await record_cipher(s, cipher, melding_ref(melding_id), aanmaken=False)
    email = json.loads(rc.decrypt(melder, aad=melder_aad(melding_id))).get("email")
    return str(email) if email else None
