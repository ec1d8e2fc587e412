"""meldpunt's retention rules (integriteit_shared.bewaartermijnen; docs/privacy.md).

A melding's periods count from its final state: afgerond, and its misstand track closed
when it had one (the later of the two dates). What goes is the text and the personal data;
the skeleton (ids, referentie, codes, dates, steps) stays, and so do the events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from sqlalchemy import ColumnElement, Select, and_, delete, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.bewaartermijnen import Bewaarregel, niet_bewaard, te_vernietigen
from integriteit_shared.crypto.gegevenssleutels import (
    VERNIETIGD,
    record_ref,
    vernietig_sleutels,
)
from integriteit_shared.notificaties import MAILADRESSEN
from meldpunt.behandeling.models import MelderInzage, Notitie, Uitsluiting
from meldpunt.bericht.models import Bericht
from meldpunt.bijlage.models import Bijlage
from meldpunt.melding.models import Melding, melding_ref
from meldpunt.nazorg.models import NazorgContact
from meldpunt.nevenwerkzaamheid.models import Nevenwerkzaamheid
from meldpunt.volgsessie.models import Volgsessie

# the object type of a melding in the audit log and of its legal hold
MELDING = "melding"
# the final state a melding's periods count from, in words
AFGEROND = "afgerond (en het misstandspoor afgerond, als er een was)"


def afgerond_voor(grens: date) -> ColumnElement[bool]:
    """The melding reached its final state on or before `grens`."""
    return and_(
        Melding.status == "afgerond",
        Melding.afronding_datum <= grens,
        or_(Melding.vermoeden_misstand.is_(False), Melding.misstand_afronding_datum <= grens),
    )


async def _ids(session: AsyncSession, query: Select[str], limit: int) -> Sequence[str]:
    return list((await session.scalars(query.limit(limit))).all())


# --- meldingen: the melder's contact details, the omschrijving and the melder link --------
# and the toelichting of each nazorg check-in, which is under the melding's own key


async def _meldingen(session: AsyncSession, grens: date, limit: int) -> Sequence[str]:
    return await te_vernietigen(
        session,
        Melding.id,
        afgerond_voor(grens),
        object_type=MELDING,
        sleutels="meldingen",
        limit=limit,
    )


async def _melding_vernietigen(session: AsyncSession, melding_id: str) -> None:
    await session.execute(
        update(Melding)
        .where(Melding.id == melding_id)
        .values(
            omschrijving=VERNIETIGD,
            melder=None,
            melder_koppeling=None,
            behandelaar_adres=None,
        )
    )
    for model in (Uitsluiting, MelderInzage):
        await session.execute(
            update(model).where(model.melding_id == melding_id).values(reden=VERNIETIGD)
        )
    await session.execute(
        update(NazorgContact)
        .where(NazorgContact.melding_id == melding_id, NazorgContact.toelichting.is_not(None))
        .values(toelichting=VERNIETIGD)
    )
    await vernietig_sleutels(session, [melding_ref(melding_id)])


# --- the parts of a melding with periods of their own ------------------------------------


def _deel(
    soort: str,
    table: str,
    model: type[Bericht] | type[Notitie] | type[Bijlage],
    velden: tuple[str, ...],
) -> Bewaarregel:
    """The rule for one kind of a melding's parts: its text fields, under their own key,
    go after its own period (setting `bewaartermijn_<soort>_dagen`) once the melding is
    afgerond."""

    async def kandidaten(session: AsyncSession, grens: date, limit: int) -> Sequence[str]:
        return await te_vernietigen(
            session,
            Melding.id,
            afgerond_voor(grens),
            exists().where(model.melding_id == Melding.id),
            object_type=MELDING,
            sleutels=table,
            limit=limit,
        )

    async def vernietig(session: AsyncSession, melding_id: str) -> None:
        values = dict.fromkeys(velden, VERNIETIGD)
        await session.execute(update(model).where(model.melding_id == melding_id).values(values))
        await vernietig_sleutels(session, [record_ref(table, melding_id)])

    return Bewaarregel(
        soort=soort,
        eindtoestand=AFGEROND,
        instelling=f"bewaartermijn_{soort}_dagen",
        object_type=MELDING,
        velden=velden,
        kandidaten=kandidaten,
        vernietig=vernietig,
    )


# --- volgcodes and volgsessies --------------------------------------------------------------


async def _volgcodes(session: AsyncSession, grens: date, limit: int) -> Sequence[str]:
    query = (
        select(Melding.id)
        .where(
            afgerond_voor(grens),
            niet_bewaard(MELDING, Melding.id),
            Melding.volgcode_hash.is_not(None),
        )
        .order_by(Melding.id)
    )
    return await _ids(session, query, limit)


async def _volgcode_vernietigen(session: AsyncSession, melding_id: str) -> None:
    await session.execute(
        update(Melding)
        .where(Melding.id == melding_id)
        .values(volgcode_selector=None, volgcode_hash=None)
    )
    await session.execute(delete(Volgsessie).where(Volgsessie.melding_id == melding_id))


async def _volgsessies(session: AsyncSession, grens: date, limit: int) -> Sequence[str]:
    verlopen = datetime.combine(grens, time(), tzinfo=UTC)
    query = select(Volgsessie.id).where(Volgsessie.verloopt_op < verlopen).order_by(Volgsessie.id)
    return await _ids(session, query, limit)


async def _volgsessie_vernietigen(session: AsyncSession, volgsessie_id: str) -> None:
    await session.execute(delete(Volgsessie).where(Volgsessie.id == volgsessie_id))


# --- nevenwerkzaamheden ----------------------------------------------------------------------


async def _nevenwerkzaamheden(session: AsyncSession, grens: date, limit: int) -> Sequence[str]:
    return await te_vernietigen(
        session,
        Nevenwerkzaamheid.id,
        Nevenwerkzaamheid.advies_datum <= grens,
        object_type="nevenwerkzaamheid",
        sleutels="nevenwerkzaamheden",
        limit=limit,
    )


async def _nevenwerkzaamheid_vernietigen(session: AsyncSession, nw_id: str) -> None:
    await session.execute(
        update(Nevenwerkzaamheid)
        .where(Nevenwerkzaamheid.id == nw_id)
        .values(omschrijving=VERNIETIGD)
    )
    await vernietig_sleutels(session, [record_ref("nevenwerkzaamheden", nw_id)])


BEWAARREGELS: tuple[Bewaarregel, ...] = (
    Bewaarregel(
        soort="meldingen",
        eindtoestand=AFGEROND,
        instelling="bewaartermijn_meldingen_dagen",
        object_type=MELDING,
        velden=(
            "omschrijving",
            "melder",
            "melder_koppeling",
            "behandelaar_adres",
            "uitsluitingen.reden",
            "melder_inzagen.reden",
            "nazorg.toelichting",
        ),
        kandidaten=_meldingen,
        vernietig=_melding_vernietigen,
    ),
    _deel("berichten", "berichten", Bericht, ("tekst",)),
    _deel("notities", "melding_notities", Notitie, ("tekst",)),
    _deel("bijlagen", "bijlagen", Bijlage, ("naam", "inhoud")),
    Bewaarregel(
        soort="volgcodes",
        eindtoestand=AFGEROND,
        instelling="bewaartermijn_volgcodes_dagen",
        object_type=MELDING,
        velden=("volgcode", "volgsessies"),
        kandidaten=_volgcodes,
        vernietig=_volgcode_vernietigen,
    ),
    Bewaarregel(
        soort="volgsessies",
        eindtoestand="verlopen",
        instelling="bewaartermijn_volgsessies_dagen",
        object_type="volgsessie",
        velden=("token_hash",),
        kandidaten=_volgsessies,
        vernietig=_volgsessie_vernietigen,
    ),
    Bewaarregel(
        soort="nevenwerkzaamheden",
        eindtoestand="advies gegeven",
        instelling="bewaartermijn_nevenwerkzaamheden_dagen",
        object_type="nevenwerkzaamheid",
        velden=("omschrijving",),
        kandidaten=_nevenwerkzaamheden,
        vernietig=_nevenwerkzaamheid_vernietigen,
    ),
    MAILADRESSEN,
)
