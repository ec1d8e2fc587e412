"""POST /gebeurtenissen: KMar and ECLD push CloudEvents; each checked, counted once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select

from integriteit_dev.testing.plugin import eventually
from integriteit_shared.events import models as ev
from integriteit_shared.events import new_envelope, to_kafka, to_structured
from integriteit_shared.messaging.models import OutboxMessage

URL = "/api/rapportage/v1/gebeurtenissen"


def bps(bps_id: str = "B1") -> ev.BpsMeldingGeregistreerd:
    return ev.BpsMeldingGeregistreerd(
        bps_id=bps_id,
        registratiedatum=date(2024, 5, 1),
        hoofdcategorie="ongewenst_gedrag",
        subcategorie="pesten",
    )


async def outbox_count(rap) -> int:
    async with rap.svc.app.state.db.transaction() as s:
        return int(await s.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


async def test_same_event_via_kafka_and_via_rest_counts_once(rap, broker):
    env = new_envelope(bps(), time=datetime(2024, 5, 1, 12, tzinfo=UTC))
    rec = to_kafka(env)
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(rec.topic, value=rec.value, key=rec.key, headers=rec.headers)
    finally:
        await producer.stop()

    async def in_ledger() -> bool:
        return await rap.ledger_count() == 1

    await eventually(in_ledger)
    body = [to_structured(env)]
    r = await rap.svc.client.post(URL, json=body, headers=rap.h("kmar_bps"))
    assert r.status_code == 202
    assert r.json() == {"geaccepteerd": 0, "dubbel": 1, "afgewezen": []}

    # a new event via REST travels outbox -> kmar.bps.v1 -> ledger, and only once
    env2 = new_envelope(bps("B2"), time=datetime(2024, 5, 2, 12, tzinfo=UTC))
    r = await rap.svc.client.post(
        URL, json=[to_structured(env2), to_structured(env2)], headers=rap.h("kmar_bps")
    )
    assert r.json() == {"geaccepteerd": 1, "dubbel": 1, "afgewezen": []}
    r = await rap.svc.client.post(URL, json=[to_structured(env2)], headers=rap.h("kmar_bps"))
    assert r.json()["dubbel"] == 1  # still in flight (outbox) or already in the ledger

    async def both_in() -> bool:
        return await rap.ledger_count() == 2

    await eventually(both_in)
    # the same event again via Kafka changes nothing
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap)
    await producer.start()
    try:
        rec2 = to_kafka(env2)
        await producer.send_and_wait(
            rec2.topic, value=rec2.value, key=rec2.key, headers=rec2.headers
        )
    finally:
        await producer.stop()
    v = await rap.verslag(2024)
    assert v["meldingen"]["bps"]["2024"] == 2
    assert await rap.ledger_count() == 2


async def test_bad_events_rejected_one_by_one_and_nothing_changed(rap):
    good = to_structured(new_envelope(bps("G1")))
    wrong_type = to_structured(
        new_envelope(
            ev.OpleidingsdeelnameGeregistreerd(
                opleiding="mindbugs", datum=date(2024, 1, 1), aantal_deelnemers=3
            )
        )
    )
    wrong_source = {
        **to_structured(new_envelope(bps("G2"))),
        "source": "urn:nld:integriteit:systeem:meldpunt",
    }
    bad_data = to_structured(new_envelope(bps("G3")))
    bad_data["data"] = {**bad_data["data"], "subcategorie": "misbruik_positie", "naam": "Jan"}
    no_id = {k: v for k, v in to_structured(new_envelope(bps("G4"))).items() if k != "id"}
    meldpunt_type = to_structured(
        new_envelope(
            ev.MeldingAfgerond(melding_id="m", conclusie="geen_schending", datum=date(2024, 1, 1))
        )
    )
    r = await rap.svc.client.post(
        URL,
        json=[wrong_type, wrong_source, bad_data, no_id, "geen object", meldpunt_type],
        headers=rap.h("kmar_bps"),
    )
    assert r.status_code == 202
    out = r.json()
    assert out["geaccepteerd"] == 0 and out["dubbel"] == 0
    redenen = {a["id"]: a["reden"] for a in out["afgewezen"]}
    assert len(out["afgewezen"]) == 6
    assert "niet toegestaan" in redenen[wrong_type["id"]]
    assert (
        "source" in redenen[wrong_source["id"]] or "niet toegestaan" in redenen[wrong_source["id"]]
    )
    assert "ongeldige data" in redenen[bad_data["id"]] and "Jan" not in redenen[bad_data["id"]]
    assert redenen[None] in ("'id' ontbreekt", "geen JSON-object")
    assert "niet toegestaan" in redenen[meldpunt_type["id"]]
    assert await outbox_count(rap) == 0

    # ecld may send its own types only
    r = await rap.svc.client.post(URL, json=[good, wrong_type], headers=rap.h("ecld"))
    out = r.json()
    assert out["geaccepteerd"] == 1 and [a["id"] for a in out["afgewezen"]] == [good["id"]]


async def test_body_must_be_a_json_array_of_at_most_1000(rap):
    h = rap.h("kmar_bps")
    r = await rap.svc.client.post(URL, json={"id": "x"}, headers=h)
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")
    r = await rap.svc.client.post(
        URL, content=b"[", headers={**h, "Content-Type": "application/json"}
    )
    assert r.status_code == 400
    r = await rap.svc.client.post(URL, content=b"[]", headers={**h, "Content-Type": "text/plain"})
    assert r.status_code == 415
    one = to_structured(new_envelope(bps()))
    r = await rap.svc.client.post(
        URL, content=json.dumps([one] * 1001), headers={**h, "Content-Type": "application/json"}
    )
    assert r.status_code == 413
    assert await outbox_count(rap) == 0
