"""Field encryption and the hash-chained audit log, on SQLite or on PostgreSQL.

Set TEST_DATABASE_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/postgres) to run
the database tests against a fresh PostgreSQL database; otherwise a temp SQLite file.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text, exc, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from integriteit_dev.testing.databases import database_url_for_tests
from integriteit_shared.crypto import (
    GENESIS_HASH,
    AuditEntry,
    AuditQueued,
    AuditVerification,
    DecryptionError,
    FieldCipher,
    audit_log_ddl_guard,
    audit_log_ddl_guard_drop,
    chain_queued,
    compute_audit_hash,
    generate_key_setting,
    queue_audit,
    record_audit,
    reencrypt_column,
    verify_audit_chain,
)
from integriteit_shared.crypto.chainer import AuditChainer
from integriteit_shared.db import Database

KEY_A = "a1:" + base64.b64encode(b"A" * 32).decode()
KEY_B = "b2:" + base64.b64encode(b"B" * 32).decode()

secrets_metadata = MetaData()
secrets_table = Table(
    "secrets",
    secrets_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("body", Text, nullable=True),
)


def _aad(row_id: object) -> str:
    return f"secrets:{row_id}:body"


# --- database fixture -------------------------------------------------------------------


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    server_url = database_url_for_tests()
    if not server_url:
        database = Database(f"sqlite+aiosqlite:///{tmp_path}/x.db")
        await _create_tables(database)
        yield database
        await database.dispose()
        return

    name = f"test_crypto_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        database = Database(make_url(server_url).set(database=name).render_as_string(False))
        try:
            await _create_tables(database)
            yield database
        finally:
            await database.dispose()
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


async def _create_tables(database: Database) -> None:
    async with database.engine.begin() as conn:
        # __table__ is typed as FromClause; it is a Table at runtime.
        await conn.run_sync(cast(Table, AuditEntry.__table__).create)
        await conn.run_sync(cast(Table, AuditQueued.__table__).create)
        await conn.run_sync(secrets_metadata.create_all)


async def _install_guard(database: Database) -> None:
    async with database.engine.begin() as conn:
        for statement in audit_log_ddl_guard(conn.dialect.name):
            await conn.execute(text(statement))


async def _append(database: Database, n: int) -> list[int]:
    ids = []
    for i in range(n):
        async with database.transaction() as session:
            entry = await record_audit(
                session,
                actor=f"user-{i}",
                action="lezen",
                object_type="melding",
                object_id=str(1000 + i),
                fields=["omschrijving", "contact_email"],
                request_id=f"req-{i}",
            )
            ids.append(entry.id)
    return ids


async def _verify(database: Database) -> AuditVerification:
    async with database.transaction() as session:
        return await verify_audit_chain(session)


# --- field encryption -------------------------------------------------------------------


def test_round_trip_and_token_format() -> None:
    cipher = FieldCipher.from_setting(KEY_A)
    plaintext = "Mijn leidinggevende zei iets ongepasts — vertrouwelijk"
    token = cipher.encrypt(plaintext, aad="melding:1:omschrijving")

    assert token.startswith("v1.a1.")
    assert cipher.key_id_of(token) == "a1"
    assert cipher.decrypt(token, aad="melding:1:omschrijving") == plaintext
    assert "leidinggevende" not in token and "ongepast" not in token
    # Fresh nonce each time: equal plaintexts do not give equal tokens.
    assert cipher.encrypt(plaintext, aad="x") != cipher.encrypt(plaintext, aad="x")


def test_empty_and_unicode_round_trip() -> None:
    cipher = FieldCipher.from_setting(KEY_A)
    for value in ["", "ë€😀", "x" * 10_000]:
        assert cipher.decrypt(cipher.encrypt(value, aad="a"), aad="a") == value


def test_wrong_aad_rejected() -> None:
    cipher = FieldCipher.from_setting(KEY_A)
    token = cipher.encrypt("geheim", aad="melding:1:omschrijving")
    with pytest.raises(DecryptionError):
        cipher.decrypt(token, aad="melding:2:omschrijving")


@pytest.mark.parametrize("position", [6, 10, 20, -1])
def test_tampering_rejected(position: int) -> None:
    cipher = FieldCipher.from_setting(KEY_A)
    token = cipher.encrypt("geheim bericht", aad="a")
    chars = list(token)
    chars[position] = "B" if chars[position] != "B" else "C"
    tampered = "".join(chars)
    assert tampered != token
    with pytest.raises(DecryptionError):
        cipher.decrypt(tampered, aad="a")


@pytest.mark.parametrize("token", ["", "plain text", "v2.a1.AAAA", "v1.a1.", "v1.a1.!!!!", "v1"])
def test_malformed_tokens_rejected(token: str) -> None:
    with pytest.raises(DecryptionError):
        FieldCipher.from_setting(KEY_A).decrypt(token, aad="a")


def test_unknown_kid_rejected() -> None:
    token = FieldCipher.from_setting(KEY_B).encrypt("geheim", aad="a")
    with pytest.raises(DecryptionError, match="unknown key id"):
        FieldCipher.from_setting(KEY_A).decrypt(token, aad="a")


def test_same_kid_other_key_rejected() -> None:
    other = "a1:" + base64.b64encode(b"Z" * 32).decode()
    token = FieldCipher.from_setting(KEY_A).encrypt("geheim", aad="a")
    with pytest.raises(DecryptionError):
        FieldCipher.from_setting(other).decrypt(token, aad="a")


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("", "empty"),
        ("nokey", "kid:base64key"),
        ("a1:", "kid:base64key"),
        (":" + base64.b64encode(b"A" * 32).decode(), "kid:base64key"),
        ("a1:not base64!", "base64"),
        ("a1:" + base64.b64encode(b"short").decode(), "32"),
        (KEY_A + "," + KEY_A, "duplicate"),
        (KEY_A + ",", "empty"),
        ("a.1:" + base64.b64encode(b"A" * 32).decode(), "invalid key id"),
    ],
)
def test_bad_settings_rejected(setting: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FieldCipher.from_setting(setting)


def test_settings_dev_key_parses() -> None:
    from integriteit_shared.settings import DEV_ENCRYPTION_KEYS

    assert FieldCipher.from_setting(DEV_ENCRYPTION_KEYS).active_kid == "dev1"


def test_generate_key_setting() -> None:
    entry = generate_key_setting("k2025")
    cipher = FieldCipher.from_setting(entry + "," + KEY_A)
    assert cipher.active_kid == "k2025"
    assert entry != generate_key_setting("k2025")
    assert "A" * 10 not in repr(cipher)  # key material never in the repr
    with pytest.raises(ValueError):
        generate_key_setting("bad:kid")


def test_rotation_keeps_old_tokens_readable() -> None:
    old_cipher = FieldCipher.from_setting(KEY_A)
    old_token = old_cipher.encrypt("geheim", aad="a")

    rotated_cipher = FieldCipher.from_setting(f"{KEY_B},{KEY_A}")
    assert rotated_cipher.decrypt(old_token, aad="a") == "geheim"
    assert rotated_cipher.needs_rotation(old_token)
    new_token = rotated_cipher.encrypt("nieuw", aad="a")
    assert rotated_cipher.key_id_of(new_token) == "b2"
    assert not rotated_cipher.needs_rotation(new_token)

    moved = rotated_cipher.rotate(old_token, aad="a")
    assert rotated_cipher.key_id_of(moved) == "b2"
    assert FieldCipher.from_setting(KEY_B).decrypt(moved, aad="a") == "geheim"
    assert rotated_cipher.rotate(moved, aad="a") == moved
    with pytest.raises(DecryptionError):
        rotated_cipher.rotate(old_token, aad="other")


async def test_reencrypt_column_moves_rows_to_new_key(db: Database) -> None:
    old_cipher = FieldCipher.from_setting(KEY_A)
    rows = [{"id": i, "body": old_cipher.encrypt(f"verhaal {i}", aad=_aad(i))} for i in range(1, 8)]
    rows.append({"id": 8, "body": None})
    async with db.transaction() as session:
        await session.execute(insert(secrets_table), rows)

    rotated = FieldCipher.from_setting(f"{KEY_B},{KEY_A}")
    # A row written after the new key went live is already on it and must stay as is.
    fresh = rotated.encrypt("verhaal 9", aad=_aad(9))
    async with db.transaction() as session:
        await session.execute(insert(secrets_table), [{"id": 9, "body": fresh}])

    async with db.transaction() as session:
        changed = await reencrypt_column(
            session,
            table=secrets_table,
            id_column="id",
            column="body",
            aad_fn=_aad,
            cipher=rotated,
            batch_size=3,
        )
    assert changed == 7

    new_only = FieldCipher.from_setting(KEY_B)  # the old key is dropped now
    async with db.transaction() as session:
        stored: dict[int, str | None] = {
            row.id: row.body for row in await session.execute(select(secrets_table))
        }
    assert stored[8] is None
    assert stored[9] == fresh
    for i in range(1, 10):
        token = stored[i]
        if i == 8:
            continue
        assert token is not None
        assert new_only.key_id_of(token) == "b2"
        assert new_only.decrypt(token, aad=_aad(i)) == f"verhaal {i}"

    async with db.transaction() as session:
        again = await reencrypt_column(
            session,
            table=secrets_table,
            id_column="id",
            column="body",
            aad_fn=_aad,
            cipher=rotated,
        )
    assert again == 0


async def test_reencrypt_column_commit_each_batch(db: Database) -> None:
    old_cipher = FieldCipher.from_setting(KEY_A)
    async with db.transaction() as session:
        await session.execute(
            insert(secrets_table),
            [{"id": i, "body": old_cipher.encrypt(str(i), aad=_aad(i))} for i in range(1, 6)],
        )
    rotated = FieldCipher.from_setting(f"{KEY_B},{KEY_A}")
    async with db.sessionmaker() as session:
        changed = await reencrypt_column(
            session,
            table=secrets_table,
            id_column="id",
            column="body",
            aad_fn=_aad,
            cipher=rotated,
            batch_size=2,
            commit_each_batch=True,
        )
    assert changed == 5
    async with db.transaction() as session:
        kids = {rotated.key_id_of(t) for t in (await session.scalars(select(secrets_table.c.body)))}
    assert kids == {"b2"}


async def test_reencrypt_column_wrong_aad_fails_loudly(db: Database) -> None:
    old_cipher = FieldCipher.from_setting(KEY_A)
    async with db.transaction() as session:
        await session.execute(
            insert(secrets_table), [{"id": 1, "body": old_cipher.encrypt("x", aad=_aad(1))}]
        )
    rotated = FieldCipher.from_setting(f"{KEY_B},{KEY_A}")
    with pytest.raises(DecryptionError):
        async with db.transaction() as session:
            await reencrypt_column(
                session,
                table=secrets_table,
                id_column="id",
                column="body",
                aad_fn=lambda row_id: "wrong",
                cipher=rotated,
            )


# --- audit log --------------------------------------------------------------------------


async def test_audit_chain_verifies(db: Database) -> None:
    empty = await _verify(db)
    assert empty.ok and empty.checked == 0

    ids = await _append(db, 5)
    result = await _verify(db)
    assert result.ok, result
    assert result.checked == 5
    assert result.first_bad_id is None and result.reason is None

    async with db.transaction() as session:
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [e.id for e in entries] == ids
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert entries[0].fields == "omschrijving,contact_email"
    assert entries[0].occurred_at.tzinfo is not None


async def test_queued_entries_are_chained_once_in_order_with_direct_ones(db: Database) -> None:
    await _append(db, 2)
    for i in range(5):
        async with db.transaction() as session:
            await queue_audit(
                session,
                actor=f"schrijver-{i}",
                action="schrijven",
                object_type="melding",
                object_id=str(i),
                fields=["omschrijving"],
                request_id=f"q-{i}",
            )
    # a write that rolls back takes its queued entry with it
    with contextlib.suppress(RuntimeError):
        async with db.transaction() as session:
            await queue_audit(
                session,
                actor="weg",
                action="schrijven",
                object_type="melding",
                object_id="x",
                fields=["omschrijving"],
            )
            raise RuntimeError("de wijziging mislukt")
    async with db.transaction() as session:
        assert await chain_queued(session, limit=3) == 3
    await _append(db, 1)  # a direct append between two rounds
    chainer = AuditChainer(db)
    assert await chainer.chain_all() == 2
    assert await chainer.chain_all() == 0
    result = await _verify(db)
    assert result.ok and result.checked == 8, result
    async with db.transaction() as session:
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
        assert (await session.scalars(select(AuditQueued))).all() == []
    assert [e.actor for e in entries] == [
        "user-0",
        "user-1",
        "schrijver-0",
        "schrijver-1",
        "schrijver-2",
        "user-0",
        "schrijver-3",
        "schrijver-4",
    ]
    assert entries[2].request_id == "q-0" and entries[2].fields == "omschrijving"


async def test_audit_verify_in_small_batches(db: Database) -> None:
    await _append(db, 7)
    async with db.transaction() as session:
        result = await verify_audit_chain(session, batch_size=2)
    assert result.ok and result.checked == 7


async def test_audit_rejects_str_fields(db: Database) -> None:
    with pytest.raises(TypeError):
        async with db.transaction() as session:
            await record_audit(
                session,
                actor="anoniem",
                action="lezen",
                object_type="melding",
                object_id="1",
                fields="omschrijving",
            )


async def test_audit_detects_changed_row(db: Database) -> None:
    ids = await _append(db, 5)
    async with db.transaction() as session:  # no guard installed: simulate a direct edit
        await session.execute(
            text("UPDATE audit_log SET actor = 'iemand-anders' WHERE id = :id"), {"id": ids[2]}
        )
    result = await _verify(db)
    assert not result.ok
    assert result.first_bad_id == ids[2]
    assert result.checked == 3
    assert result.reason is not None and "changed" in result.reason


async def test_audit_detects_changed_and_rehashed_row(db: Database) -> None:
    ids = await _append(db, 5)
    async with db.transaction() as session:
        entry = await session.get(AuditEntry, ids[1])
        assert entry is not None
        entry.object_id = "9999"
        entry.hash = compute_audit_hash(
            occurred_at=entry.occurred_at,
            actor=entry.actor,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            fields=entry.fields,
            request_id=entry.request_id,
            prev_hash=entry.prev_hash,
        )
    result = await _verify(db)
    assert not result.ok
    # a plain SHA-256 is no longer what the chain holds: without the audit key the
    # rewritten entry itself is caught (rewrites by a key holder: tests/security)
    assert result.first_bad_id == ids[1]
    assert result.reason is not None and "changed" in result.reason


async def test_audit_detects_deleted_middle_row(db: Database) -> None:
    ids = await _append(db, 5)
    async with db.transaction() as session:
        await session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[2]})
    result = await _verify(db)
    assert not result.ok
    assert result.first_bad_id == ids[3]
    assert result.reason is not None and "broken link" in result.reason


async def test_audit_detects_deleted_first_row(db: Database) -> None:
    ids = await _append(db, 3)
    async with db.transaction() as session:
        await session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[0]})
    result = await _verify(db)
    assert not result.ok
    assert result.first_bad_id == ids[1]


async def test_guard_refuses_update_and_delete(db: Database) -> None:
    await _install_guard(db)
    ids = await _append(db, 3)  # inserts still work with the guard in place

    with pytest.raises(exc.DBAPIError, match="append-only"):
        async with db.transaction() as session:
            await session.execute(
                text("UPDATE audit_log SET actor = 'x' WHERE id = :id"), {"id": ids[1]}
            )
    with pytest.raises(exc.DBAPIError, match="append-only"):
        async with db.transaction() as session:
            await session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[1]})
    result = await _verify(db)
    assert result.ok and result.checked == 3

    # The reverse statements lift the guard again (migration downgrade).
    async with db.engine.begin() as conn:
        for statement in audit_log_ddl_guard_drop(conn.dialect.name):
            await conn.execute(text(statement))
    async with db.transaction() as session:
        await session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[1]})
    assert not (await _verify(db)).ok


async def test_concurrent_writers_do_not_fork_the_chain(db: Database) -> None:
    async def write(i: int) -> None:
        async with db.transaction() as session:
            await record_audit(
                session,
                actor="volgsessie",
                action="schrijven",
                object_type="melding",
                object_id=str(i),
                fields=["omschrijving"],
            )
            await asyncio.sleep(0.01)  # hold the transaction open so writers overlap

    await asyncio.gather(*(write(i) for i in range(12)))
    result = await _verify(db)
    assert result.ok, result
    assert result.checked == 12


def test_guard_unknown_dialect() -> None:
    with pytest.raises(ValueError):
        audit_log_ddl_guard("mysql")
