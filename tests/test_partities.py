"""Topics carry the partition count of the settings; a mismatch is a clear error at start.

The session's broker has every topic with the development count (3). A meldpunt that is
told to expect 5 says which topic is off, and is not ready; with the right count it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from aiokafka.admin import AIOKafkaAdminClient

from integriteit_dev.broker import DevBroker
from integriteit_dev.testing.databases import TestDatabases
from integriteit_dev.testing.plugin import eventually
from integriteit_dev.testing.services import make_settings, run_service
from integriteit_shared.auth.keys import DevKeys
from integriteit_shared.events import topics


async def _ready(svc: Any) -> httpx.Response:
    response: httpx.Response = await svc.client.get("/health/ready")
    return response


async def test_topics_are_created_with_the_development_partition_count(broker: Any) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics([topics.MELDPUNT, topics.HERPUBLICATIE])
    finally:
        await admin.close()
    assert {t["topic"]: len(t["partitions"]) for t in described} == {
        topics.MELDPUNT: topics.DEV_PARTITIONS,
        topics.HERPUBLICATIE: topics.DEV_PARTITIONS,
    }


async def test_a_partition_count_other_than_the_setting_makes_the_service_say_so(
    service_factory: Any,
) -> None:
    wrong = await service_factory("meldpunt", kafka_partitions=5)

    async def refused() -> bool:
        r = await _ready(wrong)
        return r.status_code == 503 and "topics" in r.json()["checks"]

    await eventually(refused, within=30)
    problem = (await _ready(wrong)).json()["checks"]["topics"]
    assert f"{topics.MELDPUNT} heeft 3 partities, verwacht 5" in problem
    assert "KAFKA_PARTITIONS" in problem

    right = await service_factory("meldpunt")

    async def ready() -> bool:
        return (await _ready(right)).status_code == 200

    await eventually(ready, within=30)
    assert "topics" not in (await _ready(right)).json()["checks"]


async def test_a_service_creates_its_topics_with_the_setting_before_it_uses_them(
    databases: TestDatabases, dev_keys: DevKeys, tmp_path: Path
) -> None:
    """On a broker that makes topics on first use (the dev broker gives them 4 partitions),
    the services create theirs first, with the configured count, so a fresh `make run`
    does not end up with the broker's default."""
    fresh = DevBroker(log_file=tmp_path / "tansu.log")
    fresh.start()
    try:
        assert dev_keys.jwks_path is not None
        settings = make_settings(
            "rapportage",
            database_url=await databases.create("rapportage"),
            bootstrap=fresh.bootstrap,
            jwks_file=dev_keys.jwks_path,
            data_dir=tmp_path,
            kafka_partitions=2,
        )
        async with run_service("rapportage", settings) as svc:

            async def ready() -> bool:
                return (await _ready(svc)).status_code == 200

            await eventually(ready, within=60)
        admin = AIOKafkaAdminClient(bootstrap_servers=fresh.bootstrap)
        await admin.start()
        try:
            described = await admin.describe_topics([*topics.INTERNAL, topics.HERPUBLICATIE])
        finally:
            await admin.close()
        assert {len(t["partitions"]) for t in described} == {2}
    finally:
        fresh.stop()
