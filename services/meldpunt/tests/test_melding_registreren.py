"""POST /meldingen: named and anonymous intake, references, deadlines, refusals."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from integriteit_shared.crypto.audit import AuditQueued, verify_audit_chain
from integriteit_shared.messaging.models import OutboxMessage
from meldpunt.melding.models import Melding, MeldingReferentieTeller
from meldpunt.termijnen import add_months, vandaag

from .conftest import MELDER, OMSCHRIJVING, PERSOONSGEGEVENS, Api, middag


async def test_named_intake_gives_reference_deadlines_and_location(api: Api) -> None:
    r = await api.post("/meldingen", api.body(), api.h("medewerker", sub="mw-1"))
    assert r.status_code == 201, r.text
    m = r.json()
    jaar = vandaag().year
    assert m["referentie"] == f"MID-{jaar}-000001"
    assert m["status"] == "ontvangen"
    assert "volgcode" not in m or m["volgcode"] is None
    assert r.headers["Location"].endswith(f"/api/meldpunt/v1/meldingen/{m['id']}")
    assert m["termijnen"] == {
        "ontvangstbevestigingUiterlijk": (vandaag() + timedelta(days=7)).isoformat(),
        "terugkoppelingUiterlijk": add_months(vandaag() + timedelta(days=7), 3).isoformat(),
    }
    assert "omschrijving" not in m and "melder" not in m


async def test_references_are_sequential_per_year(api: Api) -> None:
    jaar = vandaag().year
    refs = [(await api.melden())["referentie"] for _ in range(3)]
    oud = await api.melden(ontvangenOp="2023-12-31T23:30:00+00:00")  # 1 Jan 2024 in NL
    assert refs == [f"MID-{jaar}-00000{i}" for i in (1, 2, 3)]
    assert oud["referentie"] == "MID-2024-000001"


async def test_refused_intake_does_not_burn_a_number(api: Api) -> None:
    await api.melden()
    r = await api.post("/meldingen", api.body(subcategorie="pesten", hoofdcategorie="overig"))
    assert r.status_code == 400
    r = await api.post("/meldingen", api.body(anoniem=True), api.adviseur)  # melder + anoniem
    assert r.status_code == 400
    assert (await api.melden())["referentie"].endswith("-000002")


async def test_anonymous_intake_gets_a_volgcode_stored_only_as_a_hash(api: Api) -> None:
    m = await api.anoniem_melden()
    code = m["volgcode"]
    assert len(code.replace("-", "")) >= 20
    row = await api.melding_row(m["id"])
    assert row.geregistreerd_door is None
    assert row.volgcode_hash is not None and row.volgcode_hash.startswith("$argon2")
    assert code not in row.volgcode_hash and code.replace("-", "") not in row.volgcode_hash
    assert row.melder is None


async def test_staff_filing_anonymously_is_not_linked_to_the_melding(api: Api) -> None:
    m = await api.melden(api.h("medewerker", sub="mw-geheim"), anoniem=True, melder=None)
    assert m["volgcode"]
    assert (await api.melding_row(m["id"])).geregistreerd_door is None


async def test_protected_text_is_encrypted_at_rest(api: Api) -> None:
    m = await api.melden()
    async with api.svc.app.state.db.transaction() as s:
        row = (
            await s.execute(
                text("SELECT omschrijving, melder FROM meldingen WHERE id = :id"), {"id": m["id"]}
            )
        ).one()
    dump = " ".join(str(v) for v in row)
    for fragment in PERSOONSGEGEVENS:
        assert fragment not in dump
    assert row[0].startswith("v1.")


async def test_adviser_registers_a_past_phone_intake_with_its_real_receipt(api: Api) -> None:
    m = await api.melden(ontvangenOp=middag(10))
    ontvangen = vandaag() - timedelta(days=10)
    assert m["ontvangenOp"].startswith((ontvangen).isoformat()) or m["ontvangenOp"][:10] == (
        ontvangen.isoformat()
    )
    assert (
        m["termijnen"]["ontvangstbevestigingUiterlijk"]
        == (ontvangen + timedelta(days=7)).isoformat()
    )
    assert m["ontvangenOp"].endswith("Z") or m["ontvangenOp"].endswith("+00:00")


async def test_leidinggevende_registers_through_the_chain_of_command(api: Api) -> None:
    r = await api.post(
        "/meldingen",
        api.body(kanaal="leidinggevende", ontvangenOp=middag(1)),
        api.h("leidinggevende", sub="lg-1"),
    )
    assert r.status_code == 201, r.text
    assert r.json()["kanaal"] == "leidinggevende"


@pytest.mark.parametrize(
    ("role", "extra", "field"),
    [
        (None, {"ontvangenOp": "2024-01-01T10:00:00+01:00"}, "ontvangenOp"),
        ("medewerker", {"ontvangenOp": "2024-01-01T10:00:00+01:00"}, "ontvangenOp"),
        (None, {"kanaal": "leidinggevende"}, "kanaal"),
        ("medewerker", {"kanaal": "leidinggevende"}, "kanaal"),
        (None, {"anoniem": False}, "anoniem"),
    ],
)
async def test_who_may_set_what_at_intake(
    api: Api, role: str | None, extra: dict[str, object], field: str
) -> None:
    headers = api.h(role) if role else {}
    body = api.body(anoniem=True, melder=None)
    body.update(extra)
    r = await api.post("/meldingen", body, headers)
    assert r.status_code == 400, r.text
    assert field in [p["name"] for p in r.json()["invalidParams"]]
    assert await api.count(Melding) == 0


async def test_bad_input_lists_every_field_and_writes_nothing(api: Api) -> None:
    morgen = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    body = {
        "kanaal": "email",
        "defensieonderdeel": "NAVO",
        "hoofdcategorie": "ongewenst_gedrag",
        "subcategorie": "financiele_schendingen",
        "omschrijving": "",
        "anoniem": False,
        "datumVoorval": (date.today() + timedelta(days=5)).isoformat(),
        "melder": {"naam": "X", "email": "geen-mail"},
        "ontvangenOp": morgen,
        "onbekend": 1,
    }
    r = await api.post("/meldingen", body, api.adviseur)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    names = {p["name"] for p in r.json()["invalidParams"]}
    assert {
        "kanaal",
        "defensieonderdeel",
        "subcategorie",
        "omschrijving",
        "datumVoorval",
        "melder.email",
        "ontvangenOp",
        "onbekend",
    } <= names
    assert await api.count(Melding) == 0
    assert await api.count(OutboxMessage) == 0
    assert await api.count(MeldingReferentieTeller) == 0
    assert await api.count(AuditQueued) == 0
    assert await api.audit() == []


async def test_anonymous_intake_with_melder_is_refused(api: Api) -> None:
    r = await api.post("/meldingen", api.body(anoniem=True, melder=MELDER))
    assert r.status_code == 400
    assert [p["name"] for p in r.json()["invalidParams"]] == ["melder"]


async def test_anonymous_intake_is_rate_limited_per_client(service_factory, tokens) -> None:
    api = Api(await service_factory("meldpunt", anonieme_meldingen_limiet=2), tokens)
    for _ in range(2):
        await api.anoniem_melden()
    r = await api.post("/meldingen", api.body(anoniem=True, melder=None))
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0
    assert r.headers["content-type"].startswith("application/problem+json")
    assert await api.count(Melding) == 2
    # staff intake is not limited by the anonymous counter
    assert (await api.melden())["status"] == "ontvangen"


async def test_omschrijving_round_trips_to_the_adviser(api: Api) -> None:
    m = await api.melden()
    r = await api.get(f"/meldingen/{m['id']}", api.adviseur)
    assert r.json()["omschrijving"] == OMSCHRIJVING
    # need to know: the detail only says there is a melder; melder-inzage says who
    assert "melder" not in r.json() and r.json()["melderBekend"] is True
    r = await api.post(
        f"/meldingen/{m['id']}/melder-inzage",
        {"reden": "Hoor en wederhoor"},
        api.h("coid_coordinator", sub="coordinator-1"),
    )
    assert r.status_code == 200, r.text
    assert r.json() == MELDER


async def test_concurrent_intakes_get_unique_gapless_references(api: Api) -> None:
    responses = await asyncio.gather(
        *(api.post("/meldingen", api.body(), api.adviseur) for _ in range(8))
    )
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    nummers = sorted(int(r.json()["referentie"][-6:]) for r in responses)
    assert nummers == list(range(1, 9))


async def test_every_intake_writes_an_audit_entry_of_its_protected_text(api: Api) -> None:
    door_adviseur = await api.melden()
    anoniem = await api.anoniem_melden()
    # a medewerker who files anonymously is not named in the log either
    anoniem_met_token = await api.melden(
        api.h("medewerker", sub="medewerker-7"), anoniem=True, melder=None
    )
    responses = await asyncio.gather(
        *(api.post("/meldingen", api.body(), api.h("medewerker", sub="mw-9")) for _ in range(6))
    )
    assert all(r.status_code == 201 for r in responses)

    entries = await api.audit("schrijven")
    per_melding = {e.object_id: e for e in entries}
    assert len(entries) == len(per_melding) == 9  # one per intake, none twice
    e = per_melding[door_adviseur["id"]]
    assert (e.actor, e.object_type, e.fields) == ("adviseur-1", "melding", "omschrijving,melder")
    assert e.request_id
    for m in (anoniem, anoniem_met_token):
        assert (per_melding[m["id"]].actor, per_melding[m["id"]].fields) == (
            "anoniem",
            "omschrijving",
        )
    for r in responses:
        # a medewerker's own melding: the log does not name them (only the keyed hash
        # links them to it)
        assert per_melding[r.json()["id"]].actor == "melder"
    # the log holds names of fields, never their values, and its chain is whole
    for entry in entries:
        assert not any(p in repr(vars(entry)) for p in PERSOONSGEGEVENS)
    async with api.svc.app.state.db.transaction() as s:
        result = await verify_audit_chain(s)
    assert result.ok and result.checked == 9
    assert await api.count(AuditQueued) == 0
