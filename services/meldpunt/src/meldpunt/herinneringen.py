"""The mail meldpunt sends: its kinds (`SJABLONEN`, given to the app's sender) and when.

Only the reference, the due date and the link base from the settings: never an
omschrijving, a category or a name (integriteit_shared.notificaties).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.notificaties import Planner, Sjabloon, annuleer, ochtend
from meldpunt.nevenwerkzaamheid.models import Nevenwerkzaamheid

NEVENWERKZAAMHEID_ZONDER_ADVIES = "nevenwerkzaamheid-zonder-advies"
# DOMAIN.md: a nevenwerkzaamheid waits no longer than this for its advice
NEVENWERKZAAMHEID_ADVIES_NA = timedelta(weeks=4)

SJABLONEN = {
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
