"""Aftercare (nazorg, DOMAIN.md): after a named melding is closed, check-ins with the melder
at the months of the setting `nazorg_maanden` ask whether they suffered detriment for
reporting.

- `plannen` runs with the closing, in its transaction: one check-in per period, each with
  its reminder to the behandelaar (or the team). An anonymous melding has no melder to
  contact and gets none.
- `vastleggen` records the outcome of one check-in (the earliest still open, or the one
  named; each later than the one before): it cancels that check-in's reminder, goes to
  the timeline with codes only, and emits `meldpunt.nazorg-uitgevoerd` through the
  outbox, all in one transaction. A check-in is recorded once: a second request for it
  is a 409.
- A closed melding is not reopened (the workflow has no way back), so the check-ins stand
  once planned; a later toewijzing sends the pending reminders to the new behandelaar.
- The toelichting is encrypted under the melding's own data key (`melding_ref`, the key of
  its omschrijving and melder): it is what the named melder said about detriment, personal
  data that exists only while the melder is known and goes with their contact details at
  the end of the retention period of the kind `meldingen` (meldpunt.bewaren). Once that key
  is destroyed a toelichting can no longer be written (409); the outcome still can.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.auth.validation import Principal
from integriteit_shared.crypto.audit import queue_audit, record_audit
from integriteit_shared.crypto.fields import FieldCipher
from integriteit_shared.crypto.gegevenssleutels import RecordCipher, record_cipher
from integriteit_shared.db.base import utcnow
from integriteit_shared.events.models import NazorgUitgevoerd
from integriteit_shared.http.problems import BadRequest, Conflict
from integriteit_shared.kalender import nazorg_data
from integriteit_shared.messaging.outbox import publish
from integriteit_shared.notificaties import Planner
from meldpunt import herinneringen
from meldpunt.melding.models import Melding, melding_ref
from meldpunt.nazorg.models import NazorgContact, toelichting_aad
from meldpunt.nazorg.schemas import NazorgBody, NazorgContactRead
from meldpunt.tijdlijn.service import registreer_stap

OBJECT_TYPE = "nazorg"


async def plannen(session: AsyncSession, planner: Planner, melding: Melding) -> None:
    """The check-ins of a melding just closed, with their reminders."""
    if melding.anoniem or melding.afronding_datum is None:
        return
    maanden = planner.settings.nazorg_maanden
    for m, uiterlijk in zip(maanden, nazorg_data(melding.afronding_datum, maanden), strict=True):
        contact = NazorgContact(
            id=str(uuid.uuid4()), melding_id=melding.id, maanden=m, uiterlijk=uiterlijk
        )
        session.add(contact)
        await session.flush()
        await herinneringen.nazorg_herinneren(session, planner, melding, contact.id, uiterlijk)


async def _contacten(session: AsyncSession, melding_id: str) -> list[NazorgContact]:
    return list(
        await session.scalars(
            select(NazorgContact)
            .where(NazorgContact.melding_id == melding_id)
            .order_by(NazorgContact.maanden)
        )
    )


async def overgedragen(session: AsyncSession, planner: Planner, melding: Melding) -> None:
    """After a toewijzing: the pending check-ins' reminders go to the new behandelaar."""
    open_ = [c.id for c in await _contacten(session, melding.id) if c.datum is None]
    await herinneringen.nazorg_overgedragen(session, planner, melding, open_)


def _read(cipher: RecordCipher, c: NazorgContact) -> NazorgContactRead:
    return NazorgContactRead.model_validate(
        {
            "id": c.id,
            "melding_id": c.melding_id,
            "maanden": c.maanden,
            "uiterlijk": c.uiterlijk,
            "status": "gepland" if c.datum is None else "uitgevoerd",
            "datum": c.datum,
            "benadeling_gemeld": c.benadeling_gemeld,
            "toelichting": (
                cipher.decrypt(c.toelichting, aad=toelichting_aad(c.id))
                if c.toelichting is not None
                else None
            ),
            "door": c.door,
            "vastgelegd_op": c.vastgelegd_op,
        }
    )


def _afgerond(melding: Melding) -> date:
    """The closing date of a melding that has aftercare; 409 for any other."""
    if melding.anoniem:
        raise Conflict("Een anonieme melding heeft geen nazorg: er is geen melder te benaderen.")
    if melding.afronding_datum is None:
        raise Conflict("Nazorg volgt op de afronding: deze melding is nog niet afgerond.")
    return melding.afronding_datum


def _kies(contacten: list[NazorgContact], body: NazorgBody, afgerond: date) -> NazorgContact:
    """The check-in the request is about; every problem with the request at once."""
    fouten: list[dict[str, str]] = []
    if body.datum < afgerond:
        fouten.append(
            {"name": "datum", "reason": f"Ligt vóór de afronding ({afgerond.isoformat()})."}
        )
    contact: NazorgContact | None
    if body.maanden is None:
        contact = next((c for c in contacten if c.datum is None), None)
    else:
        contact = next((c for c in contacten if c.maanden == body.maanden), None)
        if contact is None:
            gepland = ", ".join(str(c.maanden) for c in contacten)
            fouten.append(
                {
                    "name": "maanden",
                    "reason": f"Geen nazorgcontact op die maand (gepland: {gepland}).",
                }
            )
    if fouten:
        raise BadRequest("Het nazorgcontact klopt niet.", invalid_params=fouten)
    if contact is None:
        raise Conflict(
            "Alle nazorgcontacten van deze melding zijn al vastgelegd."
            if contacten
            else "Voor deze melding is geen nazorg gepland."
        )
    if contact.datum is None:
        _op_volgorde(contacten, contact, body.datum)
    return contact


def _op_volgorde(contacten: list[NazorgContact], contact: NazorgContact, datum: date) -> None:
    """Each check-in is a contact of its own, later than the one before it: the same
    contact recorded twice (a double click without `maanden`) is a 409, not the next
    check-in done."""
    for ander in contacten:
        if ander.datum is None or ander is contact:
            continue
        if (ander.maanden < contact.maanden and ander.datum >= datum) or (
            ander.maanden > contact.maanden and ander.datum <= datum
        ):
            raise Conflict(
                f"Het nazorgcontact na {ander.maanden} maanden is op "
                f"{ander.datum.isoformat()} vastgelegd: elk contact ligt na het vorige."
            )


async def vastleggen(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    melding: Melding,
    body: NazorgBody,
    principal: Principal,
    request_id: str | None,
) -> NazorgContactRead:
    contact = _kies(await _contacten(session, melding.id), body, _afgerond(melding))
    # a melding made before data keys existed gets its key here; a destroyed one is a 409
    rc = await record_cipher(session, cipher, melding_ref(melding.id))
    toelichting = (
        rc.encrypt(body.toelichting, aad=toelichting_aad(contact.id))
        if body.toelichting is not None
        else None
    )
    # one winner per check-in, whatever the lock on the melding does
    result = await session.execute(
        update(NazorgContact)
        .where(NazorgContact.id == contact.id, NazorgContact.datum.is_(None))
        .values(
            datum=body.datum,
            benadeling_gemeld=body.benadeling_gemeld,
            toelichting=toelichting,
            door=principal.sub,
            vastgelegd_op=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        raise Conflict(f"Het nazorgcontact na {contact.maanden} maanden is al vastgelegd.")
    await session.refresh(contact)
    await herinneringen.nazorg_gedaan(session, contact.id)
    await registreer_stap(
        session,
        melding.id,
        "nazorg",
        principal.sub,
        datum=body.datum,
        maanden=contact.maanden,
        benadeling_gemeld=body.benadeling_gemeld,
    )
    await publish(
        session,
        NazorgUitgevoerd(
            melding_id=melding.id, datum=body.datum, benadeling_gemeld=body.benadeling_gemeld
        ),
    )
    if toelichting is not None:
        await queue_audit(
            session,
            actor=principal.sub,
            action="schrijven",
            object_type=OBJECT_TYPE,
            object_id=melding.id,
            fields=["toelichting"],
            request_id=request_id,
        )
    return _read(rc, contact)


async def lezen(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    melding: Melding,
    principal: Principal,
    request_id: str | None,
) -> list[NazorgContactRead]:
    """The check-ins of a melding, planned and done; a read of a toelichting is audited."""
    contacten = await _contacten(session, melding.id)
    if any(c.toelichting is not None for c in contacten):
        await record_audit(
            session,
            actor=principal.sub,
            action="lezen",
            object_type=OBJECT_TYPE,
            object_id=melding.id,
            fields=["toelichting"],
            request_id=request_id,
        )
    rc = await record_cipher(session, cipher, melding_ref(melding.id), aanmaken=False)
    return [_read(rc, c) for c in contacten]
