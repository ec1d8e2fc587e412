"""The inzagelog of a melding: who read or changed its protected data, when and why, for
the behandelaar, a coordinator or a beheerder; a melder in it only as `melder`."""

from __future__ import annotations

from typing import Any

from .conftest import Api

REDEN_1 = "Wederhoor voorbereiden, marker-reden-eerste"
REDEN_2 = "Getuige benaderen, marker-reden-tweede"
MELDER_SUB = "mw-sub-5151"


def coordinator(api: Api, sub: str = "coordinator-1", **kw: Any) -> dict[str, str]:
    return api.h("coid_coordinator", sub=sub, **kw)


def adviseur(api: Api, sub: str, **kw: Any) -> dict[str, str]:
    return api.h("coid_adviseur", sub=sub, **kw)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def inzagelog(api: Api, mid: str, headers: dict[str, str], **params: Any) -> Any:
    await api.svc.app.state.audit_chainer.chain_all()  # what the service does every 0.25 s
    return await api.get(f"/meldingen/{mid}/inzagelog", headers, **params)


def regels(r: Any) -> list[tuple[str, str, str, str | None]]:
    return [(x["actor"], x["actie"], x["objectType"], x["reden"]) for x in r.json()]


async def test_the_inzagelog_lists_every_read_and_change_in_order_with_actors_and_reasons(
    api: Api,
) -> None:
    melder = api.h("medewerker", sub=MELDER_SUB)
    m = await api.melden(melder)  # under their own name: the melder is `melder`
    mid = m["id"]
    coord, beh = coordinator(api), adviseur(api, "adviseur-1")
    assert (
        await api.post(f"/meldingen/{mid}/toewijzing", {"behandelaar": "adviseur-1"}, coord)
    ).status_code == 200
    assert (await api.get(f"/meldingen/{mid}", beh)).status_code == 200  # reads omschrijving
    r = await api.post(f"/meldingen/{mid}/notities", {"tekst": "marker-notitie-1"}, beh)
    assert r.status_code == 201, r.text
    assert (await api.get(f"/meldingen/{mid}/notities", coord)).status_code == 200
    r = await api.post(f"/meldingen/{mid}/melder-inzage", {"reden": REDEN_1}, beh)
    assert r.status_code == 200, r.text
    r = await api.post(f"/meldingen/{mid}/berichten", {"tekst": "marker-bericht"}, beh)
    assert r.status_code == 201, r.text
    r = await api.get(f"/mijn/meldingen/{mid}/berichten", melder)
    assert r.status_code == 200, r.text
    r = await api.post(f"/meldingen/{mid}/melder-inzage", {"reden": REDEN_2}, coord)
    assert r.status_code == 200, r.text
    # another melding's reads are not in this one's log
    andere = await api.melden()
    assert (await api.get(f"/meldingen/{andere['id']}", beh)).status_code == 200

    r = await inzagelog(api, mid, beh)
    assert r.status_code == 200, r.text
    assert regels(r) == [
        ("melder", "schrijven", "melding", None),
        ("adviseur-1", "lezen", "melding", None),
        ("adviseur-1", "schrijven", "notities", None),
        ("coordinator-1", "lezen", "notities", None),
        ("adviseur-1", "melder-inzage", "melding", REDEN_1),
        ("adviseur-1", "schrijven", "berichten", None),
        ("melder", "lezen", "berichten", None),
        ("coordinator-1", "melder-inzage", "melding", REDEN_2),
    ]
    lijst = r.json()
    assert [x["moment"] for x in lijst] == sorted(x["moment"] for x in lijst)
    assert lijst[0]["velden"] == ["omschrijving", "melder"]
    assert all(x["objectId"] == mid for x in lijst)
    # the melder's sub is nowhere, nor the text of notes and messages
    assert MELDER_SUB not in r.text and "marker-notitie" not in r.text
    assert r.headers["X-Total-Count"] == "8"

    # reading the log is itself audited, with the reasons it decrypted, and shows in it
    r = await inzagelog(api, mid, coord, pageSize=3, page=3)
    assert r.status_code == 200, r.text
    assert regels(r) == [
        ("melder", "lezen", "berichten", None),
        ("coordinator-1", "melder-inzage", "melding", REDEN_2),
        ("adviseur-1", "lezen", "inzagelog", None),
    ]
    assert r.json()[2]["velden"] == ["inzagelog", "reden"]
    assert r.headers["X-Total-Count"] == "9"
    assert 'rel="prev"' in r.headers["Link"] and 'rel="next"' not in r.headers["Link"]
    gelezen = [e for e in await api.audit("lezen") if e.object_type == "inzagelog"]
    assert [(e.actor, e.object_id, e.fields) for e in gelezen] == [
        ("adviseur-1", mid, "inzagelog,reden"),
        ("coordinator-1", mid, "inzagelog,reden"),
    ]
    # the reasons stay encrypted in the database
    assert "marker-reden" not in await api.database_tekst()


async def test_a_melder_following_up_with_a_volgcode_is_shown_as_melder(api: Api) -> None:
    m = await api.anoniem_melden()
    mid = m["id"]
    sessie = (await api.post("/volgsessies", {"volgcode": m["volgcode"]})).json()
    r = await api.post(
        f"/meldingen/{mid}/berichten", {"tekst": "marker-vraag"}, bearer(sessie["token"])
    )
    assert r.status_code == 201, r.text
    assert (
        await api.get(f"/meldingen/{mid}/berichten", bearer(sessie["token"]))
    ).status_code == 200

    r = await inzagelog(api, mid, api.h("beheerder", sub="beheerder-1"))
    assert r.status_code == 200, r.text
    assert regels(r) == [
        ("melder", "schrijven", "melding", None),
        ("melder", "schrijven", "berichten", None),
        ("melder", "lezen", "berichten", None),
    ]
    assert "volgsessie" not in r.text and "anoniem" not in r.text
    # the log stores the session, the view never shows it
    assert any(e.actor.startswith("volgsessie:") for e in await api.audit())


async def test_only_those_who_handle_it_read_it_and_a_melding_out_of_reach_is_404(
    api: Api,
) -> None:
    m = await api.melden(api.adviseur, defensieonderdeel="CLSK")
    mid = m["id"]
    coord = coordinator(api)
    await api.post(f"/meldingen/{mid}/toewijzing", {"behandelaar": "adviseur-1"}, coord)
    r = await api.post(
        f"/meldingen/{mid}/uitsluitingen", {"sub": "coordinator-2", "reden": "Familie"}, coord
    )
    assert r.status_code == 201, r.text

    assert (await inzagelog(api, mid, adviseur(api, "adviseur-1"))).status_code == 200
    assert (await inzagelog(api, mid, coord)).status_code == 200
    assert (await inzagelog(api, mid, coordinator(api, onderdeel="CLSK"))).status_code == 200
    assert (await inzagelog(api, mid, api.h("beheerder", sub="beheerder-1"))).status_code == 200
    # outside the caller's scope, excluded from it, or not there at all: 404
    r = await inzagelog(api, mid, coordinator(api, onderdeel="CZSK"))
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert (await inzagelog(api, mid, coordinator(api, "coordinator-2"))).status_code == 404
    unknown = "00000000-0000-4000-8000-000000000000"
    assert (await inzagelog(api, unknown, coord)).status_code == 404
    # another adviser (not the behandelaar), other roles, no token
    assert (await inzagelog(api, mid, adviseur(api, "adviseur-2"))).status_code == 403
    for rol in ("coid_onderzoeker", "medewerker", "rapportage_lezer"):
        assert (await inzagelog(api, mid, api.h(rol))).status_code == 403, rol
    assert (await inzagelog(api, mid, {})).status_code == 401
    # nobody who was turned away left a read in the log
    gelezen = [e.actor for e in await api.audit("lezen") if e.object_type == "inzagelog"]
    assert gelezen == ["adviseur-1", "coordinator-1", "coordinator-1", "beheerder-1"]
