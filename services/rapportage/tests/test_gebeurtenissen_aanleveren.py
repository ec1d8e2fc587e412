"""POST /gebeurtenissen: KMar and ECLD push CloudEvents; each checked, counted once."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from cloudevents.core.bindings import http as http_binding
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent as CloudEvent2
from cloudevents.v1.conversion import to_binary as to_binary_1
from cloudevents.v1.conversion import to_structured as to_structured_1
from cloudevents.v1.http import CloudEvent as CloudEvent1
from cloudevents.v1.pydantic.v1 import CloudEvent as PydanticV1CloudEvent
from cloudevents.v1.pydantic.v2 import CloudEvent as PydanticV2CloudEvent
from sqlalchemy import func, select

from integriteit_dev.testing.plugin import eventually
from integriteit_shared.codes import SUBCATEGORIEEN
from integriteit_shared.events import models as ev
from integriteit_shared.events import new_envelope, to_kafka, to_structured
from integriteit_shared.kalender import vandaag
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
    # registered when rapportage received them: today, whatever their `time` says
    v = await rap.verslag(2024, vandaag().isoformat())
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

    # a context attribute that is not text is refused by name, on every Python version
    # (the cloudevents SDK's own parser fails differently on 3.11 and 3.12+)
    time_object = {**to_structured(new_envelope(bps("G5"))), "time": {"jaar": 2024}}
    r = await rap.svc.client.post(URL, json=[time_object], headers=rap.h("kmar_bps"))
    assert r.status_code == 202
    assert r.json()["afgewezen"] == [{"id": time_object["id"], "reden": "'time' moet tekst zijn"}]

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


# --- the cloudevents SDK's own output, 1.x (cloudevents.v1 in 2.x) and 2.x -----------------
OPLEIDING = {"opleiding": "mindbugs", "datum": "2024-03-01", "aantalDeelnemers": 3}


def _attributes(**kw: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "urn:nld:integriteit:systeem:ecld",
        "type": "nl.integriteit.ecld.opleidingsdeelname-geregistreerd",
        "time": "2024-03-01T10:00:00Z",
        "datacontenttype": "application/json",
        **kw,
    }


def _sdk1(data: Any) -> tuple[dict[str, str], bytes]:
    headers, body = to_structured_1(CloudEvent1(_attributes(), data))
    return dict(headers), body


def _pydantic_v1(data: Any) -> tuple[dict[str, str], bytes]:
    headers, body = to_structured_1(PydanticV1CloudEvent.create(_attributes(), data))
    return dict(headers), body


def _pydantic_v2(data: Any) -> tuple[dict[str, str], bytes]:
    headers, body = to_structured_1(PydanticV2CloudEvent.create(_attributes(), data))
    return dict(headers), body


def _sdk2(data: Any) -> tuple[dict[str, str], bytes]:
    event = CloudEvent2(_attributes(time=datetime(2024, 3, 1, 10, tzinfo=UTC)), data)
    message = http_binding.to_structured(event, JSONFormat())
    return dict(message.headers), message.body


SDK = [_sdk1, _pydantic_v1, _pydantic_v2, _sdk2]
Producer = Callable[[Any], tuple[dict[str, str], bytes]]


@pytest.mark.parametrize("sdk", SDK, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("as_bytes", [False, True], ids=["data", "data_base64"])
async def test_one_event_from_the_sdk_in_structured_mode(rap, sdk: Producer, as_bytes: bool):
    """`to_structured()` gives application/cloudevents+json with one event; given bytes,
    the SDK writes them as `data_base64`. Answered in the batch's shape."""
    headers, body = sdk(json.dumps(OPLEIDING).encode() if as_bytes else OPLEIDING)
    assert headers["content-type"] == "application/cloudevents+json"
    assert ("data_base64" in json.loads(body)) is as_bytes
    r = await rap.svc.client.post(URL, content=body, headers={**rap.h("ecld"), **headers})
    assert r.status_code == 202, r.text
    assert r.json() == {"geaccepteerd": 1, "dubbel": 0, "afgewezen": []}
    assert await outbox_count(rap) == 1
    async with rap.svc.app.state.db.transaction() as s:
        stored = await s.scalar(select(OutboxMessage))
    assert stored is not None and stored.event_id == json.loads(body)["id"]


async def test_a_batch_of_sdk_events_as_cloudevents_batch_json(rap):
    events = [
        json.loads(sdk(json.dumps(OPLEIDING).encode() if i % 2 else OPLEIDING)[1])
        for i, sdk in enumerate(SDK)
    ]
    for media in ("application/cloudevents-batch+json", "application/json"):
        r = await rap.svc.client.post(
            URL, content=json.dumps(events), headers={**rap.h("ecld"), "Content-Type": media}
        )
        assert r.status_code == 202, r.text
        assert r.json()["afgewezen"] == []
    assert await outbox_count(rap) == len(SDK)


async def test_one_refused_event_is_answered_with_its_reason_and_nothing_stored(rap):
    data = {
        "bpsId": "B9",
        "registratiedatum": "2024-05-01",
        "hoofdcategorie": "zakelijke_integriteit",
        "subcategorie": "pesten",
    }
    attributes = _attributes(
        source="urn:nld:integriteit:systeem:kmar-bps",
        type="nl.integriteit.kmar-bps.melding-geregistreerd",
    )
    headers, body = to_structured_1(CloudEvent1(attributes, data))
    r = await rap.svc.client.post(URL, content=body, headers={**rap.h("kmar_bps"), **headers})
    assert r.status_code == 202
    out = r.json()
    assert (out["geaccepteerd"], out["dubbel"]) == (0, 0)
    [afwijzing] = out["afgewezen"]
    assert afwijzing["id"] == attributes["id"]
    reden = afwijzing["reden"]
    # the field, and the subcategorieën of zakelijke_integriteit only
    assert "subcategorie" in reden and all(
        c in reden for c in SUBCATEGORIEEN[data["hoofdcategorie"]]
    )
    assert not any(c in reden for c in SUBCATEGORIEEN["ongewenst_gedrag"])
    assert await outbox_count(rap) == 0


async def test_structured_mode_takes_one_object(rap):
    one = to_structured(new_envelope(bps()))
    h = {**rap.h("kmar_bps"), "Content-Type": "application/cloudevents+json"}
    r = await rap.svc.client.post(URL, content=json.dumps([one]), headers=h)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["invalidParams"] == [{"name": "body", "reason": "geen JSON-object"}]
    r = await rap.svc.client.post(URL, content=b"{", headers=h)
    assert r.status_code == 400
    assert await outbox_count(rap) == 0


async def test_binary_mode_is_refused_with_a_clear_problem(rap):
    """The SDK's to_binary() puts the attributes in ce-* headers: not this endpoint's form."""
    headers, body = to_binary_1(CloudEvent1(_attributes(), OPLEIDING))
    r = await rap.svc.client.post(URL, content=body, headers={**rap.h("ecld"), **headers})
    assert r.status_code == 415
    assert "binaire modus" in r.json()["detail"]
    assert await outbox_count(rap) == 0


async def test_the_openapi_document_names_the_three_media_types(rap):
    r = await rap.svc.client.get("/api/rapportage/v1/openapi.json")
    doc = r.json()
    content = doc["paths"]["/gebeurtenissen"]["post"]["requestBody"]["content"]
    assert content == {
        "application/json": {"schema": {"$ref": "#/components/schemas/CloudEventBatch"}},
        "application/cloudevents-batch+json": {
            "schema": {"$ref": "#/components/schemas/CloudEventBatch"}
        },
        "application/cloudevents+json": {"schema": {"$ref": "#/components/schemas/CloudEvent"}},
    }
    schemas = doc["components"]["schemas"]
    assert schemas["CloudEventBatch"]["items"] == {"$ref": "#/components/schemas/CloudEvent"}
    assert {"data", "data_base64"} <= set(schemas["CloudEvent"]["properties"])
