"""Every route against every role: the allowed role succeeds, others get 403, no token 401."""

from __future__ import annotations

import pytest

from integriteit_shared.auth.roles import Rol

CVP = {"cvp"}
VP = {"vertrouwenspersoon"}

# (method, path with {vp}/{casus}/{telling} placeholders, json body, allowed roles, success)
ROUTES = [
    (
        "POST",
        "/vertrouwenspersonen",
        {"defensieonderdeel": "CLSK", "aanstellingsdatum": "2024-01-01"},
        CVP,
        201,
    ),
    ("GET", "/vertrouwenspersonen", None, CVP, 200),
    ("GET", "/vertrouwenspersonen/{vp}", None, CVP, 200),
    ("POST", "/vertrouwenspersonen/{vp}/beeindiging", {"datum": "2024-06-01"}, CVP, 200),
    ("GET", "/netwerk?peildatum=2024-12-31", None, CVP, 200),
    (
        "POST",
        "/casussen",
        {
            "defensieonderdeel": "CLSK",
            "datum": "2024-02-02",
            "hoofdcategorie": "overig",
            "subcategorie": "overig",
        },
        VP,
        201,
    ),
    ("GET", "/casussen", None, VP, 200),
    ("GET", "/casussen/tellingen?jaar=2024", None, CVP, 200),
    ("GET", "/casussen/{casus}", None, VP, 200),
    ("POST", "/casussen/{casus}/afsluiting", {"datum": "2024-03-03"}, VP, 200),
    ("POST", "/informele-gesprekken", {"datum": "2024-02-02", "aantal": 4}, VP, 201),
    ("GET", "/informele-gesprekken/{telling}", None, VP | CVP, 200),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed", "success"),
    ROUTES,
    ids=[f"{m} {p}" for m, p, *_ in ROUTES],
)
async def test_rollen_per_route(vp, tokens, method, path, body, allowed, success):
    cvp = tokens.headers("cvp", onderdeel="CLSK", sub="vp-a")
    adviseur = tokens.headers("vertrouwenspersoon", onderdeel="CLSK", sub="vp-a")
    ids = {
        "vp": (
            await vp.client.post(
                f"{vp.base}/vertrouwenspersonen",
                json={"defensieonderdeel": "CLSK", "aanstellingsdatum": "2024-01-01"},
                headers=cvp,
            )
        ).json()["id"],
        "casus": (
            await vp.client.post(
                f"{vp.base}/casussen",
                json={
                    "defensieonderdeel": "CLSK",
                    "datum": "2024-02-02",
                    "hoofdcategorie": "overig",
                    "subcategorie": "overig",
                },
                headers=adviseur,
            )
        ).json()["id"],
        "telling": (
            await vp.client.post(
                f"{vp.base}/informele-gesprekken",
                json={"datum": "2024-02-02", "aantal": 1},
                headers=adviseur,
            )
        ).json()["id"],
    }
    url = vp.base + path.format(**ids)

    r = await vp.client.request(method, url, json=body)
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")

    for rol in Rol:
        if rol.value in allowed:
            continue
        headers = tokens.headers(rol.value, onderdeel="CLSK", sub="vp-a")
        r = await vp.client.request(method, url, json=body, headers=headers)
        assert r.status_code == 403, (rol, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")

    for rol in sorted(allowed):
        headers = tokens.headers(rol, onderdeel="CLSK", sub="vp-a")
        r = await vp.client.request(method, url, json=body, headers=headers)
        assert r.status_code == success, (rol, r.text)
