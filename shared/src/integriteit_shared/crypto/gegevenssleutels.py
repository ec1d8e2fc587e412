"""Envelope encryption: a data key per record, wrapped by the service key (crypto-shredding).

The protected text of a record (a melding's omschrijving and melder, its berichten, ...) is
encrypted with a data key of its own (AES-256-GCM, token kid `gs`). The data key is stored
in `gegevenssleutels`, itself encrypted with the service key (`FieldCipher`, aad
"gegevenssleutels.sleutel:<record>"), so `integriteit sleutels-roteren` rewraps the data
keys like any other encrypted field and never has to touch the texts they protect.

When the retention period of a record ends (`integriteit_shared.bewaartermijnen`), its data
key is destroyed: the row keeps the record reference and `vernietigd_op`, the wrapped key is
gone. Every copy of the cipher texts (a backup, a replica) then stays unreadable, also to
someone holding the service key, once the copies of the key row itself have aged out (see
docs/privacy.md for this limit).

A record reference is "<table>:<id>" of the record whose retention governs the text,
e.g. "berichten:<melding id>" for every message of one melding.
"""

from __future__ import annotations

import base64
import os
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, Text, exists, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column

from integriteit_shared.crypto.fields import (
    KEY_BYTES,
    TOKEN_VERSION,
    DecryptionError,
    FieldCipher,
    field_aad,
)
from integriteit_shared.db.base import Base, utcnow
from integriteit_shared.http.problems import Conflict

__all__ = [
    "DATA_KEY_KID",
    "GEGEVENSSLEUTEL_KOLOMMEN",
    "VERNIETIGD",
    "Gegevenssleutel",
    "RecordCipher",
    "SleutelVernietigd",
    "is_vernietigd",
    "niet_vernietigd",
    "nieuwe_gegevenssleutel",
    "record_cipher",
    "record_ref",
    "vernietig_sleutels",
]

# The key id of tokens under a data key; reserved (a service key may not use it).
DATA_KEY_KID = "gs"
DATA_KEY_PREFIX = f"{TOKEN_VERSION}.{DATA_KEY_KID}."
# What a destroyed text is overwritten with in the database, and what a read returns for
# it: the record's skeleton stays, its text is gone.
VERNIETIGD = "[vernietigd]"


class SleutelVernietigd(Conflict):
    """409: the record's data key was destroyed at the end of its retention period, so
    nothing can be added to it any more (a message to a purged conversation)."""

    def __init__(self) -> None:
        super().__init__("De bewaartermijn van deze gegevens is verstreken; ze zijn vernietigd.")


class Gegevenssleutel(Base):
    """One record's data key, wrapped by the service key; NULL once destroyed."""

    __tablename__ = "gegevenssleutels"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    sleutel: Mapped[str | None] = mapped_column(Text, default=None)
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)
    vernietigd_op: Mapped[datetime | None] = mapped_column(default=None)


def record_ref(table: str, record_id: object) -> str:
    return f"{table}:{record_id}"


def _wrap_aad(ref: str) -> str:
    return field_aad("gegevenssleutels", "sleutel", ref)


# an id column, of a table or of an ORM class
Kolom = ColumnElement[str] | InstrumentedAttribute[str]


def niet_vernietigd(
    table: str, id_column: ColumnElement[str] | InstrumentedAttribute[str]
) -> ColumnElement[bool]:
    """SQL: the data key of record "<table>:<id_column>" is not destroyed (a purge's
    candidates)."""
    return ~exists().where(
        Gegevenssleutel.id == literal(f"{table}:") + id_column,
        Gegevenssleutel.vernietigd_op.is_not(None),
    )


def is_vernietigd(token: str | None) -> bool:
    return token == VERNIETIGD


class RecordCipher:
    """Encrypts with the record's data key; decrypts data-key tokens and the service-key
    tokens written before data keys existed. A destroyed text reads as VERNIETIGD."""

    __slots__ = ("_data", "_destroyed", "_service")

    def __init__(self, service: FieldCipher, data_key: bytes | None, *, destroyed: bool) -> None:
        self._service = service
        self._data = FieldCipher([(DATA_KEY_KID, data_key)]) if data_key is not None else None
        self._destroyed = destroyed

    def __repr__(self) -> str:  # never show key material
        return f"RecordCipher(data_key={self._data is not None}, destroyed={self._destroyed})"

    @property
    def destroyed(self) -> bool:
        return self._destroyed

    def encrypt(self, plaintext: str, *, aad: str) -> str:
        if self._data is None:
            raise SleutelVernietigd
        return self._data.encrypt(plaintext, aad=aad)

    def decrypt(self, token: str, *, aad: str) -> str:
        if is_vernietigd(token):
            return VERNIETIGD
        if token.startswith(DATA_KEY_PREFIX):
            if self._data is None:
                if self._destroyed:
                    return VERNIETIGD
                raise DecryptionError("no data key for this record")
            return self._data.decrypt(token, aad=aad)
        return self._service.decrypt(token, aad=aad)


def nieuwe_gegevenssleutel(cipher: FieldCipher, ref: str) -> tuple[RecordCipher, dict[str, Any]]:
    """A fresh data key for a record not stored yet: its cipher, and the `gegevenssleutels`
    row to insert with the record (a write path that stores in one statement)."""
    if cipher.active_kid == DATA_KEY_KID:
        raise ValueError(f"key id {DATA_KEY_KID!r} is reserved for data keys")
    key = os.urandom(KEY_BYTES)
    row = {
        "id": ref,
        "sleutel": cipher.encrypt(base64.b64encode(key).decode("ascii"), aad=_wrap_aad(ref)),
        "aangemaakt_op": utcnow(),
        "vernietigd_op": None,
    }
    return RecordCipher(cipher, key, destroyed=False), row


GEGEVENSSLEUTEL_KOLOMMEN = ("id", "sleutel", "aangemaakt_op", "vernietigd_op")


async def record_cipher(
    session: AsyncSession, cipher: FieldCipher, ref: str, *, aanmaken: bool = True
) -> RecordCipher:
    """The cipher of record `ref`; with `aanmaken` its data key is made on first use.

    Two requests making the first key of one record at once: one insert wins (ON CONFLICT
    DO NOTHING), both then use the stored key.
    """
    if cipher.active_kid == DATA_KEY_KID:
        raise ValueError(f"key id {DATA_KEY_KID!r} is reserved for data keys")
    row = (
        await session.execute(
            select(Gegevenssleutel.sleutel, Gegevenssleutel.vernietigd_op).where(
                Gegevenssleutel.id == ref
            )
        )
    ).first()
    if row is None and aanmaken:
        _, values = nieuwe_gegevenssleutel(cipher, ref)
        dialect = session.get_bind().dialect.name
        insert_fn = pg_insert if dialect == "postgresql" else sqlite_insert
        await session.execute(
            insert_fn(Gegevenssleutel).values(values).on_conflict_do_nothing(index_elements=["id"])
        )
        row = (
            await session.execute(
                select(Gegevenssleutel.sleutel, Gegevenssleutel.vernietigd_op).where(
                    Gegevenssleutel.id == ref
                )
            )
        ).first()
    if row is None:
        return RecordCipher(cipher, None, destroyed=False)
    wrapped, vernietigd_op = row
    if wrapped is None:
        return RecordCipher(cipher, None, destroyed=vernietigd_op is not None)
    key = base64.b64decode(cipher.decrypt(wrapped, aad=_wrap_aad(ref)))
    return RecordCipher(cipher, key, destroyed=False)


async def vernietig_sleutels(session: AsyncSession, refs: list[str]) -> None:
    """Destroy the data keys of `refs` (a record without one gets a tombstone row, so it
    can never get a key again)."""
    if not refs:
        return
    nu = utcnow()
    bestaand = set(
        (await session.scalars(select(Gegevenssleutel.id).where(Gegevenssleutel.id.in_(refs))))
        .unique()
        .all()
    )
    if bestaand:
        await session.execute(
            update(Gegevenssleutel)
            .where(Gegevenssleutel.id.in_(bestaand))
            .values(sleutel=None, vernietigd_op=nu)
        )
    for ref in refs:
        if ref not in bestaand:
            session.add(Gegevenssleutel(id=ref, sleutel=None, vernietigd_op=nu))
    await session.flush()
