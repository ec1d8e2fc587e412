"""Every route of the contract × every role: allowed roles get past authorisation, all
others get 403, and nobody gets in without a token (except where the contract says so)."""

from __future__ import annotations

import uuid

import pytest

from integriteit_shared.auth.roles import Rol

ID = str(uuid.uuid4())
ANONIEM = "anoniem"

# advisers and the coordinators who distribute their work (once a melding is assigned, its
# behandelaar or a coordinator; that rule has its own tests in services/meldpunt)
BEHANDELAARS = {"coid_adviseur", "coid_coordinator"}
STAF = BEHANDELAARS | {"coid_onderzoeker", "beheerder"}
MELDERS = {"medewerker", "leidinggevende"}  # their own named meldingen (/mijn)

# The role columns of CONTRACT.md, per service: (method, path, allowed roles).
CONTRACT: dict[str, list[tuple[str, str, set[str]]]] = {
    "meldpunt": [
        ("POST", "/meldingen", {ANONIEM, "medewerker", "leidinggevende", "coid_adviseur"}),
        ("GET", "/meldingen", STAF),
        ("GET", f"/meldingen/{ID}", STAF),
        ("POST", f"/meldingen/{ID}/ontvangstbevestiging", BEHANDELAARS),
        ("POST", f"/meldingen/{ID}/afdoening", BEHANDELAARS),
        ("POST", f"/meldingen/{ID}/terugkoppeling", BEHANDELAARS),
        ("POST", f"/meldingen/{ID}/afronding", BEHANDELAARS),
        ("POST", f"/meldingen/{ID}/misstand-afronding", BEHANDELAARS),
        ("GET", f"/meldingen/{ID}/berichten", BEHANDELAARS),
        ("POST", f"/meldingen/{ID}/berichten", BEHANDELAARS),
        ("POST", f"/meldingen/{ID}/toewijzing", BEHANDELAARS),
        ("POST", f"/meldingen/{ID}/uitsluitingen", BEHANDELAARS),
        ("GET", f"/meldingen/{ID}/notities", BEHANDELAARS),
        ("POST", f"/meldingen/{ID}/notities", BEHANDELAARS),
        ("POST", f"/meldingen/{ID}/melder-inzage", BEHANDELAARS),
        ("GET", f"/meldingen/{ID}/tijdlijn", BEHANDELAARS | {"coid_onderzoeker"}),
        ("GET", f"/meldingen/{ID}/inzagelog", BEHANDELAARS | {"beheerder"}),
        ("POST", f"/meldingen/{ID}/bijlagen", BEHANDELAARS),
        ("GET", f"/meldingen/{ID}/bijlagen", BEHANDELAARS),
        ("GET", f"/meldingen/{ID}/bijlagen/{ID}", BEHANDELAARS),
        ("POST", f"/mijn/meldingen/{ID}/bijlagen", MELDERS),
        ("GET", "/mijn/meldingen", MELDERS),
        ("GET", f"/mijn/meldingen/{ID}", MELDERS),
        ("GET", f"/mijn/meldingen/{ID}/berichten", MELDERS),
        ("POST", f"/mijn/meldingen/{ID}/berichten", MELDERS),
        ("POST", "/integriteitsonderzoeken", {"coid_onderzoeker"}),
        ("POST", f"/integriteitsonderzoeken/{ID}/afronding", {"coid_onderzoeker"}),
        ("GET", "/integriteitsonderzoeken", {"coid_onderzoeker", "coid_adviseur"}),
        ("GET", f"/integriteitsonderzoeken/{ID}", {"coid_onderzoeker", "coid_adviseur"}),
        ("POST", "/nevenwerkzaamheden", {"medewerker", "coid_adviseur"}),
        ("POST", f"/nevenwerkzaamheden/{ID}/advies", {"leidinggevende", "coid_adviseur"}),
        ("POST", f"/meldingen/{ID}/bewaarplicht", {"coid_coordinator", "beheerder"}),
        ("DELETE", f"/meldingen/{ID}/bewaarplicht", {"coid_coordinator", "beheerder"}),
    ],
    "vertrouwenspersonen": [
        ("POST", "/vertrouwenspersonen", {"cvp"}),
        ("POST", f"/vertrouwenspersonen/{ID}/beeindiging", {"cvp"}),
        ("GET", "/vertrouwenspersonen", {"cvp"}),
        ("POST", "/casussen", {"vertrouwenspersoon"}),
        ("POST", f"/casussen/{ID}/afsluiting", {"vertrouwenspersoon"}),
        ("GET", "/casussen", {"vertrouwenspersoon"}),
        ("GET", f"/casussen/{ID}", {"vertrouwenspersoon"}),
        ("POST", "/informele-gesprekken", {"vertrouwenspersoon"}),
    ],
    "klachten": [
        ("POST", "/klachten", {"medewerker", "klachtbehandelaar"}),
        ("GET", "/klachten", {"klachtbehandelaar", "cog_secretaris"}),
        ("GET", f"/klachten/{ID}", {"klachtbehandelaar", "cog_secretaris"}),
        ("POST", f"/klachten/{ID}/verdaging", {"klachtbehandelaar"}),
        ("POST", f"/klachten/{ID}/cog-behandeling", {"klachtbehandelaar"}),
        ("POST", f"/klachten/{ID}/cog-advies", {"cog_secretaris"}),
        ("POST", f"/klachten/{ID}/afhandeling", {"klachtbehandelaar"}),
        ("GET", "/mijn/klachten", {"medewerker"}),
        ("GET", f"/mijn/klachten/{ID}", {"medewerker"}),
        ("POST", f"/klachten/{ID}/bewaarplicht", {"klachtbehandelaar", "beheerder"}),
        ("DELETE", f"/klachten/{ID}/bewaarplicht", {"klachtbehandelaar", "beheerder"}),
    ],
    "rapportage": [
        ("GET", "/jaarverslagen/2024", {"rapportage_lezer", "beheerder"}),
        ("GET", "/indicatoren?jaar=2024&defensieonderdeel=CLSK", {"rapportage_lezer", "beheerder"}),
        ("GET", "/voortgang?peildatum=2024-12-31", {"rapportage_lezer", "beheerder"}),
        ("POST", "/gebeurtenissen", {"kmar_bps", "ecld"}),
        ("GET", "/afstemming", {"beheerder"}),
        ("POST", "/historische-imports", {"beheerder"}),
    ],
}
# every service's audit log (integriteit_shared.http.auditlog)
for _routes in CONTRACT.values():
    _routes.append(("GET", "/auditlog", {"beheerder"}))
ROLES = [r.value for r in Rol]


@pytest.mark.parametrize("service", list(CONTRACT))
async def test_every_route_against_every_role(service, service_factory, tokens):  # type: ignore[no-untyped-def]
    svc = await service_factory(
        service, **({"anonieme_meldingen_limiet": 10_000} if service == "meldpunt" else {})
    )
    mismatches: list[str] = []
    for method, path, allowed in CONTRACT[service]:
        url = f"{svc.base}{path}"
        body = [] if path == "/gebeurtenissen" else {}
        # no token at all
        r = await svc.client.request(method, url, json=body if method == "POST" else None)
        if ANONIEM in allowed:
            if r.status_code in (401, 403):
                mismatches.append(f"{method} {path} anoniem: {r.status_code}, verwacht toegang")
        elif r.status_code != 401:
            mismatches.append(f"{method} {path} zonder token: {r.status_code}, verwacht 401")
        for role in ROLES:
            r = await svc.client.request(
                method,
                url,
                json=body if method == "POST" else None,
                headers=tokens.headers(role, sub=f"matrix-{role}"),
            )
            if role in allowed and r.status_code in (401, 403):
                mismatches.append(f"{method} {path} {role}: {r.status_code}, verwacht toegang")
            if role not in allowed and r.status_code != 403:
                mismatches.append(f"{method} {path} {role}: {r.status_code}, verwacht 403")
    assert not mismatches, "\n".join(mismatches)
