"""Integriteitsonderzoeken: start (with or without a melding), afronding, reads."""

from __future__ import annotations

from datetime import timedelta

from meldpunt.integriteitsonderzoek.models import Integriteitsonderzoek
from meldpunt.termijnen import vandaag

from .conftest import Api


async def test_investigation_spanning_years(api: Api) -> None:
    h = api.h("coid_onderzoeker", sub="o-1")
    r = await api.post(
        "/integriteitsonderzoeken", {"defensieonderdeel": "DOSCO", "startdatum": "2023-11-01"}, h
    )
    assert r.status_code == 201, r.text
    o = r.json()
    assert r.headers["Location"].endswith(f"/integriteitsonderzoeken/{o['id']}")
    assert o["meldingId"] is None and o["einddatum"] is None
    r = await api.post(
        f"/integriteitsonderzoeken/{o['id']}/afronding",
        {"einddatum": "2024-03-01", "conclusie": "geen_schending"},
        h,
    )
    assert r.status_code == 200 and r.json()["einddatum"] == "2024-03-01"
    r = await api.post(
        f"/integriteitsonderzoeken/{o['id']}/afronding",
        {"einddatum": "2024-04-01", "conclusie": "geen_schending"},
        h,
    )
    assert r.status_code == 409
    r = await api.get("/integriteitsonderzoeken", api.adviseur)
    assert [x["id"] for x in r.json()] == [o["id"]]


async def test_investigation_from_a_melding(api: Api) -> None:
    m = await api.melden()
    h = api.h("coid_onderzoeker")
    r = await api.post(
        "/integriteitsonderzoeken",
        {"defensieonderdeel": "CLSK", "startdatum": vandaag().isoformat(), "meldingId": m["id"]},
        h,
    )
    assert r.status_code == 201 and r.json()["meldingId"] == m["id"]
    r = await api.get("/integriteitsonderzoeken", h, meldingId=m["id"])
    assert len(r.json()) == 1


async def test_bad_investigations_are_400_and_write_nothing(api: Api) -> None:
    h = api.h("coid_onderzoeker")
    morgen = (vandaag() + timedelta(days=1)).isoformat()
    r = await api.post(
        "/integriteitsonderzoeken", {"defensieonderdeel": "XX", "startdatum": morgen}, h
    )
    assert r.status_code == 400
    assert {p["name"] for p in r.json()["invalidParams"]} == {"defensieonderdeel", "startdatum"}
    r = await api.post(
        "/integriteitsonderzoeken",
        {"defensieonderdeel": "CLSK", "startdatum": "2024-01-01", "meldingId": "bestaat-niet"},
        h,
    )
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "meldingId"
    assert await api.count(Integriteitsonderzoek) == 0
    r = await api.post(
        "/integriteitsonderzoeken", {"defensieonderdeel": "CLSK", "startdatum": "2024-05-01"}, h
    )
    r = await api.post(
        f"/integriteitsonderzoeken/{r.json()['id']}/afronding",
        {"einddatum": "2024-04-01", "conclusie": "geen_schending"},
        h,
    )
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "einddatum"
