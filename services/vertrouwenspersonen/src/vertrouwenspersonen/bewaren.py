"""vertrouwenspersonen's retention rule (integriteit_shared.bewaartermijnen; docs/privacy.md).

A casus note goes a period after the casus is afgesloten; the casus itself (codes and
dates, what the figures count) stays, and so do the events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.bewaartermijnen import Bewaarregel, te_vernietigen
from integriteit_shared.crypto.gegevenssleutels import VERNIETIGD, vernietig_sleutels
from vertrouwenspersonen.casus.models import Casus
from vertrouwenspersonen.casus.service import OBJECT_TYPE, casus_ref


async def _casusnotities(session: AsyncSession, grens: date, limit: int) -> Sequence[str]:
    return await te_vernietigen(
        session,
        Casus.id,
        Casus.status == "afgesloten",
        Casus.afsluitdatum <= grens,
        Casus.notitie.is_not(None),
        object_type=OBJECT_TYPE,
        sleutels="casussen",
        limit=limit,
    )


async def _notitie_vernietigen(session: AsyncSession, casus_id: str) -> None:
    await session.execute(update(Casus).where(Casus.id == casus_id).values(notitie=VERNIETIGD))
    await vernietig_sleutels(session, [casus_ref(casus_id)])


BEWAARREGELS: tuple[Bewaarregel, ...] = (
    Bewaarregel(
        soort="casusnotities",
        eindtoestand="afgesloten",
        instelling="bewaartermijn_casusnotities_dagen",
        object_type=OBJECT_TYPE,
        velden=("notitie",),
        kandidaten=_casusnotities,
        vernietig=_notitie_vernietigen,
    ),
)
