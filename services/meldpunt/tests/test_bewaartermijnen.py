"""Retention: after its period a melding's personal data and text are gone from the
database and cannot be decrypted with the service key, a melding under legal hold keeps
them, the events (what the annual report is built from) are untouched, and the audit chain
still verifies with one entry per destruction."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text

from integriteit_shared.bewaartermijnen import BEWAAR_ACTOR, bewaartermijnen_toepassen
from integriteit_shared.crypto.audit import AuditKeys, verify_audit_chain
from integriteit_shared.crypto.fields import DecryptionError, FieldCipher
from integriteit_shared.crypto.gegevenssleutels import DATA_KEY_KID, Gegevenssleutel
from integriteit_shared.db.session import Database
from integriteit_shared.notificaties import MAILADRESSEN
from integriteit_shared.settings import DEV_ENCRYPTION_KEYS
from meldpunt.bewaren import BEWAARREGELS
from meldpunt.termijnen import vandaag

from .conftest import Api

# the rules of the case data (the mail queue's addresses have their own rule and test,
# test_herinneringen_klachten)
REGELS = tuple(r for r in BEWAARREGELS if r is not MAILADRESSEN)

MARKERS = {
    "melder": "marker-melder-7731@example.org",
    "omschrijving": "marker-omschrijving-4410",
    "bericht": "marker-bericht-2290",
    "notitie": "marker-notitie-8164",
    "bijlage": "marker-bijlage-5527",
    "toelichting": "marker-nazorg-toelichting-3391",
}
STAPPEN = (
    ("ontvangstbevestiging", {}),
    ("afdoening", {"afdoening": "gespreksbegeleiding"}),
    ("terugkoppeling", {}),
    ("afronding", {"conclusie": "geen_schending"}),
)


async def _volledige_melding(api: Api) -> str:
    m = await api.melden(
        omschrijving=f"Er speelt iets: {MARKERS['omschrijving']}",
        melder={"naam": "Mevrouw Test", "email": MARKERS["melder"], "telefoon": "0201234567"},
    )
    mid: str = m["id"]
    r = await api.post(f"/meldingen/{mid}/berichten", {"tekst": MARKERS["bericht"]}, api.adviseur)
    assert r.status_code == 201, r.text
    r = await api.post(f"/meldingen/{mid}/notities", {"tekst": MARKERS["notitie"]}, api.adviseur)
    assert r.status_code == 201, r.text
    r = await api.svc.client.post(
        api.url(f"/meldingen/{mid}/bijlagen"),
        files={"bestand": ("verslag.txt", MARKERS["bijlage"].encode(), "text/plain")},
        headers=api.adviseur,
    )
    assert r.status_code == 201, r.text
    for actie, body in STAPPEN:
        r = await api.stap(mid, actie, body)
        assert r.status_code == 200, r.text
    # the aftercare after the closing: the melder's account in the toelichting
    nazorg = {
        "datum": vandaag().isoformat(),
        "benadelingGemeld": True,
        "toelichting": MARKERS["toelichting"],
    }
    r = await api.post(f"/meldingen/{mid}/nazorg", nazorg, api.adviseur)
    assert r.status_code == 201, r.text
    return mid


async def _rijen(api: Api, melding_id: str) -> str:
    """Every stored value of the melding and its parts and keys, as one text."""
    delen: list[str] = []
    async with api.svc.app.state.db.transaction() as s:
        for tabel, kolom in (
            ("meldingen", "id"),
            ("berichten", "melding_id"),
            ("melding_notities", "melding_id"),
            ("bijlagen", "melding_id"),
            ("melding_nazorg", "melding_id"),
        ):
            rows = await s.execute(
                text(f"SELECT * FROM {tabel} WHERE {kolom} = :id"),  # noqa: S608
                {"id": melding_id},
            )
            delen.extend(repr(tuple(r)) for r in rows)
    return "\n".join(delen)


def _leesbaar(tekst: str) -> set[str]:
    """The markers readable in `tekst`, in clear or base64 (an attachment's bytes)."""
    b64 = base64.b64encode(MARKERS["bijlage"].encode()).decode()[:16]
    gevonden = {k for k, v in MARKERS.items() if v in tekst}
    return gevonden | ({"bijlage"} if b64 in tekst else set())


async def _backup(api: Api, melding_id: str) -> dict[str, str]:
    """The melding's cipher texts as a backup taken before the purge holds them."""
    async with api.svc.app.state.db.transaction() as s:
        omschrijving, melder = (
            await s.execute(
                text("SELECT omschrijving, melder FROM meldingen WHERE id = :id"),
                {"id": melding_id},
            )
        ).one()
        bericht = await s.scalar(
            text("SELECT tekst FROM berichten WHERE melding_id = :id"), {"id": melding_id}
        )
        contact_id, toelichting = (
            await s.execute(
                text(
                    "SELECT id, toelichting FROM melding_nazorg"
                    " WHERE melding_id = :id AND toelichting IS NOT NULL"
                ),
                {"id": melding_id},
            )
        ).one()
    return {
        "omschrijving": omschrijving,
        "melder": melder,
        "tekst": bericht,
        "toelichting": toelichting,
        "nazorg_id": contact_id,
    }


async def _ontsleutelbaar(api: Api, backup: dict[str, str], melding_id: str) -> set[str]:
    """What of the backup the service key decrypts, directly or through a data key the
    database still holds."""
    from integriteit_shared.crypto.gegevenssleutels import record_cipher

    cipher = FieldCipher.from_setting(DEV_ENCRYPTION_KEYS)
    aad = {
        "omschrijving": f"meldingen.omschrijving:{melding_id}",
        "melder": f"meldingen.melder:{melding_id}",
        "toelichting": f"melding_nazorg.toelichting:{backup['nazorg_id']}",
    }
    gelezen: set[str] = set()
    async with api.svc.app.state.db.transaction() as s:
        rc = await record_cipher(s, cipher, f"meldingen:{melding_id}", aanmaken=False)
    for veld in ("omschrijving", "melder", "toelichting"):
        try:
            cipher.decrypt(backup[veld], aad=aad[veld])
            gelezen.add(veld)
        except DecryptionError:
            pass
        if rc.decrypt(backup[veld], aad=aad[veld]) != "[vernietigd]":
            gelezen.add(veld)
    return gelezen


async def test_purge_destroys_text_keeps_held_melding_and_skeleton(api: Api, tokens: Any) -> None:
    weg = await _volledige_melding(api)
    bewaard = await _volledige_melding(api)
    coordinator = api.h("coid_coordinator", sub="coordinator-1")
    r = await api.post(f"/meldingen/{bewaard}/bewaarplicht", {"reden": "Rechtszaak"}, coordinator)
    assert r.status_code == 201, r.text
    r = await api.post(f"/meldingen/{bewaard}/bewaarplicht", {"reden": "Nogmaals"}, coordinator)
    assert r.status_code == 409
    # texts are under data keys, not under the service key
    assert f"v1.{DATA_KEY_KID}." in await _rijen(api, weg)
    assert _leesbaar(await _rijen(api, weg)) == set()

    db: Database = api.svc.app.state.db
    settings = api.svc.settings
    op = vandaag() + timedelta(days=5 * 365 + 1)
    plan = await bewaartermijnen_toepassen(db, settings, REGELS, dry_run=True, op=op)
    assert plan is not None
    assert {(v.soort, v.object_id) for v in plan} == {
        (soort, weg) for soort in ("meldingen", "berichten", "notities", "bijlagen")
    }
    events_voor = await api.outbox()
    backup = await _backup(api, weg)
    assert await _ontsleutelbaar(api, backup, weg) == {"omschrijving", "melder", "toelichting"}
    detail_voor = (await api.get(f"/meldingen/{weg}", api.adviseur)).json()

    # two replicas purge at once: one does the work, nothing is destroyed twice
    db2 = Database(settings.database_url)
    try:
        uitkomsten = await asyncio.gather(
            bewaartermijnen_toepassen(db, settings, REGELS, op=op),
            bewaartermijnen_toepassen(db2, settings, REGELS, op=op),
        )
    finally:
        await db2.dispose()
    gedaan = [v for u in uitkomsten if u for v in u]
    assert sorted(v.soort for v in gedaan) == ["berichten", "bijlagen", "meldingen", "notities"]
    assert await bewaartermijnen_toepassen(db, settings, REGELS, op=op) == []

    # gone from the database, and nothing left that the service key decrypts
    assert _leesbaar(await _rijen(api, weg)) == set()
    assert await _ontsleutelbaar(api, backup, weg) == set()
    # overwritten too, so a value from before data keys (under the service key) goes as well
    assert (await _backup(api, weg))["toelichting"] == "[vernietigd]"
    async with db.transaction() as s:
        sleutels = (
            await s.scalars(select(Gegevenssleutel).where(Gegevenssleutel.id.like(f"%:{weg}")))
        ).all()
    assert len(sleutels) == 4
    assert all(k.sleutel is None and k.vernietigd_op is not None for k in sleutels)

    # the held melding keeps everything
    adviseur = api.adviseur
    r = await api.get(f"/meldingen/{bewaard}", adviseur)
    assert MARKERS["omschrijving"] in r.json()["omschrijving"]
    r = await api.get(f"/meldingen/{bewaard}/berichten", adviseur)
    assert r.json()[0]["tekst"] == MARKERS["bericht"]
    r = await api.post(f"/meldingen/{bewaard}/melder-inzage", {"reden": "Controle"}, coordinator)
    assert r.json()["email"] == MARKERS["melder"]
    r = await api.get(f"/meldingen/{bewaard}/nazorg", adviseur)
    assert r.json()[0]["toelichting"] == MARKERS["toelichting"]
    assert MARKERS["toelichting"] not in await _rijen(api, bewaard)

    # the skeleton stays: same dates and codes, the text reads as destroyed
    detail_na = (await api.get(f"/meldingen/{weg}", adviseur)).json()
    assert detail_na["omschrijving"] == "[vernietigd]"
    assert (detail_voor["melderBekend"], detail_na["melderBekend"]) == (True, False)
    weg_velden = ("omschrijving", "melderBekend")
    assert {k: v for k, v in detail_na.items() if k not in weg_velden} == {
        k: v for k, v in detail_voor.items() if k not in weg_velden
    }
    r = await api.get(f"/meldingen/{weg}/berichten", adviseur)
    assert r.json()[0]["tekst"] == "[vernietigd]"
    r = await api.get(f"/meldingen/{weg}/notities", adviseur)
    assert r.json()[0]["tekst"] == "[vernietigd]"
    # the aftercare keeps its outcome; its toelichting is gone
    nazorg = (await api.get(f"/meldingen/{weg}/nazorg", adviseur)).json()
    assert [(c["status"], c["benadelingGemeld"]) for c in nazorg][:2] == [
        ("uitgevoerd", True),
        ("gepland", None),
    ]
    assert nazorg[0]["toelichting"] == "[vernietigd]"
    r = await api.post(f"/meldingen/{weg}/melder-inzage", {"reden": "Controle"}, coordinator)
    assert r.status_code == 404
    r = await api.post(f"/meldingen/{weg}/berichten", {"tekst": "Nog een vraag"}, adviseur)
    assert r.status_code == 409, r.text

    # no event emitted or changed: the annual report, built from them, is the same
    assert await api.outbox() == events_voor
    assert all(MARKERS[k] not in json.dumps(e) for e in events_voor for k in MARKERS)

    # one audit entry per destruction, and the chain verifies
    vernietigd = [e for e in await api.audit("vernietigd") if e.object_id == weg]
    assert {e.actor for e in vernietigd} == {BEWAAR_ACTOR} and len(vernietigd) == 4
    async with db.transaction() as s:
        controle = await verify_audit_chain(s, keys=AuditKeys.from_setting(settings.audit_keys))
    assert controle.ok

    # lifting the hold: the held melding's turn comes
    r = await api.svc.client.delete(
        api.url(f"/meldingen/{bewaard}/bewaarplicht"), headers=coordinator
    )
    assert r.status_code == 204
    r = await api.svc.client.delete(
        api.url(f"/meldingen/{bewaard}/bewaarplicht"), headers=coordinator
    )
    assert r.status_code == 409
    gedaan = await bewaartermijnen_toepassen(db, settings, REGELS, op=op)
    assert gedaan is not None and {v.object_id for v in gedaan} == {bewaard}
    assert _leesbaar(await _rijen(api, bewaard)) == set()


async def test_no_new_toelichting_once_the_melding_is_purged(api: Api) -> None:
    """The aftercare of a purged melding can still be recorded, but without a toelichting:
    the melding's key is gone (409), so nothing new is written that would outlive it."""
    m = await api.melden(melder={"naam": "Mevrouw Test", "email": MARKERS["melder"]})
    for actie, body in STAPPEN:
        r = await api.stap(m["id"], actie, body)
        assert r.status_code == 200, r.text
    op = vandaag() + timedelta(days=5 * 365 + 1)
    db: Database = api.svc.app.state.db
    gedaan = await bewaartermijnen_toepassen(db, api.svc.settings, REGELS, op=op)
    assert gedaan is not None and {(v.soort, v.object_id) for v in gedaan} == {
        ("meldingen", m["id"])
    }
    contact = {"datum": vandaag().isoformat(), "benadelingGemeld": False}
    pad = f"/meldingen/{m['id']}/nazorg"
    r = await api.post(pad, {**contact, "toelichting": MARKERS["toelichting"]}, api.adviseur)
    assert r.status_code == 409, r.text
    assert "bewaartermijn" in r.json()["detail"]
    r = await api.post(pad, contact, api.adviseur)
    assert r.status_code == 201, r.text
    assert r.json()["toelichting"] is None and r.json()["maanden"] == 3


async def test_hold_roles_and_scope(api: Api) -> None:
    m = await api.melden()
    pad = f"/meldingen/{m['id']}/bewaarplicht"
    r = await api.post(pad, {"reden": "x"}, api.adviseur)
    assert r.status_code == 403
    r = await api.post("/meldingen/onbekend/bewaarplicht", {"reden": "x"}, api.h("beheerder"))
    assert r.status_code == 404
    r = await api.post(pad, {"reden": ""}, api.h("beheerder"))
    assert r.status_code == 400
    # two at once: one hold, the other 409
    r1, r2 = await asyncio.gather(
        api.post(pad, {"reden": "Verzoek van de rechter"}, api.h("beheerder", sub="b-1")),
        api.post(pad, {"reden": "Verzoek van de rechter"}, api.h("beheerder", sub="b-1")),
    )
    assert sorted([r1.status_code, r2.status_code]) == [201, 409]
    r = r1 if r1.status_code == 201 else r2
    assert r.json()["door"] == "b-1" and r.json()["objectId"] == m["id"]
    async with api.svc.app.state.db.transaction() as s:
        opgeslagen = await s.scalar(text("SELECT reden FROM bewaarplichten"))
    assert "rechter" not in opgeslagen
    geplaatst = [e for e in await api.audit("bewaarplicht_geplaatst") if e.object_id == m["id"]]
    assert len(geplaatst) == 1


def _laatste(capsys: Any) -> Any:
    """The command's JSON answer: its last line of output (the service logs go there too)."""
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


async def test_command_line_dry_run_then_purge_then_audit_verify(
    api: Api, monkeypatch: Any, capsys: Any
) -> None:
    from integriteit_shared.cli import main

    mid = await _volledige_melding(api)
    await api.audit()  # the queued entries chained, as the service does
    monkeypatch.setenv("MELDPUNT_DATABASE_URL", api.svc.settings.database_url)
    for soort in ("MELDINGEN", "BERICHTEN", "NOTITIES", "BIJLAGEN", "VOLGCODES"):
        monkeypatch.setenv(f"MELDPUNT_BEWAARTERMIJN_{soort}_DAGEN", "0")
    capsys.readouterr()

    assert await asyncio.to_thread(main, ["bewaartermijnen", "meldpunt", "--dry-run"]) == 0
    plan = _laatste(capsys)
    assert {(v["soort"], v["id"]) for v in plan["teVernietigen"]} == {
        (s, mid) for s in ("meldingen", "berichten", "notities", "bijlagen")
    }
    assert (
        MARKERS["omschrijving"]
        in (await api.get(f"/meldingen/{mid}", api.adviseur)).json()["omschrijving"]
    )

    assert await asyncio.to_thread(main, ["bewaartermijnen", "meldpunt"]) == 0
    gedaan = _laatste(capsys)
    assert len(gedaan["vernietigd"]) == 4
    assert _leesbaar(await _rijen(api, mid)) == set()
    assert await asyncio.to_thread(main, ["bewaartermijnen", "meldpunt"]) == 0
    assert _laatste(capsys)["vernietigd"] == []

    assert await asyncio.to_thread(main, ["audit-verify", "meldpunt", "--zonder-anker"]) == 0
    assert _laatste(capsys)["ok"] is True
