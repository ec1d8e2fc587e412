"""The events leave through the outbox and reach the real broker with the contract's fields."""

from __future__ import annotations

import json

from integriteit_dev.testing.kafka import read_topic
from integriteit_shared.events import topics

CONTRACT = {
    "nl.integriteit.klachten.klacht-ingediend": {
        "klachtId",
        "ontvangenOp",
        "soort",
        "indiener",
        "defensieonderdeel",
    },
    "nl.integriteit.klachten.klacht-verdaagd": {"klachtId", "weken"},
    "nl.integriteit.klachten.cog-behandeling-gestart": {"klachtId", "datum"},
    "nl.integriteit.klachten.cog-advies-uitgebracht": {"klachtId", "advies", "datum"},
    "nl.integriteit.klachten.klacht-afgehandeld": {"klachtId", "wijze", "oordeel", "datum"},
}


async def test_events_op_de_broker_dragen_precies_de_contractvelden(api, broker):
    k = await api.indienen()
    await api.stap(k["id"], "verdaging", {"weken": 3, "reden": api.REDEN})
    await api.stap(k["id"], "cog-behandeling", {"datum": "2024-03-20"})
    await api.stap(k["id"], "cog-advies", {"datum": "2024-04-20", "advies": "niet_ontvankelijk"})
    await api.stap(
        k["id"],
        "afhandeling",
        {"datum": "2024-05-01", "wijze": "besluit", "oordeel": "niet_ontvankelijk"},
    )

    ontvangen = await read_topic(broker.bootstrap, topics.KLACHTEN, at_least=5)

    assert len(ontvangen) == 5
    soorten = []
    for m in ontvangen:
        headers = {key: value.decode() for key, value in m.headers}
        data = json.loads(m.value)
        assert set(data) == CONTRACT[headers["ce_type"]], headers["ce_type"]
        assert data["klachtId"] == k["id"] == headers["ce_subject"] == m.key.decode()
        assert headers["ce_source"] == "urn:nld:integriteit:systeem:klachten"
        assert b"scheldt" not in m.value and b"Petersen" not in m.value
        assert b"kb-1" not in m.value
        soorten.append(headers["ce_type"].rsplit(".", 1)[1])
    # one key, one partition: the order per klacht holds
    assert soorten == [
        "klacht-ingediend",
        "klacht-verdaagd",
        "cog-behandeling-gestart",
        "cog-advies-uitgebracht",
        "klacht-afgehandeld",
    ]
