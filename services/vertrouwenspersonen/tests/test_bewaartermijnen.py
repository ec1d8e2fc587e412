"""Retention of casus notes: a year after the casus is afgesloten the note is gone from
the database (its data key destroyed), the casus and its events stay."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text

from integriteit_shared.bewaartermijnen import bewaartermijnen_toepassen
from integriteit_shared.crypto.audit import AuditKeys, verify_audit_chain
from vertrouwenspersonen.bewaren import BEWAARREGELS

MARKER = "marker-casusnotitie-9034"


async def test_casus_note_is_destroyed_after_its_period(vp, tokens, outbox) -> None:
    adviseur = tokens.headers("vertrouwenspersoon", onderdeel="CZSK", sub="vp-cees")
    ids = []
    for datum in ("2024-03-01", "2024-03-02"):
        r = await vp.client.post(
            f"{vp.base}/casussen",
            json={
                "defensieonderdeel": "CZSK",
                "datum": datum,
                "hoofdcategorie": "zakelijke_integriteit",
                "subcategorie": "misbruik_positie",
                "notitie": MARKER,
            },
            headers=adviseur,
        )
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    weg, open_ = ids
    r = await vp.client.post(
        f"{vp.base}/casussen/{weg}/afsluiting", json={"datum": "2024-04-02"}, headers=adviseur
    )
    assert r.status_code == 200, r.text
    events_voor = await outbox(vp)

    db = vp.app.state.db
    op = date(2024, 4, 2) + timedelta(days=365)
    gedaan = await bewaartermijnen_toepassen(db, vp.settings, BEWAARREGELS, op=op)
    assert gedaan is not None and [v.object_id for v in gedaan] == [weg]

    async with db.transaction() as s:
        rows = (await s.execute(text("SELECT * FROM casussen"))).all()
        sleutels = (await s.execute(text("SELECT id, sleutel FROM gegevenssleutels"))).all()
    alles = repr(rows)
    assert MARKER not in alles
    assert dict(sleutels)[f"casussen:{weg}"] is None
    assert dict(sleutels)[f"casussen:{open_}"] is not None
    r = await vp.client.get(f"{vp.base}/casussen/{weg}", headers=adviseur)
    assert r.status_code == 200 and r.json()["notitie"] == "[vernietigd]"
    assert r.json()["afsluitdatum"] == "2024-04-02"
    r = await vp.client.get(f"{vp.base}/casussen/{open_}", headers=adviseur)
    assert r.json()["notitie"] == MARKER
    assert await outbox(vp) == events_voor
    async with db.transaction() as s:
        keys = AuditKeys.from_setting(vp.settings.audit_keys)
        assert (await verify_audit_chain(s, keys=keys)).ok
