"""Informal conversations are tallied per date: a count, nothing else."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from vertrouwenspersonen.informeel_gesprek.models import InformeelGesprek


async def test_gesprekken_tellen_met_onderdeel_uit_het_token(vp, tokens, outbox):
    adviseur = tokens.headers("vertrouwenspersoon", onderdeel="COMMIT", sub="vp-dirk")
    r = await vp.client.post(
        f"{vp.base}/informele-gesprekken",
        json={"datum": "2024-09-12", "aantal": 3},
        headers=adviseur,
    )
    assert r.status_code == 201, r.text
    telling = r.json()
    assert telling["defensieonderdeel"] == "COMMIT"
    assert (telling["datum"], telling["aantal"]) == ("2024-09-12", 3)
    assert (await vp.client.get(r.headers["Location"], headers=adviseur)).json() == telling
    cvp = tokens.headers("cvp", onderdeel="COMMIT")
    assert (await vp.client.get(r.headers["Location"], headers=cvp)).status_code == 200
    ander = tokens.headers("cvp", onderdeel="BS")
    assert (await vp.client.get(r.headers["Location"], headers=ander)).status_code == 404

    (event,) = await outbox(vp)
    assert event["type"] == "nl.integriteit.vertrouwenspersonen.informele-gesprekken-geteld"
    assert event["data"] == {"defensieonderdeel": "COMMIT", "datum": "2024-09-12", "aantal": 3}
    assert "vp-dirk" not in repr(event)

    r = await vp.client.post(
        f"{vp.base}/informele-gesprekken",
        json={"datum": "2024-09-12", "aantal": 1, "defensieonderdeel": "KMAR"},
        headers=adviseur,
    )
    assert r.status_code == 403


async def test_zonder_onderdeel_in_het_token_is_het_veld_verplicht(vp, tokens, outbox):
    adviseur = tokens.headers("vertrouwenspersoon", sub="vp-defensie")
    r = await vp.client.post(
        f"{vp.base}/informele-gesprekken",
        json={"datum": "2024-09-12", "aantal": 2},
        headers=adviseur,
    )
    assert r.status_code == 400
    assert [p["name"] for p in r.json()["invalidParams"]] == ["defensieonderdeel"]

    r = await vp.client.post(
        f"{vp.base}/informele-gesprekken",
        json={"datum": "2024-09-12", "aantal": 2, "defensieonderdeel": "KMAR"},
        headers=adviseur,
    )
    assert r.status_code == 201
    assert r.json()["defensieonderdeel"] == "KMAR"
    assert [e["data"]["defensieonderdeel"] for e in await outbox(vp)] == ["KMAR"]


async def test_ongeldige_telling_noemt_alle_velden_en_schrijft_niets(vp, tokens, outbox):
    adviseur = tokens.headers("vertrouwenspersoon", onderdeel="CLSK")
    morgen = (date.today() + timedelta(days=2)).isoformat()
    r = await vp.client.post(
        f"{vp.base}/informele-gesprekken",
        json={"datum": morgen, "aantal": 0, "onderwerp": "ruzie"},
        headers=adviseur,
    )
    assert r.status_code == 400
    assert sorted(p["name"] for p in r.json()["invalidParams"]) == ["aantal", "datum", "onderwerp"]
    async with vp.app.state.db.transaction() as s:
        assert await s.scalar(select(func.count()).select_from(InformeelGesprek)) == 0
    assert await outbox(vp) == []
