"""Per-field authenticated encryption (AES-256-GCM) with key ids, so keys can rotate.

Token format: ``v1.<kid>.<base64url(nonce | ciphertext+tag)>`` (unpadded base64url).
The kid travels with the cipher text, so any configured key can decrypt while only the
active (first) key encrypts. Callers pass an ``aad`` that binds the value to its place
(e.g. ``"melding:<id>:omschrijving"``), so a token copied to another row or column fails.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Callable, Sequence
from typing import Any, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import CursorResult, TableClause, and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql import FromClause

__all__ = [
    "TOKEN_VERSION",
    "DecryptionError",
    "FieldCipher",
    "generate_key_setting",
    "reencrypt_column",
]

TOKEN_VERSION = "v1"  # noqa: S105 - a format tag, not a secret
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # the GCM standard nonce size; random nonces are safe up to ~2**32 per key
TAG_BYTES = 16
# No ".", ":" or ",": those separate tokens and the keys setting.
_KID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class DecryptionError(ValueError):
    """The token is malformed, its key is unknown, or it was tampered with / has another aad.

    Messages never contain the token, plaintext or key material.
    """


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(data: str) -> bytes:
    padded = data + "=" * (-len(data) % 4)
    return base64.b64decode(padded, altchars=b"-_", validate=True)


def _check_kid(kid: str) -> None:
    if not _KID_RE.fullmatch(kid):
        raise ValueError(f"invalid key id {kid!r}: use 1-64 characters from A-Z a-z 0-9 _ -")


class FieldCipher:
    """AES-256-GCM field cipher over an ordered key ring; the first key is the active one."""

    __slots__ = ("_active_kid", "_aeads")

    def __init__(self, keys: Sequence[tuple[str, bytes]]) -> None:
        if not keys:
            raise ValueError("at least one encryption key is required")
        aeads: dict[str, AESGCM] = {}
        for kid, key in keys:
            _check_kid(kid)
            if kid in aeads:
                raise ValueError(f"duplicate key id {kid!r}")
            if len(key) != KEY_BYTES:
                raise ValueError(
                    f"key {kid!r} is {len(key)} bytes; AES-256 needs exactly {KEY_BYTES}"
                )
            aeads[kid] = AESGCM(key)
        self._aeads = aeads
        self._active_kid = keys[0][0]

    @classmethod
    def from_setting(cls, setting: str) -> FieldCipher:
        """Parse ``"kid:base64(32 bytes),kid2:..."`` (the first key encrypts)."""
        keys: list[tuple[str, bytes]] = []
        for position, raw in enumerate(setting.split(","), start=1):
            entry = raw.strip()
            if not entry:
                raise ValueError(f"encryption key entry {position} is empty")
            kid, sep, b64 = entry.partition(":")
            kid, b64 = kid.strip(), b64.strip()
            if not sep or not kid or not b64:
                raise ValueError(f"encryption key entry {position} must look like 'kid:base64key'")
            try:
                key = base64.b64decode(b64, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError(f"key {kid!r} is not valid standard base64") from None
            keys.append((kid, key))
        return cls(keys)

    @property
    def active_kid(self) -> str:
        return self._active_kid

    def __repr__(self) -> str:  # never show key material
        return f"FieldCipher(active={self._active_kid!r}, keys={list(self._aeads)!r})"

    def encrypt(self, plaintext: str, *, aad: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aeads[self._active_kid].encrypt(
            nonce, plaintext.encode("utf-8"), aad.encode("utf-8")
        )
        return f"{TOKEN_VERSION}.{self._active_kid}.{_b64url_encode(nonce + sealed)}"

    def decrypt(self, token: str, *, aad: str) -> str:
        kid, blob = _parse(token)
        aead = self._aeads.get(kid)
        if aead is None:
            raise DecryptionError(f"unknown key id {kid!r}")
        try:
            plain = aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad.encode("utf-8"))
        except InvalidTag:
            raise DecryptionError("authentication failed (tampered token or wrong aad)") from None
        return plain.decode("utf-8")

    def key_id_of(self, token: str) -> str:
        return _parse(token)[0]

    def needs_rotation(self, token: str) -> bool:
        return self.key_id_of(token) != self._active_kid

    def rotate(self, token: str, *, aad: str) -> str:
        """Re-encrypt under the active key; a token already on it is returned unchanged."""
        if not self.needs_rotation(token):
            return token
        return self.encrypt(self.decrypt(token, aad=aad), aad=aad)


def _parse(token: str) -> tuple[str, bytes]:
    version, sep1, rest = token.partition(".")
    kid, sep2, payload = rest.partition(".")
    if version != TOKEN_VERSION or not sep1 or not sep2 or not _KID_RE.fullmatch(kid):
        raise DecryptionError("not a v1 field-encryption token")
    try:
        blob = _b64url_decode(payload)
    except (binascii.Error, ValueError):
        raise DecryptionError("token payload is not valid base64url") from None
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("token payload is too short")
    return kid, blob


def field_aad(table: str, column: str, row_id: object) -> str:
    """The associated data that binds a cipher text to its row and column.

    A value copied into another row or column no longer decrypts; every encrypted field of
    every service uses this one rule, which is also how key rotation finds the rows.
    """
    return f"{table}.{column}:{row_id}"


def generate_key_setting(kid: str) -> str:
    """A fresh ``"kid:base64"`` entry; prepend it to the setting to make it the active key."""
    _check_kid(kid)
    return f"{kid}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode('ascii')}"


async def reencrypt_column(
    session: AsyncSession,
    *,
    table: FromClause | type[DeclarativeBase],
    id_column: str,
    column: str,
    aad_fn: Callable[[Any], str],
    cipher: FieldCipher,
    batch_size: int = 500,
    commit_each_batch: bool = False,
) -> int:
    """Move every non-null value of ``column`` that is not on the active key to it.

    Runs while the services keep working: old keys still decrypt the rows not yet done,
    and a row changed concurrently is skipped (the UPDATE matches on the old token), since
    the concurrent writer already used the active key. Walks by id (keyset pagination), so
    memory stays at one batch. With ``commit_each_batch`` the session commits after each
    batch (use a session that is not inside ``session.begin()``) so locks stay short;
    otherwise everything happens in the caller's transaction. Returns rows changed.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    tbl = table.__table__ if isinstance(table, type) else table
    if not isinstance(tbl, TableClause):
        raise TypeError("table must be a Table or an ORM class mapped to one")
    id_col = tbl.c[id_column]
    col = tbl.c[column]
    # Rows already on the active key are filtered out in SQL; autoescape keeps "_" literal.
    # Texts under a record's data key (`gegevenssleutels`, kid "gs") and destroyed texts
    # are not the service key's: rotation rewraps the data keys instead.
    pending = and_(
        col.is_not(None),
        ~col.startswith(f"{TOKEN_VERSION}.{cipher.active_kid}.", autoescape=True),
        ~col.startswith(f"{TOKEN_VERSION}.gs.", autoescape=True),
        col != "[vernietigd]",
    )
    changed = 0
    last_id: Any = None
    while True:
        query = select(id_col, col).where(pending).order_by(id_col).limit(batch_size)
        if last_id is not None:
            query = query.where(id_col > last_id)
        rows = (await session.execute(query)).all()
        if not rows:
            break
        for row_id, token in rows:
            new_token = cipher.rotate(token, aad=aad_fn(row_id))
            if new_token == token:
                continue
            result = await session.execute(
                update(tbl).where(id_col == row_id, col == token).values({col.key: new_token})
            )
            # An UPDATE always yields a CursorResult; the stubs type it as plain Result.
            changed += cast(CursorResult[Any], result).rowcount
        last_id = rows[-1][0]
        if commit_each_batch:
            await session.commit()
    return changed
