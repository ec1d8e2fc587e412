from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.db.base import new_id as nieuw_id
from integriteit_shared.events.models import InformeleGesprekkenGeteld
from integriteit_shared.messaging.outbox import publish
from vertrouwenspersonen.informeel_gesprek.models import InformeelGesprek


async def tellen(
    session: AsyncSession, *, defensieonderdeel: str, datum: date, aantal: int
) -> InformeelGesprek:
    telling = InformeelGesprek(
        id=nieuw_id(), defensieonderdeel=defensieonderdeel, datum=datum, aantal=aantal
    )
    session.add(telling)
    await session.flush()
    await publish(
        session,
        InformeleGesprekkenGeteld.model_validate(
            {"defensieonderdeel": defensieonderdeel, "datum": datum, "aantal": aantal}
        ),
    )
    return telling
