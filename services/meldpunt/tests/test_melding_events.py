"""Events: exactly the contract's fields, no protected text, and over the real broker."""

from __future__ import annotations

import json

from integriteit_dev.testing.kafka import read_topic
from integriteit_shared.events import topics

from .conftest import PERSOONSGEGEVENS, Api, middag

CONTRACT = {
    "nl.integriteit.meldpunt.melding-ontvangen": {
        "meldingId",
        "ontvangenOp",
        "kanaal",
        "defensieonderdeel",
        "hoofdcategorie",
        "subcategorie",
        "anoniem",
        "vermoedenMisstand",
    },
    "nl.integriteit.meldpunt.melding-gecategoriseerd": {
        "meldingId",
        "hoofdcategorie",
        "subcategorie",
    },
    "nl.integriteit.meldpunt.melding-ontvangst-bevestigd": {"meldingId", "datum"},
    "nl.integriteit.meldpunt.melding-terugkoppeling-gegeven": {"meldingId", "datum"},
    "nl.integriteit.meldpunt.melding-afdoening-bepaald": {"meldingId", "afdoening", "datum"},
    "nl.integriteit.meldpunt.melding-afgerond": {"meldingId", "conclusie", "datum"},
    "nl.integriteit.meldpunt.misstand-vermoeden-geregistreerd": {"meldingId", "datum"},
    "nl.integriteit.meldpunt.misstand-afgerond": {"meldingId", "vastgesteld", "datum"},
    "nl.integriteit.meldpunt.nazorg-uitgevoerd": {"meldingId", "datum", "benadelingGemeld"},
    "nl.integriteit.meldpunt.integriteitsonderzoek-gestart": {
        "onderzoekId",
        "defensieonderdeel",
        "startdatum",
        "meldingId",
    },
    "nl.integriteit.meldpunt.integriteitsonderzoek-afgerond": {
        "onderzoekId",
        "einddatum",
        "conclusie",
    },
    "nl.integriteit.meldpunt.nevenwerkzaamheid-geregistreerd": {
        "nevenwerkzaamheidId",
        "defensieonderdeel",
        "registratiedatum",
        "betaald",
    },
    "nl.integriteit.meldpunt.nevenwerkzaamheid-geadviseerd": {
        "nevenwerkzaamheidId",
        "advies",
        "datum",
    },
}


async def _alles(api: Api) -> dict[str, str]:
    """Every meldpunt event once; returns the ids."""
    m = await api.melden(vermoedenMisstand=True, ontvangenOp=middag(40))
    await api.stap(
        m["id"], "categorisering", {"hoofdcategorie": "overig", "subcategorie": "overig"}
    )
    await api.stap(m["id"], "ontvangstbevestiging", {"datum": middag(39)[:10]})
    await api.stap(m["id"], "afdoening", {"afdoening": "integriteitsonderzoek"})
    await api.stap(m["id"], "terugkoppeling")
    await api.stap(m["id"], "afronding", {"conclusie": "schending_vastgesteld"})
    await api.stap(m["id"], "misstand-afronding", {"vastgesteld": False})
    r = await api.stap(
        m["id"],
        "nazorg",
        {"datum": middag(0)[:10], "benadelingGemeld": True, "toelichting": "Jansen zweeg."},
    )
    assert r.status_code == 201, r.text
    onderzoeker = api.h("coid_onderzoeker")
    o = (
        await api.post(
            "/integriteitsonderzoeken",
            {"defensieonderdeel": "CLSK", "startdatum": middag(30)[:10], "meldingId": m["id"]},
            onderzoeker,
        )
    ).json()
    await api.post(
        f"/integriteitsonderzoeken/{o['id']}/afronding",
        {"einddatum": middag(1)[:10], "conclusie": "schending_vastgesteld"},
        onderzoeker,
    )
    n = (
        await api.post(
            "/nevenwerkzaamheden",
            {"defensieonderdeel": "CLAS", "omschrijving": "Bijbaan bij Jansen", "betaald": True},
            api.h("medewerker"),
        )
    ).json()
    await api.post(f"/nevenwerkzaamheden/{n['id']}/advies", {"advies": "positief"}, api.adviseur)
    return {"melding": m["id"], "onderzoek": o["id"], "nevenwerk": n["id"]}


async def test_every_event_carries_exactly_the_contract_fields(api: Api) -> None:
    ids = await _alles(api)
    events = await api.outbox()
    assert {t for t, _, _ in events} == set(CONTRACT)
    for event_type, data, headers in events:
        assert set(data) == CONTRACT[event_type], event_type
        assert headers["ce_source"] == "urn:nld:integriteit:systeem:meldpunt"
        blob = json.dumps(data) + json.dumps(headers)
        for fragment in PERSOONSGEGEVENS:
            assert fragment not in blob
    ontvangen = next(d for t, d, _ in events if t.endswith("melding-ontvangen"))
    assert ontvangen["vermoedenMisstand"] is True and ontvangen["meldingId"] == ids["melding"]
    vermoeden = next(d for t, d, _ in events if t.endswith("misstand-vermoeden-geregistreerd"))
    assert vermoeden["datum"] == middag(40)[:10]  # the receipt date, not today
    gestart = next(d for t, d, _ in events if t.endswith("integriteitsonderzoek-gestart"))
    assert gestart["meldingId"] == ids["melding"]


async def test_events_reach_the_broker_with_contract_headers(api: Api, broker) -> None:
    m = await api.anoniem_melden()
    received = await read_topic(broker.bootstrap, topics.MELDPUNT, at_least=1)
    assert len(received) == 1
    msg = received[0]
    headers = {k: v.decode() for k, v in msg.headers}
    assert headers["ce_type"] == "nl.integriteit.meldpunt.melding-ontvangen"
    assert headers["ce_subject"] == m["id"] and msg.key == m["id"].encode()
    data = json.loads(msg.value)
    assert set(data) == CONTRACT["nl.integriteit.meldpunt.melding-ontvangen"]
    assert data["anoniem"] is True
    assert m["volgcode"] not in msg.value.decode()
    assert "Jansen" not in msg.value.decode()
