"""Retention of klachten: after the period the omschrijving and verdaging reden are gone
from the database, a klacht under legal hold keeps them, no event changes and the audit
chain still verifies."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text

from integriteit_shared.bewaartermijnen import bewaartermijnen_toepassen
from integriteit_shared.crypto.audit import AuditKeys, verify_audit_chain
from klachten.bewaren import BEWAARREGELS

MARKER = "marker-klacht-6612"
REDEN_MARKER = "marker-verdaging-3318"


async def _klacht(api) -> str:
    k = await api.indienen(omschrijving=f"Mijn klacht: {MARKER}")
    await api.stap(k["id"], "verdaging", {"weken": 2, "reden": f"Drukte {REDEN_MARKER}"})
    await api.stap(
        k["id"],
        "afhandeling",
        {"datum": "2024-04-10", "wijze": "informeel", "oordeel": "ingetrokken"},
    )
    return str(k["id"])


async def _rij(api, klacht_id: str) -> str:
    async with api.svc.app.state.db.transaction() as s:
        row = (
            await s.execute(text("SELECT * FROM klachten WHERE id = :id"), {"id": klacht_id})
        ).one()
    return repr(tuple(row))


async def _lees(api, klacht_id: str) -> dict:
    r = await api.svc.client.get(api.url(f"/klachten/{klacht_id}"), headers=api.kb)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_purge_of_klachten_with_a_hold(api) -> None:
    weg = await _klacht(api)
    bewaard = await _klacht(api)
    pad = f"/klachten/{bewaard}/bewaarplicht"
    r = await api.post(bewaard, "bewaarplicht", {"reden": "Bezwaar loopt"})
    assert r.status_code == 201, r.text
    assert (await api.post(bewaard, "bewaarplicht", {"reden": "x"})).status_code == 409
    assert (await api.post(bewaard, "bewaarplicht", {"reden": "x"}, api.cog)).status_code == 403
    assert MARKER not in await _rij(api, weg) and "v1.gs." in await _rij(api, weg)

    events_voor = await api.events()
    voor = await _lees(api, weg)
    op = date(2024, 4, 10) + timedelta(days=5 * 365)
    settings = api.svc.settings
    db = api.svc.app.state.db
    gedaan = await bewaartermijnen_toepassen(db, settings, BEWAARREGELS, op=op)
    assert gedaan is not None and [(v.soort, v.object_id) for v in gedaan] == [("klachten", weg)]

    rij = await _rij(api, weg)
    assert MARKER not in rij and REDEN_MARKER not in rij and "v1." not in rij
    na = await _lees(api, weg)
    assert na["omschrijving"] == "[vernietigd]"
    assert {k: v for k, v in na.items() if k not in ("omschrijving", "verdagingReden")} == {
        k: v for k, v in voor.items() if k not in ("omschrijving", "verdagingReden")
    }
    assert MARKER in (await _lees(api, bewaard))["omschrijving"]
    assert await api.events() == events_voor
    async with db.transaction() as s:
        assert (await verify_audit_chain(s, keys=AuditKeys.from_setting(settings.audit_keys))).ok

    r = await api.svc.client.delete(api.url(pad), headers=api.h("beheerder"))
    assert r.status_code == 204
    r = await api.svc.client.delete(api.url(pad), headers=api.h("beheerder"))
    assert r.status_code == 409
    gedaan = await bewaartermijnen_toepassen(db, settings, BEWAARREGELS, op=op)
    assert gedaan is not None and [v.object_id for v in gedaan] == [bewaard]
