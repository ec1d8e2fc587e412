"""The klacht's reminders: its Awb term is near (7 days before) and has passed.

They go to the team address of the klacht's defensieonderdeel (klachten has no assigned
behandelaar). Planned again whenever the term moves (COG, verdaging), cancelled when the
klacht is handled. The mail names the klacht's id and its last day only.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.notificaties import Planner, Sjabloon, annuleer
from klachten.klacht.models import Klacht

TERMIJN_BIJNA = "klacht-termijn-bijna"
TERMIJN_VERLOPEN = "klacht-termijn-verlopen"
DAGEN_VOORAF = 7

SJABLONEN = {
    TERMIJN_BIJNA: Sjabloon(
        onderwerp="Klacht {referentie}: de termijn verloopt op {termijn}",
        tekst=(
            "De afhandelingstermijn van klacht {referentie} verloopt op {termijn}.\n"
            "Rond de afhandeling af of verdaag haar tijdig.\n\nOpenen: {link}\n"
        ),
    ),
    TERMIJN_VERLOPEN: Sjabloon(
        onderwerp="Klacht {referentie}: de termijn is verlopen ({termijn})",
        tekst=(
            "De afhandelingstermijn van klacht {referentie} is op {termijn} verlopen.\n\n"
            "Openen: {link}\n"
        ),
    ),
}


async def bijwerken(session: AsyncSession, planner: Planner, klacht: Klacht) -> None:
    """After every change of the klacht: its reminders for the current term, or none."""
    if klacht.status == "afgehandeld":
        await annuleer(session, object_id=klacht.id, soorten=[TERMIJN_BIJNA, TERMIJN_VERLOPEN])
        return
    await planner.termijn(
        session,
        object_id=klacht.id,
        referentie=klacht.id,
        ontvanger=planner.team(klacht.defensieonderdeel),
        termijn=klacht.termijn_uiterlijk,
        bijna=TERMIJN_BIJNA,
        dagen_vooraf=DAGEN_VOORAF,
        verlopen=TERMIJN_VERLOPEN,
    )
