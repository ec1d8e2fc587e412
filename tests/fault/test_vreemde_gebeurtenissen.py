"""Malformed and foreign events between valid ones on kmar.bps.v1: every valid one counted,
every bad one in the dead-letter topic with its reason, and consumption never stops."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from aiokafka import AIOKafkaProducer

from integriteit_dev.testing.kafka import read_topic
from integriteit_dev.testing.plugin import eventually
from integriteit_shared.events import new_envelope, to_kafka, topics
from integriteit_shared.events.models import BpsMeldingGeregistreerd, MeldingOntvangen

REGISTRATIE = datetime(2024, 6, 1, 12, tzinfo=UTC)


def bps(n: int) -> BpsMeldingGeregistreerd:
    return BpsMeldingGeregistreerd(
        bps_id=f"BPS-{n}-{uuid.uuid4().hex[:6]}",
        registratiedatum=date(2024, 3, 1 + n % 28),
        hoofdcategorie="ongewenst_gedrag",
        subcategorie="intimidatie",
    )


async def test_bad_events_on_kmar_topic_go_to_dlq_and_valid_ones_count(
    service_factory, broker, tokens
):  # type: ignore[no-untyped-def]
    rapportage = await service_factory("rapportage")
    valid = [to_kafka(new_envelope(bps(i), time=REGISTRATIE)) for i in range(30)]
    foreign = to_kafka(
        new_envelope(
            MeldingOntvangen(
                melding_id=str(uuid.uuid4()),
                ontvangen_op=REGISTRATIE,
                kanaal="mid",
                defensieonderdeel="CLSK",
                hoofdcategorie="overig",
                subcategorie="overig",
                anoniem=False,
                vermoeden_misstand=False,
            ),
            time=REGISTRATIE,
        )
    )
    bad: list[tuple[bytes, list[tuple[str, bytes]]]] = [
        (b"\x00\xffniet eens tekst", []),  # not a CloudEvent at all
        (b'{"bpsId": "x"}', valid[0].headers),  # right headers, data missing fields
        (foreign.value, foreign.headers),  # a meldpunt event on KMar's topic
        (valid[1].value, [(k, v) for k, v in valid[1].headers if k != "ce_id"]),  # no id
        (
            valid[2].value,
            [
                (k, b"urn:nld:integriteit:systeem:ecld" if k == "ce_source" else v)
                for k, v in valid[2].headers
            ],
        ),  # source may not send this type
    ]
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for i, record in enumerate(valid):
            await producer.send_and_wait(
                topics.KMAR_BPS, value=record.value, key=b"kmar", headers=record.headers
            )
            if i % 6 == 0 and bad:
                value, headers = bad.pop(0)
                await producer.send_and_wait(
                    topics.KMAR_BPS, value=value, key=b"kmar", headers=headers
                )
    finally:
        await producer.stop()
    assert not bad

    headers = tokens.headers("rapportage_lezer")

    async def all_counted() -> bool:
        r = await rapportage.client.get("/api/rapportage/v1/jaarverslagen/2024", headers=headers)
        return r.status_code == 200 and r.json()["meldingen"]["bps"]["2024"] == 30

    await eventually(all_counted, within=30)

    reasons: list[str] = []
    for m in await read_topic(broker.bootstrap, topics.DLQ, at_least=5):
        h = dict(m.headers)
        assert h["dlq_topic"] == topics.KMAR_BPS.encode()
        reasons.append(h["dlq_reason"].decode())
    assert len(reasons) == 5, reasons
    assert all(r.strip() for r in reasons)
    assert any("hoort niet op topic" in r for r in reasons)  # the foreign one
    assert any("source" in r for r in reasons)
