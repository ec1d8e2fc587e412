"""The seed's tables reproduced: the report's events over the real broker give its figures."""

from __future__ import annotations

from typing import Any

from aiokafka import AIOKafkaProducer

from integriteit_dev.demo.jaarverslag import EXPECTED_2024, events
from integriteit_dev.testing.plugin import eventually
from integriteit_shared.events import new_envelope, to_kafka


def pick(body: dict[str, Any], path: str) -> Any:
    node: Any = body
    for part in path.split("."):
        node = node[part]
    return node


async def test_seed_reproduces_the_annual_report(rap, broker):
    pairs = events()
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, linger_ms=20)
    await producer.start()
    try:
        futures = []
        for event, registered_at in pairs:
            rec = to_kafka(new_envelope(event, time=registered_at))
            futures.append(
                await producer.send(rec.topic, value=rec.value, key=rec.key, headers=rec.headers)
            )
        await producer.flush()
    finally:
        await producer.stop()

    async def all_in() -> bool:
        return await rap.ledger_count() == len(pairs)

    await eventually(all_in, within=150, interval=0.5)
    v = await rap.verslag(2024, "2025-01-01")
    for path, expected in EXPECTED_2024.items():
        got = pick(v, path)
        if path.endswith(".top3.ongewenst_gedrag") or path.endswith(".top3.zakelijke_integriteit"):
            got = [item["subcategorie"] for item in got]
        assert got == expected, path
    # the figures the contract example shows for 2024 (Fig. 2 split, Fig. 7 categories)
    assert v["meldingen"]["top3"]["ongewenst_gedrag"][0] == {
        "subcategorie": "intimidatie",
        "aantal": 90,
    }
    assert v["vertrouwenspersonen"]["perHoofdcategorie"]["overig"]["2024"] == 387
    assert all(
        n["groeiProcent"] is not None and n["groeiProcent"] > 0
        for n in v["vertrouwenspersonen"]["netwerk"].values()
    )
    assert v["opleidingen"]["deelnemers"]["uitspreken_bespreken_aanspreken"] == {
        "2024": 166,
        "2023": 125,
        "2022": 0,
    }
