"""Anonymous follow-up end to end: intake → volgsessie → berichten both ways → status."""

from __future__ import annotations

from meldpunt.volgsessie.models import Volgsessie

from .conftest import Api


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_anonymous_melder_follows_up_and_reaches_nothing_else(api: Api) -> None:
    m = await api.anoniem_melden()
    ander = await api.anoniem_melden()
    # the volgcode opens a session, however the melder types it
    r = await api.post("/volgsessies", {"volgcode": m["volgcode"].lower().replace("-", " ")})
    assert r.status_code == 201, r.text
    sessie = r.json()
    assert sessie["meldingId"] == m["id"] and sessie["token"].startswith("vs_")
    melder = bearer(sessie["token"])

    # melder writes, adviser reads and answers, melder reads both
    r = await api.post(f"/meldingen/{m['id']}/berichten", {"tekst": "Is er nieuws?"}, melder)
    assert r.status_code == 201 and r.json()["afzender"] == "melder"
    r = await api.get(f"/meldingen/{m['id']}/berichten", api.adviseur)
    assert [b["tekst"] for b in r.json()] == ["Is er nieuws?"]
    r = await api.post(
        f"/meldingen/{m['id']}/berichten", {"tekst": "We zijn ermee bezig."}, api.adviseur
    )
    assert r.status_code == 201 and r.json()["afzender"] == "adviseur"
    r = await api.get(f"/meldingen/{m['id']}/berichten", melder)
    assert [(b["afzender"], b["tekst"]) for b in r.json()] == [
        ("melder", "Is er nieuws?"),
        ("adviseur", "We zijn ermee bezig."),
    ]
    # both writes of a bericht are in the audit log, by field name
    geschreven = [
        (e.actor == "adviseur-1", e.fields)
        for e in await api.audit("schrijven")
        if e.object_type == "berichten" and e.object_id == m["id"]
    ]
    assert geschreven == [(False, "tekst"), (True, "tekst")]

    # the status follows the handling; the melder sees only status and clocks
    await api.stap(m["id"], "ontvangstbevestiging")
    r = await api.get(f"/meldingen/{m['id']}", melder)
    assert r.status_code == 200
    status = r.json()
    assert status["status"] == "ontvangst_bevestigd"
    assert set(status) == {
        "id",
        "referentie",
        "status",
        "ontvangenOp",
        "termijnen",
        "terugkoppelingDatum",
    }

    # nothing else is reachable with this token
    assert (await api.get(f"/meldingen/{ander['id']}", melder)).status_code == 404
    assert (await api.get(f"/meldingen/{ander['id']}/berichten", melder)).status_code == 404
    r = await api.post(f"/meldingen/{ander['id']}/berichten", {"tekst": "x"}, melder)
    assert r.status_code == 404
    assert (await api.get("/meldingen", melder)).status_code == 401
    r = await api.post(f"/meldingen/{m['id']}/ontvangstbevestiging", {}, melder)
    assert r.status_code == 401
    assert (await api.get("/termijnbewaking", melder)).status_code == 401


async def test_wrong_and_unknown_codes_get_the_same_answer(api: Api) -> None:
    m = await api.anoniem_melden()
    code = m["volgcode"]
    fout = code[:-1] + ("A" if code[-1] != "A" else "B")
    r1 = await api.post("/volgsessies", {"volgcode": fout})
    r2 = await api.post("/volgsessies", {"volgcode": "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"})
    assert r1.status_code == r2.status_code == 404
    assert r1.json() == r2.json()
    assert await api.count(Volgsessie) == 0


async def test_named_melding_has_no_volgcode_route(api: Api) -> None:
    m = await api.melden()
    assert m.get("volgcode") is None


async def test_volgsessie_attempts_are_rate_limited(service_factory, tokens) -> None:
    api = Api(await service_factory("meldpunt", volgsessie_pogingen_limiet=3), tokens)
    m = await api.anoniem_melden()
    for _ in range(3):
        r = await api.post("/volgsessies", {"volgcode": "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"})
        assert r.status_code == 404
    r = await api.post("/volgsessies", {"volgcode": m["volgcode"]})  # even the right one
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0


async def test_unknown_or_expired_session_token_is_401(service_factory, tokens) -> None:
    api = Api(await service_factory("meldpunt", volgsessie_geldigheid_s=0), tokens)
    m = await api.anoniem_melden()
    token = (await api.post("/volgsessies", {"volgcode": m["volgcode"]})).json()["token"]
    assert (await api.get(f"/meldingen/{m['id']}", bearer(token))).status_code == 401
    r = await api.get(f"/meldingen/{m['id']}", bearer("vs_verzonnen"))
    assert r.status_code == 401
    # opening a new session removes the expired ones: no dead tokens pile up
    assert await api.count(Volgsessie) == 1
    await api.post("/volgsessies", {"volgcode": m["volgcode"]})
    assert await api.count(Volgsessie) == 1


async def test_empty_or_too_long_bericht_is_400(api: Api) -> None:
    m = await api.anoniem_melden()
    token = (await api.post("/volgsessies", {"volgcode": m["volgcode"]})).json()["token"]
    for tekst in ("", "x" * 5001):
        r = await api.post(f"/meldingen/{m['id']}/berichten", {"tekst": tekst}, bearer(token))
        assert r.status_code == 400
        assert r.json()["invalidParams"][0]["name"] == "tekst"


async def test_an_anonymous_melder_sees_unread_messages_when_opening_the_volgsessie(
    api: Api,
) -> None:
    """No address, so no mail: the count of unread messages is where they learn of one."""
    m = await api.anoniem_melden()
    r = await api.post("/volgsessies", {"volgcode": m["volgcode"]})
    assert r.json()["ongelezenBerichten"] == 0
    for tekst in ("Wilt u reageren?", "Nog één vraag."):
        r = await api.post(f"/meldingen/{m['id']}/berichten", {"tekst": tekst}, api.adviseur)
        assert r.status_code == 201
    r = await api.post("/volgsessies", {"volgcode": m["volgcode"]})
    assert r.status_code == 201
    assert r.json()["ongelezenBerichten"] == 2
    await api.get(f"/meldingen/{m['id']}/berichten", bearer(r.json()["token"]))
    r = await api.post("/volgsessies", {"volgcode": m["volgcode"]})
    assert r.json()["ongelezenBerichten"] == 0  # read now
