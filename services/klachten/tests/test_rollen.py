"""Which roles may call which route: a matrix per route, every role tried."""

from __future__ import annotations

import pytest

from integriteit_shared.auth.roles import Rol

ALLE_ROLLEN = [r.value for r in Rol]

NIEUW = {
    "soort": "onbehoorlijkheid",
    "indiener": "medewerker",
    "defensieonderdeel": "KMAR",
    "omschrijving": "tekst",
}

# route -> (method, path after the klacht id or None, state needed, body, allowed, success)
ROUTES = {
    "klachtIndienen": ("POST", "/klachten", None, NIEUW, {"medewerker", "klachtbehandelaar"}, 201),
    "klachtenOpvragen": (
        "GET",
        "/klachten",
        None,
        None,
        {"klachtbehandelaar", "cog_secretaris"},
        200,
    ),
    "klachtOpvragen": ("GET", "", "ingediend", None, {"klachtbehandelaar", "cog_secretaris"}, 200),
    "cogBehandelingStarten": (
        "POST",
        "/cog-behandeling",
        "ingediend",
        {"datum": "2024-03-20"},
        {"klachtbehandelaar"},
        200,
    ),
    "cogAdviesUitbrengen": (
        "POST",
        "/cog-advies",
        "cog_behandeling",
        {"datum": "2024-04-01", "advies": "gegrond"},
        {"cog_secretaris"},
        200,
    ),
    "klachtAfhandelen": (
        "POST",
        "/afhandeling",
        "ingediend",
        {"datum": "2024-04-01", "wijze": "informeel", "oordeel": "ingetrokken"},
        {"klachtbehandelaar"},
        200,
    ),
    "klachtVerdagen": (
        "POST",
        "/verdaging",
        "ingediend",
        {"weken": 2, "reden": "r"},
        {"klachtbehandelaar"},
        200,
    ),
    "termijnbewakingOpvragen": ("GET", "/termijnbewaking", None, None, {"klachtbehandelaar"}, 200),
}


@pytest.mark.parametrize("operation", list(ROUTES))
async def test_rollenmatrix(api, operation):
    method, path, state, body, allowed, success = ROUTES[operation]

    async def call(headers: dict[str, str]):
        url = path
        if state is not None:
            k = await api.indienen()
            if state == "cog_behandeling":
                await api.stap(k["id"], "cog-behandeling", {"datum": "2024-03-20"})
            url = f"/klachten/{k['id']}{path}"
        return await api.svc.client.request(method, api.url(url), json=body, headers=headers)

    r = await call({})
    assert r.status_code == 401
    for rol in ALLE_ROLLEN:
        r = await call(api.h(rol))
        verwacht = success if rol in allowed else 403
        assert r.status_code == verwacht, (operation, rol, r.text)
        if verwacht == 403:
            assert r.headers["content-type"] == "application/problem+json"
