"""Events through the outbox, over the real broker, into rapportage's ledger: once, always."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, date, datetime

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select

from integriteit_dev.testing.kafka import read_topic
from integriteit_dev.testing.plugin import eventually
from integriteit_shared.crypto.fields import DecryptionError, FieldCipher, generate_key_setting
from integriteit_shared.events import new_envelope, to_kafka, topics
from integriteit_shared.events.models import (
    BpsMeldingGeregistreerd,
    MeldingOntvangen,
    NevenwerkzaamheidGeregistreerd,
)
from integriteit_shared.messaging import InboxMessage, OutboxMessage, publish
from integriteit_shared.messaging.dlq import unseal


def melding(**kw: object) -> MeldingOntvangen:
    data: dict[str, object] = {
        "melding_id": str(uuid.uuid4()),
        "ontvangen_op": datetime.now(UTC),
        "kanaal": "mid",
        "defensieonderdeel": "CLSK",
        "hoofdcategorie": "ongewenst_gedrag",
        "subcategorie": "pesten",
        "anoniem": False,
        "vermoeden_misstand": False,
    }
    data.update(kw)
    return MeldingOntvangen.model_validate(data)


async def ledger_count(service) -> int:
    async with service.app.state.db.transaction() as s:
        return int(await s.scalar(select(func.count()).select_from(InboxMessage)) or 0)


async def backlog(service) -> int:
    return int(await service.app.state.relay.backlog())


async def test_event_from_meldpunt_outbox_reaches_rapportage_ledger(service_factory):
    meldpunt = await service_factory("meldpunt")
    rapportage = await service_factory("rapportage")
    event = melding()
    async with meldpunt.app.state.db.transaction() as s:
        env = await publish(s, event)
    meldpunt.app.state.relay.notify()

    async def arrived() -> bool:
        return await ledger_count(rapportage) == 1

    await eventually(arrived)
    async with rapportage.app.state.db.transaction() as s:
        row = (await s.execute(select(InboxMessage))).scalar_one()
    assert row.event_id == env.id
    assert row.source == "urn:nld:integriteit:systeem:meldpunt"
    assert row.event_type == "nl.integriteit.meldpunt.melding-ontvangen"
    assert row.subject == event.melding_id
    assert await backlog(meldpunt) == 0


async def test_rolled_back_transaction_publishes_nothing(service_factory):
    meldpunt = await service_factory("meldpunt")
    try:
        async with meldpunt.app.state.db.transaction() as s:
            await publish(s, melding())
            raise RuntimeError("domeinfout na het schrijven")
    except RuntimeError:
        pass
    async with meldpunt.app.state.db.transaction() as s:
        assert await s.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_same_event_delivered_twice_is_stored_once(service_factory, broker):
    rapportage = await service_factory("rapportage")
    env = new_envelope(melding())
    record = to_kafka(env)
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for _ in range(2):
            await producer.send_and_wait(
                record.topic, value=record.value, key=record.key, headers=record.headers
            )
        marker = to_kafka(new_envelope(melding()))  # a later, different event
        await producer.send_and_wait(
            marker.topic, value=marker.value, key=marker.key, headers=marker.headers
        )
    finally:
        await producer.stop()

    async def both() -> bool:
        return await ledger_count(rapportage) == 2

    await eventually(both)
    async with rapportage.app.state.db.transaction() as s:
        ids = (await s.execute(select(InboxMessage.event_id))).scalars().all()
    assert sorted(ids) == sorted([env.id, marker.headers[0][1].decode()])


# Heads every second and a gap asked for after 3 s (the defaults are 10 s and 30 s): the
# broker restarted empty may take a retried send before its topics are made again and lose
# it, acknowledged; then the relay saw no outage, and only the sequence gap brings it back.
HEALING = {"herpublicatie_stand_interval_s": 1.0, "herpublicatie_gat_na_s": 3.0}


async def test_broker_outage_loses_nothing_from_the_outbox(service_factory, broker):
    meldpunt = await service_factory("meldpunt", **HEALING)
    await eventually(lambda: _true(meldpunt.app.state.relay.broker_ok))
    broker.stop(kill=True)

    written = []
    for i in range(25):
        async with meldpunt.app.state.db.transaction() as s:
            written.append(
                await publish(
                    s,
                    NevenwerkzaamheidGeregistreerd(
                        nevenwerkzaamheid_id=str(uuid.uuid4()),
                        defensieonderdeel="CLAS",
                        registratiedatum=date(2024, 1, 1 + i),
                        betaald=i % 2 == 0,
                    ),
                )
            )
    await asyncio.sleep(1.0)
    assert await backlog(meldpunt) == 25  # nothing marked published while the broker is away

    broker.start()  # same port, empty memory storage: only the outbox can bring them back
    from integriteit_shared.messaging.kafka import ensure_topics

    await ensure_topics(broker.bootstrap)
    rapportage = await service_factory("rapportage", **HEALING)

    async def drained() -> bool:
        return await backlog(meldpunt) == 0 and await ledger_count(rapportage) == 25

    await eventually(drained, within=40)
    async with rapportage.app.state.db.transaction() as s:
        ids = set((await s.execute(select(InboxMessage.event_id))).scalars().all())
    assert ids == {e.id for e in written}


async def test_malformed_message_goes_to_dlq_and_consumption_goes_on(service_factory, broker):
    rapportage = await service_factory("rapportage")
    good = to_kafka(new_envelope(melding()))
    bad_data = to_kafka(new_envelope(melding()))
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(topics.MELDPUNT, value=b"geen cloudevent", key=b"x")
        await producer.send_and_wait(
            topics.MELDPUNT,
            value=b'{"meldingId": "m", "naam": "Jan"}',
            key=bad_data.key,
            headers=bad_data.headers,
        )
        await producer.send_and_wait(
            good.topic, value=good.value, key=good.key, headers=good.headers
        )
    finally:
        await producer.stop()

    async def good_stored() -> bool:
        return await ledger_count(rapportage) == 1

    await eventually(good_stored)

    dead = await read_topic(broker.bootstrap, topics.DLQ, at_least=2)
    reasons = [dict(m.headers)["dlq_reason"].decode() for m in dead]
    assert len(reasons) == 2
    # the two went to different partitions (different keys): their order is not fixed
    niet_ce = [r for r in reasons if "ce_specversion" in r]
    foute_data = [r for r in reasons if "naam" in r]
    assert len(niet_ce) == 1 and len(foute_data) == 1
    assert "Jan" not in foute_data[0]  # the reason names the field, never its value


MARKER = "Jan Jansen"


async def test_dead_letter_keeps_no_personal_data_in_clear(service_factory, broker):
    """A refused event with a name in it: the dead letter has the name nowhere in clear
    (value, key, headers), and only rapportage's field key opens it again."""
    rapportage = await service_factory("rapportage")
    env = new_envelope(
        BpsMeldingGeregistreerd(
            bps_id="BPS-1",
            registratiedatum=date(2024, 5, 1),
            hoofdcategorie="ongewenst_gedrag",
            subcategorie="pesten",
        )
    )
    rec = to_kafka(env)
    value = json.dumps({**env.data, "naam": MARKER}).encode()
    # the name also in the subject and the key: everything of the record is sealed
    headers = [(k, v) for k, v in rec.headers if k != "ce_subject"]
    headers.append(("ce_subject", MARKER.encode()))
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(
            topics.KMAR_BPS, value=value, key=MARKER.encode(), headers=headers
        )
    finally:
        await producer.stop()

    dead = await read_topic(broker.bootstrap, topics.DLQ, at_least=1)
    assert len(dead) == 1
    letter = dead[0]
    marker = MARKER.encode()
    assert marker not in (letter.value or b"") and marker not in (letter.key or b"")
    for name, header in letter.headers:
        assert marker not in (header or b""), name
    clear = dict(letter.headers)
    assert "naam" in clear["dlq_reason"].decode()  # the reason names the field...
    assert clear["dlq_key_id"] == rapportage.app.state.cipher.active_kid.encode()
    assert clear["ce_id"] == env.id.encode()  # ...and the event can still be found

    # rapportage's key opens it, exactly as it was consumed; another key does not
    opened = unseal(rapportage.app.state.cipher, letter.value, letter.headers)
    assert (opened.topic, opened.key, opened.value) == (topics.KMAR_BPS, marker, value)
    assert ("ce_subject", marker) in opened.headers
    ander = FieldCipher.from_setting(generate_key_setting("ander"))
    with pytest.raises(DecryptionError):
        unseal(ander, letter.value, letter.headers)


async def _true(value: bool) -> bool:
    return value


async def test_events_the_broker_lost_in_a_crash_are_sent_again(service_factory, broker):
    """Published (acknowledged) but unread when the broker died without durable storage."""
    meldpunt = await service_factory("meldpunt")
    sent = []
    for _ in range(10):
        async with meldpunt.app.state.db.transaction() as s:
            sent.append(await publish(s, melding()))
    meldpunt.app.state.relay.notify()

    async def all_published() -> bool:
        return await backlog(meldpunt) == 0

    await eventually(all_published)
    broker.stop(kill=True)  # memory storage: the ten events are gone with it
    await asyncio.sleep(2)  # a crash and restart take a moment; the idle relay notices
    broker.start()
    from integriteit_shared.messaging.kafka import ensure_topics

    await ensure_topics(broker.bootstrap)
    async with meldpunt.app.state.db.transaction() as s:
        sent.append(await publish(s, melding()))
    meldpunt.app.state.relay.notify()
    rapportage = await service_factory("rapportage")

    async def all_in_ledger() -> bool:
        return await ledger_count(rapportage) == 11

    await eventually(all_in_ledger, within=40)
    async with rapportage.app.state.db.transaction() as s:
        ids = set((await s.execute(select(InboxMessage.event_id))).scalars().all())
    assert ids == {e.id for e in sent}
