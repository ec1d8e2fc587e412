"""Every route refuses the roles the contract does not name (403) and anonymous callers (401)."""

from __future__ import annotations

BASE = "/api/rapportage/v1"

ROUTES = [
    ("GET", "/jaarverslagen/2024", {"rapportage_lezer", "beheerder"}),
    ("GET", "/indicatoren", {"rapportage_lezer", "beheerder"}),
    ("POST", "/gebeurtenissen", {"kmar_bps", "ecld"}),
    ("GET", "/afstemming", {"beheerder"}),
    ("POST", "/herberekening", {"beheerder"}),
]
ROLES = ["medewerker", "coid_adviseur", "rapportage_lezer", "kmar_bps", "ecld", "beheerder", "cvp"]


async def test_roles_refused_per_route(rap):
    for method, path, allowed in ROUTES:
        kw = {"json": []} if method == "POST" else {}
        anon = await rap.svc.client.request(method, BASE + path, **kw)
        assert anon.status_code == 401, path
        for role in ROLES:
            r = await rap.svc.client.request(method, BASE + path, headers=rap.h(role), **kw)
            if role in allowed:
                assert r.status_code in (200, 202), (path, role, r.text)
            else:
                assert r.status_code == 403, (path, role)
