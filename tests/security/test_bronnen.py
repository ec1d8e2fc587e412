"""An event counts only from the source allowed on the topic it came from (issue 16).

Against the dev broker: events produced straight onto a topic with a source or type that
does not belong there go to the dead-letter topic with the reason, and are not counted;
an honest event sent after them is. (An event with the right source on the right topic
can only be kept out by the broker itself: SASL and ACLs in the production compose file,
see tests/security/test_compose.py.)
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from aiokafka import AIOKafkaProducer

from integriteit_dev.broker import DevBroker
from integriteit_dev.testing.kafka import read_topic
from integriteit_dev.testing.plugin import eventually
from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.events import KafkaRecord, new_envelope, to_kafka, topics
from integriteit_shared.events.models import (
    AuditKetenkop,
    BpsMeldingGeregistreerd,
    MeldingOntvangen,
)
from integriteit_shared.events.topics import source_urn

MOMENT = datetime(2024, 6, 1, 12, tzinfo=UTC)
KMAR = b"urn:nld:integriteit:systeem:kmar-bps"


def melding() -> MeldingOntvangen:
    return MeldingOntvangen(
        melding_id=str(uuid.uuid4()),
        ontvangen_op=MOMENT,
        kanaal="mid",
        defensieonderdeel="CLSK",
        hoofdcategorie="overig",
        subcategorie="overig",
        anoniem=False,
        vermoeden_misstand=False,
    )


def bps() -> BpsMeldingGeregistreerd:
    return BpsMeldingGeregistreerd(
        bps_id=f"BPS-{uuid.uuid4().hex[:8]}",
        registratiedatum=date(2024, 3, 1),
        hoofdcategorie="ongewenst_gedrag",
        subcategorie="pesten",
    )


def with_source(record: KafkaRecord, source: bytes) -> list[tuple[str, bytes]]:
    return [(k, source if k == "ce_source" else v) for k, v in record.headers]


async def test_forged_sources_and_foreign_types_go_to_the_dlq_with_their_reason(
    service_factory: Any, broker: DevBroker, tokens: TokenFactory
) -> None:
    rapportage = await service_factory("rapportage")
    m, b = to_kafka(new_envelope(melding(), time=MOMENT)), to_kafka(new_envelope(bps()))
    anker = to_kafka(
        new_envelope(AuditKetenkop(volgnummer=7, hmac="a" * 64), source=source_urn("meldpunt"))
    )
    forged: list[tuple[str, bytes, list[tuple[str, bytes]], str]] = [
        # a meldpunt type on KMar's topic, with meldpunt's own source
        (topics.KMAR_BPS, m.value, m.headers, "hoort niet op topic"),
        # KMar's event, with KMar's source, on meldpunt's topic
        (topics.MELDPUNT, b.value, b.headers, "hoort niet op topic"),
        # a melding-ontvangen on meldpunt's topic claiming to come from KMar
        (topics.MELDPUNT, m.value, with_source(m, KMAR), "mag type"),
        # an audit anchor from a source that keeps no audit chain
        (topics.AUDIT, anker.value, with_source(anker, KMAR), "mag type"),
        # an audit anchor on a topic that counts
        (topics.MELDPUNT, anker.value, anker.headers, "hoort niet op topic"),
    ]
    honest = to_kafka(new_envelope(bps()))
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for topic, value, headers, _ in forged:
            await producer.send_and_wait(topic, value=value, key=b"k", headers=headers)
        await producer.send_and_wait(
            topics.KMAR_BPS, value=honest.value, key=honest.key, headers=honest.headers
        )
    finally:
        await producer.stop()

    dead = await read_topic(broker.bootstrap, topics.DLQ, at_least=len(forged))
    got = sorted(
        (dict(d.headers)["dlq_topic"].decode(), dict(d.headers)["dlq_reason"].decode())
        for d in dead
    )
    assert len(got) == len(forged), got
    for topic, _, _, reason in forged:
        assert any(t == topic and reason in r for t, r in got), (topic, reason, got)

    lezer = tokens.headers("rapportage_lezer")

    async def honest_counted() -> bool:
        r = await rapportage.client.get("/api/rapportage/v1/jaarverslagen/2024", headers=lezer)
        return r.status_code == 200 and r.json()["meldingen"]["bps"]["2024"] == 1

    await eventually(honest_counted)
    r = await rapportage.client.get("/api/rapportage/v1/jaarverslagen/2024", headers=lezer)
    assert r.json()["meldingen"]["hrhd"]["2024"] == 0, r.json()["meldingen"]
