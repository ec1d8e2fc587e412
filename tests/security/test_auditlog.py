"""The audit log nobody can rewrite unnoticed, checked with `integriteit audit-verify` itself.

The attack (issue 16): after DROP TRIGGER, changing an actor and recomputing every hash after
it verified as ok, and so did deleting the last rows. Now the chain is an HMAC under the
service's audit key, and the chain head is published as an anchor that rapportage keeps in
its ledger: each replay below runs the real command against the service's database and
rapportage's ledger and gets exit code 1 with the reason.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from integriteit_dev.testing.plugin import eventually
from integriteit_dev.testing.services import RunningService, TokenFactory
from integriteit_shared.cli import main
from integriteit_shared.crypto.audit import (
    DEV_AUDIT_KEYS,
    AuditEntry,
    AuditKeys,
    audit_log_ddl_guard,
    audit_log_ddl_guard_drop,
    compute_audit_hash,
    compute_audit_hmac,
)
from integriteit_shared.db.migrations import upgrade
from integriteit_shared.db.session import Database
from integriteit_shared.events.models import AuditKetenkop
from integriteit_shared.messaging.models import InboxMessage
from integriteit_shared.service import registered_service

KLACHT = {
    "soort": "ongewenst_gedrag",
    "indiener": "medewerker",
    "defensieonderdeel": "CLSK",
    "omschrijving": "Klacht over de gang van zaken.",
    "ontvangenOp": "2024-03-04T10:00:00+01:00",
}


@dataclass
class Opstelling:
    klachten: RunningService
    rapportage: RunningService

    def env(self) -> dict[str, str]:
        return {
            "KLACHTEN_DATABASE_URL": self.klachten.settings.database_url,
            "RAPPORTAGE_DATABASE_URL": self.rapportage.settings.database_url,
        }

    def verify(self, *extra: str) -> tuple[int, dict[str, Any]]:
        """`integriteit audit-verify klachten` as an operator runs it: its own process."""
        env = {**os.environ, **self.env()}
        done = subprocess.run(
            [sys.executable, "-m", "integriteit_shared.cli", "audit-verify", "klachten", *extra],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert "Traceback" not in done.stderr, done.stderr
        return done.returncode, json.loads(done.stdout)

    async def verify_here(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *extra: str
    ) -> tuple[int, dict[str, Any]]:
        """The same command's entry point in this process (no interpreter start-up)."""
        for name, value in self.env().items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        rc = await asyncio.to_thread(main, ["audit-verify", "klachten", *extra])
        return rc, json.loads(capsys.readouterr().out)

    async def rows(self) -> list[AuditEntry]:
        async with self.klachten.app.state.db.transaction() as s:
            return list((await s.scalars(select(AuditEntry).order_by(AuditEntry.id))).all())

    async def anchors(self) -> int:
        async with self.rapportage.app.state.db.transaction() as s:
            found = await s.scalars(
                select(InboxMessage.id).where(InboxMessage.event_type == AuditKetenkop.event_type)
            )
            return len(found.all())

    async def tamper(self, *statements: tuple[str, dict[str, Any]]) -> None:
        """What an insider with database rights does: lift the guard, change, restore it."""
        db: Database = self.klachten.app.state.db
        async with db.engine.begin() as conn:
            dialect = conn.dialect.name
            for statement in audit_log_ddl_guard_drop(dialect):
                await conn.execute(text(statement))
            for sql, params in statements:
                await conn.execute(text(sql), params)
            for statement in audit_log_ddl_guard(dialect):
                await conn.execute(text(statement))


def resign_from(rows: list[AuditEntry], first: int) -> list[tuple[str, dict[str, Any]]]:
    """The updates that recompute every HMAC from row `first` on, with the service's key:
    a rewrite by someone who holds the key."""
    keys = AuditKeys.from_setting(DEV_AUDIT_KEYS)
    key = keys.key(keys.active)
    assert key is not None
    prev = rows[first - 1].hash if first else "0" * 64
    updates = []
    for row in rows[first:]:
        new = compute_audit_hmac(
            key,
            sleutel_id=keys.active,
            volgnummer=row.volgnummer or 0,
            occurred_at=row.occurred_at,
            actor=row.actor,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            fields=row.fields,
            request_id=row.request_id,
            prev_hash=prev,
        )
        # a temporary value first: the new hash may equal a later row's old one (unique)
        updates.append(
            (
                "UPDATE audit_log SET prev_hash = :p, hash = :h WHERE id = :id",
                {"p": prev, "h": new, "id": row.id},
            )
        )
        prev = new
    return updates


@pytest.fixture
async def opstelling(service_factory: Any, tokens: TokenFactory) -> Opstelling:
    klachten = await service_factory("klachten")
    rapportage = await service_factory("rapportage")
    for _ in range(6):
        r = await klachten.client.post(
            "/api/klachten/v1/klachten", json=KLACHT, headers=tokens.headers("klachtbehandelaar")
        )
        assert r.status_code == 201, r.text
    o = Opstelling(klachten, rapportage)
    assert len(await o.rows()) >= 6
    head = await klachten.app.state.audit_anker.publish_head()
    assert head is not None and head.volgnummer == len(await o.rows())

    async def anchored() -> bool:
        return await o.anchors() == 1

    await eventually(anchored)
    return o


async def test_an_intact_chain_verifies_against_its_anchor(opstelling: Opstelling) -> None:
    rc, uitslag = opstelling.verify()  # the command in its own process
    n = len(await opstelling.rows())
    assert rc == 0, uitslag
    assert uitslag["ok"] and uitslag["anchor_volgnummer"] == n == uitslag["last_volgnummer"]


async def test_a_rewrite_with_recomputed_hashes_fails(
    opstelling: Opstelling, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = await opstelling.rows()
    await opstelling.tamper(
        ("UPDATE audit_log SET actor = 'iemand-anders' WHERE id = :id", {"id": rows[1].id}),
    )
    rows[1].actor = "iemand-anders"
    await opstelling.tamper(*resign_from(rows, 1))
    # the chain on its own is consistent again (whoever did this holds the key) ...
    rc, uitslag = await opstelling.verify_here(monkeypatch, capsys, "--zonder-anker")
    assert rc == 0, uitslag
    # ... but it no longer ends in the head that was published
    rc, uitslag = opstelling.verify()
    assert rc == 1
    assert "anchor" in uitslag["reason"] and "rewritten" in uitslag["reason"]


async def test_a_rewrite_without_the_key_fails_even_without_an_anchor(
    opstelling: Opstelling, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = await opstelling.rows()
    row = rows[2]
    forged = compute_audit_hash(
        occurred_at=row.occurred_at,
        actor="iemand-anders",
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        fields=row.fields,
        request_id=row.request_id,
        prev_hash=row.prev_hash,
    )
    await opstelling.tamper(
        (
            "UPDATE audit_log SET actor = 'iemand-anders', hash = :h WHERE id = :id",
            {"h": forged, "id": row.id},
        )
    )
    rc, uitslag = await opstelling.verify_here(monkeypatch, capsys, "--zonder-anker")
    assert rc == 1
    assert uitslag["first_bad_id"] == row.id and "changed" in uitslag["reason"]


async def test_a_truncated_chain_fails(opstelling: Opstelling) -> None:
    rows = await opstelling.rows()
    await opstelling.tamper(
        ("DELETE FROM audit_log WHERE id >= :id", {"id": rows[-2].id}),
    )
    rc, uitslag = opstelling.verify()
    assert rc == 1
    assert "truncated" in uitslag["reason"]


async def test_a_gap_fails(
    opstelling: Opstelling, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = await opstelling.rows()
    await opstelling.tamper(("DELETE FROM audit_log WHERE id = :id", {"id": rows[2].id}))
    rest = rows[:2] + rows[3:]
    await opstelling.tamper(*resign_from(rest, 2))  # the links mended with the key
    rc, uitslag = await opstelling.verify_here(monkeypatch, capsys, "--zonder-anker")
    assert rc == 1
    assert uitslag["first_bad_id"] == rows[3].id and "gap" in uitslag["reason"]


async def test_without_an_anchor_the_command_says_so(service_factory: Any, tmp_path: Path) -> None:
    klachten = await service_factory("klachten")
    rapportage = await service_factory("rapportage")
    rc, uitslag = Opstelling(klachten, rapportage).verify()
    assert rc == 3
    assert uitslag["ok"] and "nog geen anker" in uitslag["anker"]


def _legacy_rows(n: int) -> list[dict[str, Any]]:
    from datetime import UTC, datetime

    prev = "0" * 64
    rows = []
    for i in range(n):
        values = {
            "occurred_at": datetime(2026, 11, 1, 12, i, tzinfo=UTC),
            "actor": f"user-{i}",
            "action": "lezen",
            "object_type": "klacht",
            "object_id": str(i),
            "fields": "omschrijving",
            "request_id": None,
        }
        h = compute_audit_hash(**values, prev_hash=prev)
        rows.append({**values, "prev_hash": prev, "hash": h})
        prev = h
    return rows


async def _legacy_database(tmp_path: Path, rows: list[dict[str, Any]]) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'klachten.db'}"
    migrations = registered_service("klachten").migrations
    await asyncio.to_thread(upgrade, migrations, url, "0002")  # before the chain was keyed
    db = Database(url)
    try:
        async with db.engine.begin() as conn:
            for row in rows:
                await conn.execute(
                    text(
                        "INSERT INTO audit_log (occurred_at, actor, action, object_type, "
                        "object_id, fields, request_id, prev_hash, hash) VALUES (:occurred_at, "
                        ":actor, :action, :object_type, :object_id, :fields, :request_id, "
                        ":prev_hash, :hash)"
                    ),
                    {**row, "occurred_at": row["occurred_at"].isoformat(sep=" ")},
                )
    finally:
        await db.dispose()
    return url


async def _upgrade(url: str) -> None:
    migrations = registered_service("klachten").migrations
    await asyncio.to_thread(partial(upgrade, migrations, url, audit_keys=DEV_AUDIT_KEYS))


async def test_the_keying_migration_verifies_then_signs_the_old_chain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = await _legacy_database(tmp_path, _legacy_rows(4))
    await _upgrade(url)
    monkeypatch.setenv("KLACHTEN_DATABASE_URL", url)
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["audit-verify", "klachten", "--zonder-anker"]) == 0
    assert json.loads(capsys.readouterr().out)["last_volgnummer"] == 4


async def test_the_keying_migration_refuses_a_tampered_old_chain(tmp_path: Path) -> None:
    rows = _legacy_rows(4)
    rows[1]["actor"] = "iemand-anders"  # changed after it was hashed
    url = await _legacy_database(tmp_path, rows)
    with pytest.raises(ValueError, match="does not verify at id 2"):
        await _upgrade(url)


async def test_an_audit_key_is_rotated_by_its_key_id(tmp_path: Path) -> None:
    """A new key first signs what comes next; the old one still verifies what it signed."""
    from integriteit_shared.crypto.audit import record_audit, verify_audit_chain

    url = f"sqlite+aiosqlite:///{tmp_path / 'klachten.db'}"
    await _upgrade(url)
    oud = "a1:" + "QUFB" * 10 + "QUE="
    nieuw = "a2:" + "QkJC" * 10 + "QkI="
    db = Database(url)
    try:
        for setting in (oud, f"{nieuw},{oud}"):
            for i in range(2):
                async with db.transaction() as s:
                    await record_audit(
                        s,
                        actor=f"user-{i}",
                        action="lezen",
                        object_type="klacht",
                        object_id=str(i),
                        fields=["omschrijving"],
                        keys=AuditKeys.from_setting(setting),
                    )
        async with db.transaction() as s:
            ids = (await s.execute(select(AuditEntry.sleutel_id).order_by(AuditEntry.id))).all()
            both = await verify_audit_chain(s, keys=AuditKeys.from_setting(f"{nieuw},{oud}"))
            only_new = await verify_audit_chain(s, keys=AuditKeys.from_setting(nieuw))
    finally:
        await db.dispose()
    assert [k for (k,) in ids] == ["a1", "a1", "a2", "a2"]
    assert both.ok and both.last_volgnummer == 4
    assert not only_new.ok and only_new.reason is not None and "'a1'" in only_new.reason
