"""Nevenwerkzaamheden: registration, advice once, encrypted and audited description."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from meldpunt.termijnen import vandaag

from .conftest import Api


async def test_register_advise_and_read(api: Api) -> None:
    r = await api.post(
        "/nevenwerkzaamheden",
        {"defensieonderdeel": "CLAS", "omschrijving": "Schilder bij Jansen BV", "betaald": True},
        api.h("medewerker", sub="mw-2"),
    )
    assert r.status_code == 201, r.text
    n = r.json()
    assert n["registratiedatum"] == vandaag().isoformat() and "omschrijving" not in n
    async with api.svc.app.state.db.transaction() as s:
        stored = (await s.execute(text("SELECT omschrijving FROM nevenwerkzaamheden"))).scalar_one()
    assert "Jansen" not in stored
    r = await api.post(
        f"/nevenwerkzaamheden/{n['id']}/advies", {"advies": "negatief"}, api.adviseur
    )
    assert r.status_code == 200 and r.json()["advies"] == "negatief"
    r = await api.post(
        f"/nevenwerkzaamheden/{n['id']}/advies", {"advies": "positief"}, api.adviseur
    )
    assert r.status_code == 409
    r = await api.get(f"/nevenwerkzaamheden/{n['id']}", api.adviseur)
    assert r.json()["omschrijving"] == "Schilder bij Jansen BV"
    assert [e.object_type for e in await api.audit()] == ["nevenwerkzaamheid"]


async def test_only_the_meldpunt_registers_in_the_past(api: Api) -> None:
    gisteren = (vandaag() - timedelta(days=30)).isoformat()
    body = {"defensieonderdeel": "CLAS", "omschrijving": "x", "betaald": False}
    r = await api.post(
        "/nevenwerkzaamheden", {**body, "registratiedatum": gisteren}, api.h("medewerker")
    )
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "registratiedatum"
    r = await api.post("/nevenwerkzaamheden", {**body, "registratiedatum": gisteren}, api.adviseur)
    assert r.status_code == 201 and r.json()["registratiedatum"] == gisteren
    morgen = (vandaag() + timedelta(days=1)).isoformat()
    r = await api.post("/nevenwerkzaamheden", {**body, "registratiedatum": morgen}, api.adviseur)
    assert r.status_code == 400
