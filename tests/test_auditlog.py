"""`GET {base}/auditlog` on every service: the audit log for beheerder, filtered and paged,
with the state of the chain's verification; reading it is audited too."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text

from integriteit_dev.testing.services import RunningService, TokenFactory
from integriteit_shared.crypto.audit import (
    AuditEntry,
    IncrementalVerifier,
    audit_log_ddl_guard,
    audit_log_ddl_guard_drop,
    record_audit,
)

SERVICES = ("meldpunt", "vertrouwenspersonen", "klachten", "rapportage")
BEHEERDER = "beheerder-1"


async def lees(svc: RunningService, headers: dict[str, str], **params: Any) -> Any:
    return await svc.client.get(f"{svc.base}/auditlog", headers=headers, params=params)


async def schrijf(svc: RunningService, *entries: tuple[str, str, str, str]) -> None:
    """Audit entries as the service's own code writes them (actor, action, type, id)."""
    async with svc.app.state.db.transaction() as s:
        for actor, action, object_type, object_id in entries:
            await record_audit(
                s,
                actor=actor,
                action=action,
                object_type=object_type,
                object_id=object_id,
                fields=["tekst"],
            )


async def knoei(svc: RunningService, entry_id: int) -> None:
    """Change an entry behind the service's back, as the database's owner could: the table
    refuses UPDATE, so its triggers are switched off for this one statement."""
    async with svc.app.state.db.transaction() as s:
        dialect = (await s.connection()).dialect.name
        if dialect == "postgresql":
            await s.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for statement in audit_log_ddl_guard_drop(dialect):
                await s.execute(text(statement))
        await s.execute(
            text("UPDATE audit_log SET actor = 'iemand-anders' WHERE id = :id"), {"id": entry_id}
        )
        if dialect != "postgresql":
            for statement in audit_log_ddl_guard(dialect):
                await s.execute(text(statement))


@pytest.mark.parametrize("service", SERVICES)
async def test_every_service_shows_its_audit_log_to_beheerder_only_and_audits_the_read(
    service: str, service_factory: Any, tokens: TokenFactory
) -> None:
    svc = await service_factory(service)
    beheerder = tokens.headers("beheerder", sub=BEHEERDER)
    r = await lees(svc, beheerder)
    assert r.status_code == 200, r.text
    assert r.json()["verificatie"]["status"] == "ok"
    for rol in ("coid_adviseur", "coid_coordinator", "klachtbehandelaar", "rapportage_lezer"):
        assert (await lees(svc, tokens.headers(rol))).status_code == 403, rol
    assert (await lees(svc, {})).status_code == 401
    # the first read is in the log the second read shows
    r = await lees(svc, beheerder, objectType="auditlog")
    assert r.status_code == 200, r.text
    regels = r.json()["regels"]
    assert [(x["actor"], x["actie"], x["objectId"], x["velden"]) for x in regels] == [
        (BEHEERDER, "lezen", "*", ["auditlog"])
    ]
    assert r.json()["verificatie"]["laatsteVolgnummer"] == 1


async def test_filters_paging_and_the_melder_without_identity(
    service_factory: Any, tokens: TokenFactory
) -> None:
    svc = await service_factory("meldpunt")
    beheerder = tokens.headers("beheerder", sub=BEHEERDER)
    await schrijf(
        svc,
        ("adviseur-1", "lezen", "notities", "m-1"),
        ("adviseur-2", "lezen", "notities", "m-2"),
        ("volgsessie:0f1e2d3c", "lezen", "berichten", "m-1"),
        ("melder", "schrijven", "berichten", "m-1"),
        ("adviseur-1", "schrijven", "notities", "m-1"),
    )

    def paren(r: Any) -> list[tuple[str, str, str]]:
        return [(x["actor"], x["objectType"], x["objectId"]) for x in r.json()["regels"]]

    r = await lees(svc, beheerder, objectId="m-1")
    assert paren(r) == [
        ("adviseur-1", "notities", "m-1"),
        ("melder", "berichten", "m-1"),
        ("melder", "berichten", "m-1"),
        ("adviseur-1", "notities", "m-1"),
    ]
    assert "volgsessie" not in r.text
    r = await lees(svc, beheerder, objectType="notities", actor="adviseur-1")
    assert paren(r) == [("adviseur-1", "notities", "m-1"), ("adviseur-1", "notities", "m-1")]
    # `melder` selects every way a melder is recorded, a session id nothing more
    assert len((await lees(svc, beheerder, actor="melder")).json()["regels"]) == 2
    assert len((await lees(svc, beheerder, actor="volgsessie:0f1e2d3c")).json()["regels"]) == 2
    # a period: by moment (exclusive end) or by date (inclusive, Amsterdam days)
    async with svc.app.state.db.transaction() as s:
        momenten = list(await s.scalars(select(AuditEntry.occurred_at).order_by(AuditEntry.id)))
    r = await lees(svc, beheerder, vanaf=momenten[1].isoformat(), tot=momenten[3].isoformat())
    assert paren(r) == [("adviseur-2", "notities", "m-2"), ("melder", "berichten", "m-1")]
    vandaag = momenten[0].date().isoformat()
    r = await lees(svc, beheerder, vanaf="2001-01-01", tot="2001-12-31")
    assert r.status_code == 200 and paren(r) == []
    r = await lees(svc, beheerder, objectType="notities", tot="2100-01-01", vanaf=vandaag)
    assert len(paren(r)) == 3

    # paged: Link and X-Total-Count; the reads so far are entries too (5 written + 7 read)
    r = await lees(svc, beheerder, pageSize=5, page=2)
    assert r.status_code == 200, r.text
    assert r.headers["X-Total-Count"] == "12"
    assert [x["volgnummer"] for x in r.json()["regels"]] == [6, 7, 8, 9, 10]
    assert 'rel="next"' in r.headers["Link"] and 'rel="prev"' in r.headers["Link"]
    # each read recorded which filters it used, never their values (bar the object's id)
    gelezen = [x for x in r.json()["regels"] if x["objectType"] == "auditlog"]
    assert [(x["objectId"], x["velden"]) for x in gelezen[:2]] == [
        ("m-1", ["auditlog", "objectId"]),
        ("*", ["auditlog", "objectType", "actor"]),
    ]


async def test_bad_filters_are_400_naming_every_field(
    service_factory: Any, tokens: TokenFactory
) -> None:
    svc = await service_factory("klachten")
    beheerder = tokens.headers("beheerder", sub=BEHEERDER)
    r = await lees(
        svc,
        beheerder,
        vanaf="gisteren",
        tot="2026-12-01T10:00:00",  # a moment needs its offset
        objectType="",
        actor="x" * 201,
        pageSize=0,
    )
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/problem+json"
    namen = {p["name"] for p in r.json()["invalidParams"]}
    assert namen == {"vanaf", "tot", "objectType", "actor", "pageSize"}
    r = await lees(svc, beheerder, vanaf="2026-12-02", tot="2026-12-01")
    assert r.status_code == 400
    assert [p["name"] for p in r.json()["invalidParams"]] == ["tot"]
    r = await lees(svc, beheerder, vanaf="1999-12-31")
    assert r.status_code == 400
    # nothing was read, so nothing was audited
    async with svc.app.state.db.transaction() as s:
        assert list(await s.scalars(select(AuditEntry))) == []


async def test_a_tampered_entry_shows_as_a_broken_chain(
    service_factory: Any, tokens: TokenFactory
) -> None:
    svc = await service_factory("vertrouwenspersonen")
    beheerder = tokens.headers("beheerder", sub=BEHEERDER)
    await schrijf(svc, *[("vp-1", "lezen", "casus", f"c-{i}") for i in range(3)])
    assert (await lees(svc, beheerder)).json()["verificatie"]["status"] == "ok"
    # an entry added after the last check, then changed: the next read checks only the
    # new entries, and finds it
    await schrijf(svc, ("vp-2", "lezen", "casus", "c-9"))
    async with svc.app.state.db.transaction() as s:
        nieuw = await s.scalar(select(AuditEntry.id).where(AuditEntry.object_id == "c-9"))
    assert nieuw is not None
    await knoei(svc, nieuw)
    r = await lees(svc, beheerder)
    assert r.status_code == 200, r.text
    verificatie = r.json()["verificatie"]
    assert verificatie["status"] == "gebroken"
    assert verificatie["eersteFouteId"] == nieuw
    assert "changed" in verificatie["reden"]
    # the entries are still shown, as they are now
    assert "iemand-anders" in [x["actor"] for x in r.json()["regels"]]
    # and it stays broken on later reads
    assert (await lees(svc, beheerder)).json()["verificatie"]["status"] == "gebroken"


async def test_an_entry_changed_after_it_was_checked_shows_at_the_next_full_walk(
    service_factory: Any,
) -> None:
    """The verifier is bounded per call: `step` entries at most, then it goes on from there
    at the next; every `rewalk_after_s` it starts again from the first entry."""
    svc = await service_factory("klachten")
    await schrijf(svc, *[("kb-1", "lezen", "klacht", f"k-{i}") for i in range(5)])
    nu = [0.0]
    verifier = IncrementalVerifier(step=2, rewalk_after_s=60.0, clock=lambda: nu[0])
    db = svc.app.state.db
    standen = []
    for _ in range(3):
        async with db.transaction() as s:
            state = await verifier.advance(s)
        standen.append((state.complete, state.verification.ok, state.verification.checked))
    assert standen == [(False, True, 2), (False, True, 4), (True, True, 5)]
    async with db.transaction() as s:
        eerste = await s.scalar(select(AuditEntry.id).order_by(AuditEntry.id).limit(1))
    assert eerste is not None
    await knoei(svc, eerste)
    async with db.transaction() as s:
        assert (await verifier.advance(s)).verification.ok  # checked already: not yet seen
    nu[0] = 61.0
    async with db.transaction() as s:
        state = await verifier.advance(s)
    assert not state.verification.ok and state.verification.first_bad_id == eerste
