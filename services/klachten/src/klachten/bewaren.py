"""klachten's retention rule (integriteit_shared.bewaartermijnen; docs/privacy.md).

A klacht's period counts from its afhandeling. What goes is its free text (omschrijving,
verdaging reden) and the link to a medewerker's own klacht; the skeleton (codes, dates,
oordeel) stays, and so do the events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import case, update
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.auth.dependencies import scope_onderdeel
from integriteit_shared.auth.validation import Principal
from integriteit_shared.bewaartermijnen import Bewaarregel, te_vernietigen
from integriteit_shared.crypto.gegevenssleutels import VERNIETIGD, vernietig_sleutels
from integriteit_shared.db.loading import load_for_change
from integriteit_shared.notificaties import MAILADRESSEN
from klachten.klacht.models import Klacht
from klachten.klacht.service import klacht_ref

# the object type of a klacht in the audit log and of its legal hold
KLACHT = "klacht"


async def laad_klacht(session: AsyncSession, klacht_id: str, principal: Principal) -> Klacht:
    """A klacht to place or lift a hold on: locked; 404 outside the caller's scope."""
    return await load_for_change(
        session,
        Klacht,
        klacht_id,
        visible=lambda klacht: scope_onderdeel(principal, klacht.defensieonderdeel),
    )


async def _klachten(session: AsyncSession, grens: date, limit: int) -> Sequence[str]:
    return await te_vernietigen(
        session,
        Klacht.id,
        Klacht.status == "afgehandeld",
        Klacht.afhandeling_datum <= grens,
        object_type=KLACHT,
        sleutels="klachten",
        limit=limit,
    )


async def _klacht_vernietigen(session: AsyncSession, klacht_id: str) -> None:
    await session.execute(
        update(Klacht)
        .where(Klacht.id == klacht_id)
        .values(
            omschrijving=VERNIETIGD,
            verdaging_reden=case((Klacht.verdaging_reden.is_not(None), VERNIETIGD), else_=None),
            indiener_koppeling=None,
        )
    )
    await vernietig_sleutels(session, [klacht_ref(klacht_id)])


BEWAARREGELS: tuple[Bewaarregel, ...] = (
    Bewaarregel(
        soort="klachten",
        eindtoestand="afgehandeld",
        instelling="bewaartermijn_klachten_dagen",
        object_type=KLACHT,
        velden=("omschrijving", "verdaging_reden", "indiener_koppeling"),
        kandidaten=_klachten,
        vernietig=_klacht_vernietigen,
    ),
    MAILADRESSEN,
)
