"""A vertrouwenspersoon registers anonymous casussen; the private note stays theirs."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select, text

from integriteit_shared.crypto.audit import AuditEntry, verify_audit_chain
from vertrouwenspersonen.casus.models import Casus

NOTITIE = "Gesprek met korporaal J. de Vries over pesterijen door zijn sergeant"


def casus_body(**kw: object) -> dict:
    body: dict[str, object] = {
        "defensieonderdeel": "CLSK",
        "datum": "2024-05-14",
        "hoofdcategorie": "ongewenst_gedrag",
        "subcategorie": "pesten",
    }
    body.update(kw)
    return body


async def audit_rows(vp) -> list[AuditEntry]:
    async with vp.app.state.db.transaction() as s:
        return list((await s.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars())


async def test_casus_met_notitie_registreren_en_terugzien(vp, tokens, outbox):
    adviseur = tokens.headers("vertrouwenspersoon", onderdeel="CLSK", sub="vp-anna")
    r = await vp.client.post(
        f"{vp.base}/casussen", json=casus_body(notitie=NOTITIE), headers=adviseur
    )
    assert r.status_code == 201, r.text
    casus = r.json()
    assert casus == {
        "id": casus["id"],
        "defensieonderdeel": "CLSK",
        "datum": "2024-05-14",
        "hoofdcategorie": "ongewenst_gedrag",
        "subcategorie": "pesten",
        "status": "open",
        "afsluitdatum": None,
        "doorverwezenNaar": None,
        "heeftNotitie": True,
    }
    assert r.headers["Location"].endswith(f"/casussen/{casus['id']}")

    # the note is stored encrypted: the raw column is cipher text, not the note
    async with vp.app.state.db.transaction() as s:
        raw = (
            await s.execute(
                text("SELECT notitie FROM casussen WHERE id = :id"), {"id": casus["id"]}
            )
        ).scalar_one()
    assert raw.startswith("v1.")
    assert NOTITIE not in raw and "Vries" not in raw

    # the list never carries notes; reading it audits nothing
    r = await vp.client.get(f"{vp.base}/casussen", headers=adviseur)
    assert r.status_code == 200
    assert [c["id"] for c in r.json()] == [casus["id"]]
    assert "notitie" not in r.json()[0]
    assert [a.action for a in await audit_rows(vp)] == ["schrijven"]

    # the author reads the note; each read is audited
    for _ in range(2):
        r = await vp.client.get(f"{vp.base}/casussen/{casus['id']}", headers=adviseur)
        assert r.status_code == 200
        assert r.json()["notitie"] == NOTITIE
    audit = await audit_rows(vp)
    assert [(a.action, a.actor, a.object_type, a.object_id, a.fields) for a in audit] == [
        ("schrijven", "vp-anna", "casus", casus["id"], "notitie"),
        ("lezen", "vp-anna", "casus", casus["id"], "notitie"),
        ("lezen", "vp-anna", "casus", casus["id"], "notitie"),
    ]
    assert all(a.request_id for a in audit)
    async with vp.app.state.db.transaction() as s:
        assert (await verify_audit_chain(s)).ok

    # the event carries exactly the contract's fields: no note, no adviser
    (event,) = await outbox(vp)
    assert event["type"] == "nl.integriteit.vertrouwenspersonen.casus-geregistreerd"
    assert event["data"] == {
        "casusId": casus["id"],
        "defensieonderdeel": "CLSK",
        "datum": "2024-05-14",
        "hoofdcategorie": "ongewenst_gedrag",
        "subcategorie": "pesten",
    }
    alles = repr(event)
    assert "vp-anna" not in alles and "Vries" not in alles and "v1." not in alles


async def test_een_andere_vertrouwenspersoon_ziet_de_casus_niet(vp, tokens):
    anna = tokens.headers("vertrouwenspersoon", onderdeel="CLSK", sub="vp-anna")
    bram = tokens.headers("vertrouwenspersoon", onderdeel="CLSK", sub="vp-bram")
    r = await vp.client.post(f"{vp.base}/casussen", json=casus_body(notitie=NOTITIE), headers=anna)
    casus_id = r.json()["id"]
    await vp.client.post(f"{vp.base}/casussen", json=casus_body(), headers=bram)

    r = await vp.client.get(f"{vp.base}/casussen/{casus_id}", headers=bram)
    assert r.status_code == 404
    assert NOTITIE not in r.text
    r = await vp.client.post(
        f"{vp.base}/casussen/{casus_id}/afsluiting", json={"datum": "2024-06-01"}, headers=bram
    )
    assert r.status_code == 404
    r = await vp.client.get(f"{vp.base}/casussen", headers=bram)
    assert casus_id not in {c["id"] for c in r.json()}
    assert len(r.json()) == 1

    # nothing was read, so nothing but Anna's write is in the audit log
    assert [(a.actor, a.action) for a in await audit_rows(vp)] == [("vp-anna", "schrijven")]
    r = await vp.client.get(f"{vp.base}/casussen/{casus_id}", headers=anna)
    assert r.json()["status"] == "open"


async def test_casus_zonder_notitie_leest_zonder_audit(vp, tokens):
    adviseur = tokens.headers("vertrouwenspersoon", sub="vp-defensie")
    r = await vp.client.post(
        f"{vp.base}/casussen",
        json=casus_body(
            defensieonderdeel="DOSCO", hoofdcategorie="overig", subcategorie="arbeidsconflict"
        ),
        headers=adviseur,
    )
    assert r.status_code == 201
    r = await vp.client.get(r.headers["Location"], headers=adviseur)
    assert r.json()["notitie"] is None
    assert r.json()["heeftNotitie"] is False
    assert await audit_rows(vp) == []


async def test_eigen_onderdeel_van_het_token(vp, tokens):
    clsk = tokens.headers("vertrouwenspersoon", onderdeel="CLSK", sub="vp-clsk")
    r = await vp.client.post(
        f"{vp.base}/casussen", json=casus_body(defensieonderdeel="KMAR"), headers=clsk
    )
    assert r.status_code == 403


async def test_ongeldige_invoer_noemt_alle_velden_en_schrijft_niets(vp, tokens, outbox):
    adviseur = tokens.headers("vertrouwenspersoon", onderdeel="CLSK", sub="vp-anna")
    morgen = (date.today() + timedelta(days=2)).isoformat()
    r = await vp.client.post(
        f"{vp.base}/casussen",
        json={
            "defensieonderdeel": "CLSK",
            "datum": morgen,
            "hoofdcategorie": "zakelijke_integriteit",
            "subcategorie": "pesten",
            "naamMelder": "Jan",
        },
        headers=adviseur,
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    assert sorted(p["name"] for p in r.json()["invalidParams"]) == [
        "datum",
        "naamMelder",
        "subcategorie",
    ]
    assert "Jan" not in r.text

    r = await vp.client.post(
        f"{vp.base}/casussen",
        json={"defensieonderdeel": "X", "hoofdcategorie": "iets", "subcategorie": "pesten"},
        headers=adviseur,
    )
    assert r.status_code == 400
    assert sorted(p["name"] for p in r.json()["invalidParams"]) == [
        "datum",
        "defensieonderdeel",
        "hoofdcategorie",
    ]
    r = await vp.client.post(f"{vp.base}/casussen", content=b"{niet json", headers=adviseur)
    assert r.status_code == 400

    async with vp.app.state.db.transaction() as s:
        assert await s.scalar(select(func.count()).select_from(Casus)) == 0
    assert await outbox(vp) == []
    assert await audit_rows(vp) == []
