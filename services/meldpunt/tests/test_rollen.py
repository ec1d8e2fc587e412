"""Every role allowed and refused per the contract, and onderdeel scoping (404 outside)."""

from __future__ import annotations

from typing import Any

import pytest

from integriteit_shared.auth.roles import Rol

from .conftest import Api

ALLE = [r.value for r in Rol]


async def _melding(api: Api, onderdeel: str = "CLSK") -> dict[str, Any]:
    return await api.melden(defensieonderdeel=onderdeel)


async def _onderzoek(api: Api) -> dict[str, Any]:
    r = await api.post(
        "/integriteitsonderzoeken",
        {"defensieonderdeel": "CLSK", "startdatum": "2024-02-01"},
        api.h("coid_onderzoeker"),
    )
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def _nevenwerk(api: Api) -> dict[str, Any]:
    r = await api.post(
        "/nevenwerkzaamheden",
        {"defensieonderdeel": "CLSK", "omschrijving": "Bijbaan als schilder", "betaald": True},
        api.h("medewerker"),
    )
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def _request(api: Api, operatie: str, headers: dict[str, str]) -> Any:
    """Perform `operatie` on fresh objects; returns the response."""
    if operatie == "melden":
        return await api.post("/meldingen", api.body(), headers)
    if operatie == "zoeken":
        return await api.get("/meldingen", headers)
    if operatie == "termijnbewaking":
        return await api.get("/termijnbewaking", headers)
    if operatie in {"raadplegen", "berichten"}:
        m = await _melding(api)
        suffix = "/berichten" if operatie == "berichten" else ""
        return await api.get(f"/meldingen/{m['id']}{suffix}", headers)
    if operatie == "bericht-plaatsen":
        m = await _melding(api)
        return await api.post(f"/meldingen/{m['id']}/berichten", {"tekst": "Hallo"}, headers)
    if operatie in {"ontvangstbevestiging", "categorisering", "misstand-vermoeden"}:
        m = await _melding(api)
        body = (
            {"hoofdcategorie": "overig", "subcategorie": "overig"}
            if operatie == "categorisering"
            else {}
        )
        return await api.post(f"/meldingen/{m['id']}/{operatie}", body, headers)
    if operatie == "onderzoek-starten":
        return await api.post(
            "/integriteitsonderzoeken",
            {"defensieonderdeel": "CLSK", "startdatum": "2024-02-01"},
            headers,
        )
    if operatie == "onderzoek-afronden":
        o = await _onderzoek(api)
        return await api.post(
            f"/integriteitsonderzoeken/{o['id']}/afronding",
            {"einddatum": "2024-06-01", "conclusie": "geen_schending"},
            headers,
        )
    if operatie == "onderzoeken-lezen":
        o = await _onderzoek(api)
        return await api.get(f"/integriteitsonderzoeken/{o['id']}", headers)
    if operatie == "nevenwerk-registreren":
        return await api.post(
            "/nevenwerkzaamheden",
            {"defensieonderdeel": "CLSK", "omschrijving": "Bijbaan", "betaald": False},
            headers,
        )
    if operatie == "nevenwerk-advies":
        n = await _nevenwerk(api)
        return await api.post(
            f"/nevenwerkzaamheden/{n['id']}/advies", {"advies": "positief"}, headers
        )
    raise AssertionError(operatie)


TOEGESTAAN: dict[str, set[str]] = {
    "melden": {"medewerker", "leidinggevende", "coid_adviseur"},
    "zoeken": {"coid_adviseur", "coid_coordinator", "coid_onderzoeker", "beheerder"},
    "raadplegen": {"coid_adviseur", "coid_coordinator", "coid_onderzoeker", "beheerder"},
    "ontvangstbevestiging": {"coid_adviseur", "coid_coordinator"},
    "categorisering": {"coid_adviseur", "coid_coordinator"},
    "misstand-vermoeden": {"coid_adviseur", "coid_coordinator"},
    "termijnbewaking": {"coid_adviseur", "coid_coordinator"},
    "berichten": {"coid_adviseur", "coid_coordinator"},
    "bericht-plaatsen": {"coid_adviseur", "coid_coordinator"},
    "onderzoek-starten": {"coid_onderzoeker"},
    "onderzoek-afronden": {"coid_onderzoeker"},
    "onderzoeken-lezen": {"coid_onderzoeker", "coid_adviseur"},
    "nevenwerk-registreren": {"medewerker", "coid_adviseur"},
    "nevenwerk-advies": {"leidinggevende", "coid_adviseur"},
}


@pytest.mark.parametrize("operatie", sorted(TOEGESTAAN))
async def test_role_matrix(api: Api, operatie: str) -> None:
    for rol in ALLE:
        r = await _request(api, operatie, api.h(rol))
        if rol in TOEGESTAAN[operatie]:
            assert r.status_code in {200, 201}, (operatie, rol, r.text)
        else:
            assert r.status_code == 403, (operatie, rol, r.status_code)
    if operatie != "melden":  # anonymous intake is allowed by the contract
        r = await _request(api, operatie, {})
        assert r.status_code == 401, (operatie, r.status_code)


async def test_bad_token_is_401(api: Api) -> None:
    r = await api.get("/meldingen", {"Authorization": "Bearer nep.nep.nep"})
    assert r.status_code == 401
    r = await api.post("/meldingen", api.body(), {"Authorization": "Bearer nep"})
    assert r.status_code == 401


async def test_onderdeel_scoping_of_meldingen(api: Api) -> None:
    clsk = await _melding(api, "CLSK")
    clas = await _melding(api, "CLAS")
    lezer = api.h("coid_adviseur", onderdeel="CLSK")
    r = await api.get("/meldingen", lezer)
    assert [m["id"] for m in r.json()] == [clsk["id"]]
    assert (await api.get(f"/meldingen/{clas['id']}", lezer)).status_code == 404
    assert (await api.get(f"/meldingen/{clas['id']}/berichten", lezer)).status_code == 404
    r = await api.post(f"/meldingen/{clas['id']}/ontvangstbevestiging", {}, lezer)
    assert r.status_code == 404
    assert (await api.get(f"/meldingen/{clsk['id']}", lezer)).status_code == 200
    # a Defensie-wide token sees both
    assert len((await api.get("/meldingen", api.adviseur)).json()) == 2


async def test_onderdeel_scoping_of_onderzoeken_and_nevenwerk(api: Api) -> None:
    o = await _onderzoek(api)
    n = await _nevenwerk(api)
    buiten = api.h("coid_onderzoeker", onderdeel="CZSK")
    assert (await api.get(f"/integriteitsonderzoeken/{o['id']}", buiten)).status_code == 404
    assert (await api.get("/integriteitsonderzoeken", buiten)).json() == []
    r = await api.post(
        f"/integriteitsonderzoeken/{o['id']}/afronding",
        {"einddatum": "2024-06-01", "conclusie": "geen_schending"},
        buiten,
    )
    assert r.status_code == 404
    lg_buiten = api.h("leidinggevende", onderdeel="CZSK")
    r = await api.post(f"/nevenwerkzaamheden/{n['id']}/advies", {"advies": "negatief"}, lg_buiten)
    assert r.status_code == 404
    lg_eigen = api.h("leidinggevende", onderdeel="CLSK")
    r = await api.post(f"/nevenwerkzaamheden/{n['id']}/advies", {"advies": "negatief"}, lg_eigen)
    assert r.status_code == 200


async def test_token_in_query_string_is_refused(api: Api) -> None:
    r = await api.svc.client.get(api.url("/meldingen"), params={"access_token": "x"})
    assert r.status_code == 400
