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
    assert [e.object_type for e in await api.audit("lezen")] == ["nevenwerkzaamheid"]
    assert [(e.object_type, e.object_id, e.fields) for e in await api.audit("schrijven")] == [
        ("nevenwerkzaamheid", n["id"], "omschrijving")
    ]


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


async def test_list_filters_pages_and_keeps_to_the_callers_onderdeel(api: Api) -> None:
    ids = {}
    for onderdeel, omschrijving in (("CLAS", "Trainer"), ("CLAS", "Kok"), ("CZSK", "Gids")):
        r = await api.post(
            "/nevenwerkzaamheden",
            {"defensieonderdeel": onderdeel, "omschrijving": omschrijving, "betaald": False},
            api.h("medewerker"),
        )
        ids[omschrijving] = r.json()["id"]
    await api.post(f"/nevenwerkzaamheden/{ids['Kok']}/advies", {"advies": "positief"}, api.adviseur)

    r = await api.get("/nevenwerkzaamheden", api.adviseur, advies="open")
    assert r.status_code == 200
    assert {n["id"] for n in r.json()} == {ids["Trainer"], ids["Gids"]}
    assert all("omschrijving" not in n for n in r.json())
    assert await api.audit("lezen") == []  # a list reads no protected text

    r = await api.get("/nevenwerkzaamheden", api.adviseur, pageSize=2)
    assert len(r.json()) == 2 and 'rel="next"' in r.headers["Link"]

    # a leidinggevende of CZSK sees CZSK only, whatever filter is asked
    czsk = api.h("leidinggevende", onderdeel="CZSK")
    r = await api.get("/nevenwerkzaamheden", czsk, defensieonderdeel="CLAS")
    assert r.status_code == 200 and r.json() == []
    r = await api.get("/nevenwerkzaamheden", czsk)
    assert [n["id"] for n in r.json()] == [ids["Gids"]]

    # the registrant is no reader of everyone's list; a bad period is a 400
    assert (await api.get("/nevenwerkzaamheden", api.h("medewerker"))).status_code == 403
    r = await api.get(
        "/nevenwerkzaamheden",
        api.adviseur,
        geregistreerdVanaf="2024-02-01",
        geregistreerdTot="2024-01-01",
    )
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "geregistreerdTot"
