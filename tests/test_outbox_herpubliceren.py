"""`integriteit outbox-herpubliceren SERVICE --vanaf … [--tot …]`, run as the command
against a running meldpunt: the range goes out on the topic again, nothing else does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from integriteit_dev.testing.kafka import read_topic
from integriteit_dev.testing.plugin import eventually
from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.events import topics
from integriteit_shared.messaging.models import OutboxMessage

MELDING = {
    "kanaal": "mid",
    "defensieonderdeel": "CLAS",
    "hoofdcategorie": "ongewenst_gedrag",
    "subcategorie": "pesten",
    "omschrijving": "Melding voor de herpublicatietest.",
    "anoniem": True,
}


def _command(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MELDPUNT_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "integriteit_shared.cli", "outbox-herpubliceren", "meldpunt", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_a_range_of_the_outbox_is_sent_again_and_only_that_range(
    service_factory: Any, tokens: TokenFactory, broker: Any
) -> None:
    svc = await service_factory("meldpunt")
    url = svc.settings.database_url

    async def create() -> str:
        r = await svc.client.post(
            f"{svc.base}/meldingen", json=MELDING, headers=tokens.headers("coid_adviseur")
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    async def all_published() -> bool:
        async with svc.app.state.db.transaction(writes=False) as s:
            unsent = await s.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.published_at.is_(None))
            )
            return unsent == 0

    eerste = await create()
    await eventually(all_published)
    async with svc.app.state.db.transaction(writes=False) as s:
        grens = await s.scalar(select(func.max(OutboxMessage.created_at)))
    assert grens is not None
    grens += timedelta(microseconds=1)
    tweede = await create()
    await eventually(all_published)

    result = _command(url, "--vanaf", grens.isoformat())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["opnieuwTeVersturen"] == 1
    await eventually(all_published)

    def times_on_topic(records: list[Any], melding_id: str) -> int:
        return sum(1 for r in records if r.key == melding_id.encode())

    records = await read_topic(broker.bootstrap, topics.MELDPUNT, at_least=10_000, within=3)
    assert times_on_topic(records, tweede) == 2  # sent again
    assert times_on_topic(records, eerste) == 1  # before the range: not
    # sent again with its own sequence, so a consumer sees a repeat, not a new event
    sequences = {dict(r.headers)["ce_sequence"] for r in records if r.key == tweede.encode()}
    assert len(sequences) == 1


async def test_bad_ranges_are_refused_and_change_nothing(service_factory: Any) -> None:
    svc = await service_factory("meldpunt")
    url = svc.settings.database_url
    now = datetime.now(UTC)

    backwards = _command(url, "--vanaf", now.isoformat(), "--tot", (now - timedelta(1)).isoformat())
    assert backwards.returncode == 2
    assert "--tot moet na --vanaf liggen" in backwards.stderr
    garbage = _command(url, "--vanaf", "gisteren")
    assert garbage.returncode == 2
    assert "geen datum of moment" in garbage.stderr
    missing = _command(url)
    assert missing.returncode == 2 and "--vanaf" in missing.stderr
