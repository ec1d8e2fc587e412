"""Reading a melding's inzagelog: its audit entries, with the reasons of identity requests.

The entries are those of the melding and of everything under it: its notes, messages,
attachments, exclusions and melder-inzagen are audited under the melding's id, and the
integriteitsonderzoeken started for it under theirs. The reason of a `melder-inzage` is
stored encrypted (`melder_inzagen`) and found by the request id its entry shares;
decrypting it for this view is a read of protected data like any other, and so is
reading the log: both are audited.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.crypto.audit import AuditFilter, audit_query, record_audit
from integriteit_shared.crypto.fields import FieldCipher
from integriteit_shared.crypto.gegevenssleutels import VERNIETIGD, is_vernietigd
from integriteit_shared.http.auditlog import audit_regel
from integriteit_shared.http.pagination import Page, pagina
from integriteit_shared.http.problems import Forbidden
from meldpunt.behandeling.models import MelderInzage
from meldpunt.behandeling.service import reden_aad
from meldpunt.integriteitsonderzoek.models import Integriteitsonderzoek
from meldpunt.inzagelog.schemas import InzagelogRegel
from meldpunt.melding.dependencies import is_behandelaar_of_coordinator
from meldpunt.melding.models import Melding

OBJECT_TYPE = "inzagelog"
MELDER_INZAGE = "melder-inzage"


def mag_inzagelog_lezen(principal: Principal, melding: Melding) -> None:
    """The behandelaar, a coordinator or a beheerder (403 for any other adviser)."""
    if not (principal.has_any(Rol.beheerder) or is_behandelaar_of_coordinator(principal, melding)):
        raise Forbidden(
            "Alleen de behandelaar, een coördinator of een beheerder ziet het inzagelog."
        )


async def lezen(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    melding: Melding,
    principal: Principal,
    page: Page,
    request_id: str | None,
) -> tuple[list[InzagelogRegel], int]:
    mag_inzagelog_lezen(principal, melding)
    onderzoeken = await session.scalars(
        select(Integriteitsonderzoek.id).where(Integriteitsonderzoek.melding_id == melding.id)
    )
    filter = AuditFilter(object_ids=[melding.id, *onderzoeken])
    rows, total = await pagina(session, audit_query(filter), page)
    request_ids = [r.request_id for r in rows if r.action == MELDER_INZAGE and r.request_id]
    redenen: dict[str, str] = {}
    if request_ids:
        inzagen = await session.scalars(
            select(MelderInzage).where(
                MelderInzage.melding_id == melding.id, MelderInzage.request_id.in_(request_ids)
            )
        )
        # a reason destroyed at the end of the melding's retention reads as such
        redenen = {
            str(i.request_id): VERNIETIGD
            if is_vernietigd(i.reden)
            else cipher.decrypt(i.reden, aad=reden_aad("melder_inzagen", i.id))
            for i in inzagen
        }
    await record_audit(
        session,
        actor=principal.sub,
        action="lezen",
        object_type=OBJECT_TYPE,
        object_id=melding.id,
        fields=[OBJECT_TYPE, *(["reden"] if redenen else [])],
        request_id=request_id,
    )
    regels = []
    for row in rows:
        reden = redenen.get(row.request_id or "") if row.action == MELDER_INZAGE else None
        regels.append(InzagelogRegel(**audit_regel(row).model_dump(), reden=reden))
    return regels, total
