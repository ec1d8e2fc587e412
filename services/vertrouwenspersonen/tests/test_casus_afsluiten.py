"""A casus is closed once, by its own adviser, with an optional referral."""

from __future__ import annotations

import json

from integriteit_dev.testing.kafka import read_topic
from integriteit_shared.events import topics


async def registreer(vp, headers, datum: str = "2024-03-01") -> str:
    r = await vp.client.post(
        f"{vp.base}/casussen",
        json={
            "defensieonderdeel": "CZSK",
            "datum": datum,
            "hoofdcategorie": "zakelijke_integriteit",
            "subcategorie": "misbruik_positie",
            "notitie": "vertrouwelijk",
        },
        headers=headers,
    )
    assert r.status_code == 201
    return str(r.json()["id"])


async def test_casus_levenscyclus(vp, tokens, outbox):
    adviseur = tokens.headers("vertrouwenspersoon", onderdeel="CZSK", sub="vp-cees")
    casus_id = await registreer(vp, adviseur)

    # not before the casus itself
    r = await vp.client.post(
        f"{vp.base}/casussen/{casus_id}/afsluiting", json={"datum": "2024-02-29"}, headers=adviseur
    )
    assert r.status_code == 400
    assert [p["name"] for p in r.json()["invalidParams"]] == ["datum"]
    r = await vp.client.post(
        f"{vp.base}/casussen/{casus_id}/afsluiting",
        json={"datum": "2024-04-02", "doorverwezenNaar": "bureau"},
        headers=adviseur,
    )
    assert r.status_code == 400
    assert [p["name"] for p in r.json()["invalidParams"]] == ["doorverwezenNaar"]

    r = await vp.client.post(
        f"{vp.base}/casussen/{casus_id}/afsluiting",
        json={"datum": "2024-04-02", "doorverwezenNaar": "meldpunt"},
        headers=adviseur,
    )
    assert r.status_code == 200
    assert r.json()["status"] == "afgesloten"
    assert r.json()["afsluitdatum"] == "2024-04-02"
    assert r.json()["doorverwezenNaar"] == "meldpunt"
    assert "notitie" not in r.json()

    r = await vp.client.post(
        f"{vp.base}/casussen/{casus_id}/afsluiting", json={"datum": "2024-05-01"}, headers=adviseur
    )
    assert r.status_code == 409
    r = await vp.client.get(f"{vp.base}/casussen/{casus_id}", headers=adviseur)
    assert r.json()["afsluitdatum"] == "2024-04-02"

    open_id = await registreer(vp, adviseur, "2024-04-10")
    r = await vp.client.get(f"{vp.base}/casussen", params={"status": "open"}, headers=adviseur)
    assert [c["id"] for c in r.json()] == [open_id]
    r = await vp.client.get(f"{vp.base}/casussen", headers=adviseur)
    assert [c["id"] for c in r.json()] == [open_id, casus_id]  # newest first

    afgesloten = [e for e in await outbox(vp) if e["type"].endswith("casus-afgesloten")]
    assert [e["data"] for e in afgesloten] == [
        {"casusId": casus_id, "datum": "2024-04-02", "doorverwezenNaar": "meldpunt"}
    ]


async def test_gebeurtenissen_bereiken_de_broker_zonder_adviseur_of_notitie(vp, tokens, broker):
    adviseur = tokens.headers("vertrouwenspersoon", onderdeel="CZSK", sub="vp-geheim")
    casus_id = await registreer(vp, adviseur)
    r = await vp.client.post(
        f"{vp.base}/casussen/{casus_id}/afsluiting", json={"datum": "2024-03-05"}, headers=adviseur
    )
    assert r.status_code == 200

    berichten = await read_topic(broker.bootstrap, topics.VERTROUWENSPERSONEN, at_least=2)
    assert len(berichten) == 2
    per_type = {dict(m.headers)["ce_type"].decode(): m for m in berichten}
    geregistreerd = per_type["nl.integriteit.vertrouwenspersonen.casus-geregistreerd"]
    afgesloten = per_type["nl.integriteit.vertrouwenspersonen.casus-afgesloten"]
    assert json.loads(geregistreerd.value) == {
        "casusId": casus_id,
        "defensieonderdeel": "CZSK",
        "datum": "2024-03-01",
        "hoofdcategorie": "zakelijke_integriteit",
        "subcategorie": "misbruik_positie",
    }
    assert json.loads(afgesloten.value) == {
        "casusId": casus_id,
        "datum": "2024-03-05",
        "doorverwezenNaar": None,
    }
    for m in berichten:
        assert m.key == casus_id.encode()
        headers = dict(m.headers)
        assert headers["ce_source"] == b"urn:nld:integriteit:systeem:vertrouwenspersonen"
        alles = m.value + b"".join(headers.values())
        assert b"vp-geheim" not in alles and b"vertrouwelijk" not in alles
