"""POST /klachten: intake by a medewerker (now) or a klachtbehandelaar (paper, past)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from integriteit_dev.testing.services import problem_fields
from integriteit_shared.crypto.audit import AuditEntry
from integriteit_shared.crypto.gegevenssleutels import record_cipher
from integriteit_shared.kalender import vandaag
from integriteit_shared.messaging.models import OutboxMessage
from klachten.klacht.models import Klacht
from klachten.klacht.service import klacht_ref, omschrijving_aad

BODY = {
    "soort": "combinatie",
    "indiener": "oud_medewerker",
    "defensieonderdeel": "CLAS",
    "omschrijving": "Mijn sergeant J. de Vries scheldt mij dagelijks uit.",
}


async def test_medewerker_dient_eigen_klacht_in_met_termijn_van_zes_weken(api):
    r = await api.svc.client.post(
        api.url("/klachten"), json=BODY, headers=api.h("medewerker", sub="mw-42")
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert r.headers["location"].endswith(f"/api/klachten/v1/klachten/{body['id']}")
    assert body["status"] == "ingediend"
    assert body["termijnUiterlijk"] == (vandaag() + timedelta(weeks=6)).isoformat()
    ontvangen = datetime.fromisoformat(body["ontvangenOp"])
    assert body["ontvangenOp"].endswith("Z")
    assert abs(datetime.now(UTC) - ontvangen) < timedelta(minutes=1)
    # neither the free text nor the filer's identity is echoed
    assert "omschrijving" not in body
    assert "mw-42" not in r.text

    rij = await api.klacht_rij(body["id"])
    # a medewerker's own klacht names them nowhere in clear: only the keyed hash links it
    # to them (GET /mijn/klachten)
    assert rij.ingediend_door == "indiener"
    assert rij.indiener_koppeling is not None and "mw-42" not in rij.indiener_koppeling
    assert api.OMSCHRIJVING not in rij.omschrijving  # encrypted at rest
    # under the klacht's own data key, which the service key unwraps
    async with api.svc.app.state.db.transaction() as s:
        rc = await record_cipher(s, api.svc.app.state.cipher, klacht_ref(rij.id), aanmaken=False)
    assert rc.decrypt(rij.omschrijving, aad=omschrijving_aad(rij.id)) == api.OMSCHRIJVING
    audit = await api.audit()
    assert [(a.action, a.object_id, a.fields, a.actor) for a in audit] == [
        ("schrijven", body["id"], "omschrijving", "indiener")  # not the medewerker's sub
    ]


async def test_klacht_ingediend_event_draagt_precies_de_contractvelden(api):
    klacht = await api.indienen(ontvangen_op="2024-03-04T10:00:00+01:00")
    events = await api.events()
    assert events == [
        (
            "klacht-ingediend",
            {
                "klachtId": klacht["id"],
                "ontvangenOp": "2024-03-04T09:00:00Z",
                "soort": "ongewenst_gedrag",
                "indiener": "medewerker",
                "defensieonderdeel": "CLSK",
            },
        )
    ]
    async with api.svc.app.state.db.transaction() as s:
        raw = (await s.execute(select(OutboxMessage))).scalar_one()
    assert b"scheldt" not in raw.value and b"kb-1" not in raw.value
    assert dict(raw.headers)["ce_subject"] == klacht["id"]


async def test_klachtbehandelaar_registreert_papieren_klacht_met_verleden_ontvangst(api):
    klacht = await api.indienen(ontvangen_op="2024-03-04T10:00:00+01:00")
    assert klacht["ontvangenOp"] == "2024-03-04T09:00:00Z"
    assert klacht["termijnUiterlijk"] == "2024-04-15"


async def test_medewerker_mag_geen_ontvangenop_opgeven(api):
    r = await api.svc.client.post(
        api.url("/klachten"),
        json={**BODY, "ontvangenOp": api.middag(3)},
        headers=api.h("medewerker"),
    )
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    assert problem_fields(r.json()) == ["ontvangenOp"]
    assert await api.aantal(Klacht) == 0
    assert await api.aantal(OutboxMessage) == 0


async def test_ongeldige_invoer_noemt_alle_velden_en_schrijft_niets(api):
    morgen = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    r = await api.svc.client.post(
        api.url("/klachten"),
        json={
            "soort": "pesten",
            "indiener": "burger",
            "defensieonderdeel": "NAVO",
            "omschrijving": "   ",
            "ontvangenOp": morgen,
            "naam": "Jan",
        },
        headers=api.kb,
    )
    assert r.status_code == 400
    assert problem_fields(r.json()) == [
        "defensieonderdeel",
        "indiener",
        "naam",
        "omschrijving",
        "ontvangenOp",
        "soort",
    ]
    r = await api.svc.client.post(api.url("/klachten"), json={}, headers=api.kb)
    assert r.status_code == 400
    assert problem_fields(r.json()) == ["defensieonderdeel", "indiener", "omschrijving", "soort"]
    r = await api.svc.client.post(
        api.url("/klachten"), json={**BODY, "ontvangenOp": "2024-03-04T10:00:00"}, headers=api.kb
    )
    assert r.status_code == 400  # no offset: ambiguous moment
    assert problem_fields(r.json()) == ["ontvangenOp"]
    assert await api.aantal(Klacht) == 0
    assert await api.aantal(OutboxMessage) == 0
    assert await api.aantal(AuditEntry) == 0


async def test_klachtbehandelaar_van_ander_onderdeel_kan_niet_registreren(api):
    r = await api.svc.client.post(
        api.url("/klachten"), json=BODY, headers=api.h("klachtbehandelaar", onderdeel="CLSK")
    )
    assert r.status_code == 403
    assert await api.aantal(Klacht) == 0
