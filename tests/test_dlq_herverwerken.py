"""`integriteit dlq-herverwerken`: dead letters that pass validation now reach the ledger once.

Real broker, real rapportage consuming, the command as an operator runs it (a process of its
own, configured from the environment). A letter the consumer refused under an older version
of the code is made as the consumer makes it (`messaging.dlq.seal`), since the code that
refused it is no longer there to do so.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import date
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select

from integriteit_dev.testing.kafka import read_topic
from integriteit_dev.testing.plugin import eventually
from integriteit_shared.events import new_envelope, to_kafka, topics
from integriteit_shared.events.models import BpsMeldingGeregistreerd
from integriteit_shared.messaging import InboxMessage
from integriteit_shared.messaging.dlq import DeadLetter, seal

MARKER = "Jan Jansen"


def bps(bps_id: str) -> Any:
    return to_kafka(
        new_envelope(
            BpsMeldingGeregistreerd(
                bps_id=bps_id,
                registratiedatum=date(2024, 5, 1),
                hoofdcategorie="ongewenst_gedrag",
                subcategorie="pesten",
            )
        )
    )


def ce_id(record: Any) -> str:
    return str(dict(record.headers)["ce_id"].decode())


async def ledger(rapportage: Any) -> list[str]:
    async with rapportage.app.state.db.transaction() as s:
        return list((await s.scalars(select(InboxMessage.event_id))).all())


async def herverwerken(rapportage: Any, *args: str) -> dict[str, Any]:
    """The command in a process of its own, with rapportage's database, broker and keys."""
    settings = rapportage.settings
    env = {
        **os.environ,
        "RAPPORTAGE_DATABASE_URL": settings.database_url,
        "RAPPORTAGE_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "RAPPORTAGE_ENCRYPTION_KEYS": settings.encryption_keys,
        "RAPPORTAGE_DATA_DIR": str(settings.data_dir),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "integriteit_shared.cli",
        "dlq-herverwerken",
        "--wacht",
        "20",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    assert MARKER not in out.decode() and MARKER not in err.decode()
    rapport: dict[str, Any] = json.loads(out)
    return rapport


async def test_fixed_dead_letters_are_counted_once_and_the_rest_stay(service_factory, broker):
    rapportage = await service_factory("rapportage")
    cipher = rapportage.app.state.cipher
    geweigerd = bps("BPS-OUD")  # refused by an older version, valid under this one
    al_geteld = bps("BPS-AL")  # dead-lettered once, and counted since (a re-send)
    met_naam = bps("BPS-NAAM")  # refused now and still: it carries a name
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for offset, rec in enumerate((geweigerd, geweigerd, al_geteld)):  # one of them twice
            sealed = seal(
                cipher,
                DeadLetter(
                    topic=rec.topic,
                    partition=0,
                    offset=offset,
                    reason="'subcategorie': onbekende code (oude versie)",
                    key=rec.key,
                    value=rec.value,
                    headers=list(rec.headers),
                ),
                group="rapportage",
            )
            await producer.send_and_wait(topics.DLQ, value=sealed.value, headers=sealed.headers)
        await producer.send_and_wait(
            al_geteld.topic, value=al_geteld.value, key=al_geteld.key, headers=al_geteld.headers
        )
        value = json.dumps({**json.loads(met_naam.value), "naam": MARKER}).encode()
        await producer.send_and_wait(
            met_naam.topic, value=value, key=met_naam.key, headers=met_naam.headers
        )
    finally:
        await producer.stop()
    await read_topic(broker.bootstrap, topics.DLQ, at_least=4)  # the consumer refused the name

    async def al_geteld_binnen() -> bool:
        return await ledger(rapportage) == [ce_id(al_geteld)]

    await eventually(al_geteld_binnen)

    rapport = await herverwerken(rapportage)
    assert rapport["opnieuw_aangeboden"] == 1 and rapport["verwerkt"] == 1
    assert rapport["al_verwerkt"] == 2  # the second letter of the same event, and the re-sent
    assert rapport["afgewezen"] == 1 and rapport["onleesbaar"] == 0
    uitkomst = {(b["id"], b["uitkomst"]) for b in rapport["brieven"]}
    assert (ce_id(geweigerd), "opnieuw_aangeboden") in uitkomst
    assert (ce_id(met_naam), "afgewezen") in uitkomst
    assert {b["type"] for b in rapport["brieven"]} == {
        "nl.integriteit.kmar-bps.melding-geregistreerd"
    }
    assert sorted(await ledger(rapportage)) == sorted([ce_id(al_geteld), ce_id(geweigerd)])

    # again: nothing is offered, nothing counts twice, the name is still refused
    opnieuw = await herverwerken(rapportage)
    assert opnieuw["opnieuw_aangeboden"] == 0 and opnieuw["al_verwerkt"] == 3
    assert opnieuw["afgewezen"] == 1
    # only some types, only letters from a moment on
    assert (await herverwerken(rapportage, "--type", "nl.integriteit.ecld.x"))["brieven"] == []
    assert (await herverwerken(rapportage, "--vanaf", "2999-01-01"))["brieven"] == []
    async with rapportage.app.state.db.transaction() as s:
        assert await s.scalar(select(func.count()).select_from(InboxMessage)) == 2
