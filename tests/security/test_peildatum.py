"""A peildatum freezes the figures: a backdated event does not change them (issue 16).

The attack: `kmar_bps` sent an event with CloudEvents `time` 2024-06-01 today, and the 2024
report at peildatum 2025-01-01 went from 129 to 130 BPS meldingen. Rapportage now registers
every event at the moment it enters the ledger; only the audited historical import of a
`beheerder` books history at its original moments, and it is listed in `/afstemming`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select

from integriteit_dev.broker import DevBroker
from integriteit_dev.testing.plugin import eventually
from integriteit_dev.testing.services import RunningService, TokenFactory
from integriteit_shared.crypto.audit import AuditEntry
from integriteit_shared.events import new_envelope, to_kafka, to_structured
from integriteit_shared.events.models import AuditKetenkop, BpsMeldingGeregistreerd
from integriteit_shared.kalender import vandaag
from integriteit_shared.messaging.models import InboxMessage

BASE = "/api/rapportage/v1"
TERUG = datetime(2024, 6, 1, 12, tzinfo=UTC)


def bps() -> BpsMeldingGeregistreerd:
    return BpsMeldingGeregistreerd(
        bps_id=f"BPS-{uuid.uuid4().hex[:8]}",
        registratiedatum=date(2024, 6, 1),
        hoofdcategorie="ongewenst_gedrag",
        subcategorie="pesten",
    )


async def bps_2024(svc: RunningService, tokens: TokenFactory, peildatum: str) -> int:
    r = await svc.client.get(
        f"{BASE}/jaarverslagen/2024",
        params={"peildatum": peildatum},
        headers=tokens.headers("rapportage_lezer"),
    )
    assert r.status_code == 200, r.text
    return int(r.json()["meldingen"]["bps"]["2024"])


async def ledger(svc: RunningService) -> int:
    async with svc.app.state.db.transaction() as s:
        return int(await s.scalar(select(func.count()).select_from(InboxMessage)) or 0)


async def test_a_backdated_event_does_not_change_an_earlier_peildatum(
    service_factory: Any, broker: DevBroker, tokens: TokenFactory
) -> None:
    rapportage = await service_factory("rapportage")
    beheerder = tokens.headers("beheerder", sub="beheerder-1")
    # the history as it stood: one BPS melding registered in 2024, through the import
    r = await rapportage.client.post(
        f"{BASE}/historische-imports",
        json={"gebeurtenissen": [to_structured(new_envelope(bps(), time=TERUG))]},
        headers=beheerder,
    )
    assert r.status_code == 201, r.text
    assert await bps_2024(rapportage, tokens, "2025-01-01") == 1

    # today KMar sends one with `time` in 2024, via REST and straight onto its topic
    via_rest = to_structured(new_envelope(bps(), time=TERUG))
    r = await rapportage.client.post(
        f"{BASE}/gebeurtenissen", json=[via_rest], headers=tokens.headers("kmar_bps")
    )
    assert r.json()["geaccepteerd"] == 1, r.text
    rec = to_kafka(new_envelope(bps(), time=TERUG))
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(rec.topic, value=rec.value, key=rec.key, headers=rec.headers)
    finally:
        await producer.stop()

    async def both_in() -> bool:
        return await ledger(rapportage) == 3

    await eventually(both_in)
    # what was known on 1 January 2025 stays what it was; today both count, as 2024 meldingen
    assert await bps_2024(rapportage, tokens, "2025-01-01") == 1
    assert await bps_2024(rapportage, tokens, vandaag().isoformat()) == 3
    # the producer's `time` is kept as reported time
    async with rapportage.app.state.db.transaction() as s:
        rows = (await s.execute(select(InboxMessage.time, InboxMessage.received_at))).all()
    assert all(t == TERUG for t, _ in rows)
    assert sorted(ontvangen > TERUG + timedelta(days=365) for _, ontvangen in rows) == [
        False,
        True,
        True,
    ]
    # and a rebuild from the ledger gives the same
    r = await rapportage.client.post(f"{BASE}/herberekening", headers=beheerder)
    assert r.status_code == 200, r.text
    assert await bps_2024(rapportage, tokens, "2025-01-01") == 1


async def test_the_historical_import_is_for_beheerders_audited_and_listed(
    service_factory: Any, tokens: TokenFactory
) -> None:
    rapportage = await service_factory("rapportage")
    url = f"{BASE}/historische-imports"
    body = {"gebeurtenissen": [to_structured(new_envelope(bps(), time=TERUG)) for _ in range(3)]}
    r = await rapportage.client.post(url, json=body, headers=tokens.headers("kmar_bps"))
    assert r.status_code == 403, r.text

    # all or nothing: a future moment or an audit anchor refuses the whole import
    morgen = datetime.now(UTC) + timedelta(days=1)
    anker = new_envelope(
        AuditKetenkop(volgnummer=1, hmac="b" * 64),
        time=TERUG,
        source="urn:nld:integriteit:systeem:meldpunt",
    )
    slecht = {
        "gebeurtenissen": [
            *body["gebeurtenissen"],
            to_structured(new_envelope(bps(), time=morgen)),
            to_structured(anker),
        ]
    }
    beheerder = tokens.headers("beheerder", sub="beheerder-1")
    r = await rapportage.client.post(url, json=slecht, headers=beheerder)
    assert r.status_code == 400, r.text
    assert [p["name"] for p in r.json()["invalidParams"]] == [
        "gebeurtenissen.3",
        "gebeurtenissen.4",
    ]
    assert await ledger(rapportage) == 0

    r = await rapportage.client.post(url, json=body, headers=beheerder)
    assert r.status_code == 201, r.text
    imp = r.json()
    assert imp["aantal"] == 3 and imp["dubbel"] == 0 and imp["door"] == "beheerder-1"
    again = await rapportage.client.post(url, json=body, headers=beheerder)
    assert again.json()["aantal"] == 0 and again.json()["dubbel"] == 3

    afstemming = (await rapportage.client.get(f"{BASE}/afstemming", headers=beheerder)).json()
    assert [i["id"] for i in afstemming["historischeImports"]] == [imp["id"], again.json()["id"]]
    async with rapportage.app.state.db.transaction() as s:
        audit = (
            await s.scalars(select(AuditEntry).where(AuditEntry.action == "historische-import"))
        ).all()
    assert [(a.actor, a.object_id) for a in audit] == [
        ("beheerder-1", imp["id"]),
        ("beheerder-1", again.json()["id"]),
    ]
