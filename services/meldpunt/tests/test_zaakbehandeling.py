"""Handling a case, from the users' side: the behandelaar, exclusions, the melder's identity
on a need-to-know basis, internal notes, the timeline and the case search."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from integriteit_shared.crypto.fields import field_aad
from meldpunt.behandeling.models import MelderInzage
from meldpunt.termijnen import vandaag

from .conftest import MELDER, PERSOONSGEGEVENS, Api, middag

REDEN = "Wederhoor nodig, marker-inzage-reden-42"
NOTITIE = "Gesprek met getuige gepland, marker-notitie-7731"


def coordinator(api: Api, sub: str = "coordinator-1", **kw: Any) -> dict[str, str]:
    return api.h("coid_coordinator", sub=sub, **kw)


def adviseur(api: Api, sub: str, **kw: Any) -> dict[str, str]:
    return api.h("coid_adviseur", sub=sub, **kw)


async def toewijzen(api: Api, melding_id: str, sub: str, headers: dict[str, str]) -> Any:
    return await api.post(f"/meldingen/{melding_id}/toewijzing", {"behandelaar": sub}, headers)


async def test_another_adviser_gets_403_once_a_melding_is_assigned(api: Api) -> None:
    m = await api.melden()
    mid = m["id"]
    een, twee = adviseur(api, "adviseur-1"), adviseur(api, "adviseur-2")
    # an adviser takes an unassigned melding, only for himself
    assert (await toewijzen(api, mid, "adviseur-2", een)).status_code == 403
    r = await toewijzen(api, mid, "adviseur-1", een)
    assert r.status_code == 200, r.text
    assert r.json()["behandelaar"] == "adviseur-1"

    # another adviser may read, but not act
    assert (await api.get(f"/meldingen/{mid}", twee)).status_code == 200
    for pad, body in (
        ("ontvangstbevestiging", {}),
        ("categorisering", {"hoofdcategorie": "overig", "subcategorie": "overig"}),
        ("notities", {"tekst": "Ik doe ook mee"}),
        ("berichten", {"tekst": "Hallo"}),
        ("toewijzing", {"behandelaar": "adviseur-2"}),
    ):
        r = await api.post(f"/meldingen/{mid}/{pad}", body, twee)
        assert r.status_code == 403, (pad, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert (await api.get(f"/meldingen/{mid}", twee)).json()["status"] == "ontvangen"

    # the behandelaar and a coordinator may; a coordinator reassigns
    r = await api.post(f"/meldingen/{mid}/ontvangstbevestiging", {}, een)
    assert r.status_code == 200, r.text
    r = await api.post(
        f"/meldingen/{mid}/notities", {"tekst": "Coördinator kijkt mee"}, coordinator(api)
    )
    assert r.status_code == 201, r.text
    assert (await toewijzen(api, mid, "adviseur-2", coordinator(api))).status_code == 200
    r = await api.post(f"/meldingen/{mid}/afdoening", {"afdoening": "mediation"}, een)
    assert r.status_code == 403
    r = await api.post(f"/meldingen/{mid}/afdoening", {"afdoening": "mediation"}, twee)
    assert r.status_code == 200, r.text

    # the event says that it was assigned and when, never to whom
    toegewezen = [(d, h) for t, d, h in await api.outbox() if t.endswith("melding-toegewezen")]
    assert [d for d, _ in toegewezen] == [
        {"meldingId": mid, "datum": d["datum"]} for d, _ in toegewezen
    ]
    assert len(toegewezen) == 2
    assert not any("adviseur-" in repr(x) for x in toegewezen)


async def test_an_excluded_sub_gets_404_everywhere_lists_included(api: Api) -> None:
    m = await api.melden()
    ander = await api.melden()
    mid = m["id"]
    assert (await toewijzen(api, mid, "adviseur-1", coordinator(api))).status_code == 200
    onderzoek = await api.post(
        "/integriteitsonderzoeken",
        {"defensieonderdeel": "CLSK", "startdatum": vandaag().isoformat(), "meldingId": mid},
        api.h("coid_onderzoeker", sub="onderzoeker-9"),
    )
    assert onderzoek.status_code == 201, onderzoek.text
    oid = onderzoek.json()["id"]

    # the behandelaar cannot be excluded without reassignment first
    r = await api.post(
        f"/meldingen/{mid}/uitsluitingen", {"sub": "adviseur-1", "reden": "x"}, coordinator(api)
    )
    assert r.status_code == 409
    # another adviser may not exclude; the behandelaar and a coordinator may
    r = await api.post(
        f"/meldingen/{mid}/uitsluitingen",
        {"sub": "adviseur-3", "reden": "x"},
        adviseur(api, "adviseur-2"),
    )
    assert r.status_code == 403
    uitgesloten = {
        "adviseur-2": adviseur(api, "adviseur-2"),
        "onderzoeker-9": api.h("coid_onderzoeker", sub="onderzoeker-9"),
        "coordinator-2": coordinator(api, "coordinator-2"),
    }
    for i, sub in enumerate(uitgesloten):
        door = adviseur(api, "adviseur-1") if i == 0 else coordinator(api)
        r = await api.post(
            f"/meldingen/{mid}/uitsluitingen",
            {"sub": sub, "reden": "Is collega van de betrokkene"},
            door,
        )
        assert r.status_code == 201, r.text
        assert r.json()["sub"] == sub
    r = await api.post(
        f"/meldingen/{mid}/uitsluitingen", {"sub": "adviseur-2", "reden": "x"}, coordinator(api)
    )
    assert r.status_code == 409  # already excluded
    # nor can an excluded sub become behandelaar
    assert (await toewijzen(api, mid, "adviseur-2", coordinator(api))).status_code == 409

    for sub, h in uitgesloten.items():
        for pad in ("", "/berichten", "/notities", "/tijdlijn"):
            r = await api.get(f"/meldingen/{mid}{pad}", h)
            assert r.status_code in (403, 404), (sub, pad, r.status_code)
            if r.status_code == 403:  # a role that never reads this, excluded or not
                assert pad in ("/berichten", "/notities") and sub == "onderzoeker-9"
        r = await api.get("/meldingen", h)
        assert [x["id"] for x in r.json()] == [ander["id"]], sub
        r = await api.get("/meldingen", h, referentie=m["referentie"])
        assert r.json() == []
        r = await api.post(f"/meldingen/{mid}/melder-inzage", {"reden": "x"}, h)
        assert r.status_code in (403, 404), sub
    for sub in ("adviseur-2", "coordinator-2"):
        h = uitgesloten[sub]
        r = await api.post(f"/meldingen/{mid}/ontvangstbevestiging", {}, h)
        assert r.status_code == 404
        r = await api.post(f"/meldingen/{mid}/toewijzing", {"behandelaar": sub}, h)
        assert r.status_code == 404
        signalen = (await api.get("/termijnbewaking", h, binnenDagen=366)).json()
        assert mid not in {s["meldingId"] for s in signalen}
    # the onderzoek that stems from the melding inherits the exclusions
    onderzoeker = uitgesloten["onderzoeker-9"]
    assert (await api.get(f"/integriteitsonderzoeken/{oid}", onderzoeker)).status_code == 404
    assert (await api.get("/integriteitsonderzoeken", onderzoeker)).json() == []
    r = await api.post(
        f"/integriteitsonderzoeken/{oid}/afronding",
        {"einddatum": vandaag().isoformat(), "conclusie": "geen_schending"},
        onderzoeker,
    )
    assert r.status_code == 404
    # everyone else still sees all of it
    ok = adviseur(api, "adviseur-1")
    assert (await api.get(f"/meldingen/{mid}", ok)).status_code == 200
    assert len((await api.get("/meldingen", ok)).json()) == 2
    ander_onderzoeker = api.h("coid_onderzoeker", sub="onderzoeker-1")
    r = await api.get(f"/integriteitsonderzoeken/{oid}", ander_onderzoeker)
    assert r.status_code == 200
    # the reason is stored encrypted only
    assert "Is collega van de betrokkene" not in await api.database_tekst()


async def test_identity_only_through_melder_inzage_with_its_reason(api: Api) -> None:
    m = await api.melden()
    anoniem = await api.anoniem_melden()
    mid = m["id"]
    detail = (await api.get(f"/meldingen/{mid}", api.adviseur)).json()
    assert detail["melderBekend"] is True and "melder" not in detail
    lijst = (await api.get("/meldingen", api.adviseur)).json()
    assert {x["id"]: x["melderBekend"] for x in lijst} == {mid: True, anoniem["id"]: False}
    assert not any(p in repr(lijst) + repr(detail) for p in ("Pietersen", "piet@example.org"))

    # unassigned: only a coordinator; once assigned also the behandelaar, no other adviser
    body = {"reden": REDEN}
    assert (
        await api.post(f"/meldingen/{mid}/melder-inzage", body, api.adviseur)
    ).status_code == 403
    await toewijzen(api, mid, "adviseur-1", api.adviseur)
    r = await api.post(f"/meldingen/{mid}/melder-inzage", body, adviseur(api, "adviseur-2"))
    assert r.status_code == 403
    r = await api.post(f"/meldingen/{mid}/melder-inzage", body, api.adviseur)
    assert r.status_code == 200, r.text
    assert r.json() == MELDER
    r = await api.post(f"/meldingen/{anoniem['id']}/melder-inzage", body, coordinator(api))
    assert r.status_code == 404
    r = await api.post(f"/meldingen/{mid}/melder-inzage", {}, coordinator(api))
    assert r.status_code == 400  # a reason is required

    # in the audit log, with the reason kept (encrypted) for the inzagelog of that request
    inzagen = [e for e in await api.audit("melder-inzage")]
    assert [(e.actor, e.object_id, e.fields) for e in inzagen] == [
        ("adviseur-1", mid, "melder,reden")
    ]
    async with api.svc.app.state.db.transaction() as s:
        rows = list(await s.scalars(select(MelderInzage)))
    assert [(r.actor, r.request_id) for r in rows] == [("adviseur-1", inzagen[0].request_id)]
    cipher = api.svc.app.state.cipher
    aad = field_aad("melder_inzagen", "reden", rows[0].id)
    assert cipher.decrypt(rows[0].reden, aad=aad) == REDEN
    # and in the timeline, without the reason
    tijdlijn = (await api.get(f"/meldingen/{mid}/tijdlijn", coordinator(api))).json()
    assert [(s["soort"], s["actor"]) for s in tijdlijn if s["soort"] == "melder-inzage"] == [
        ("melder-inzage", "adviseur-1")
    ]
    assert "marker-inzage" not in repr(tijdlijn)
    dump = await api.database_tekst()
    assert "marker-inzage" not in dump
    assert not any(p in dump for p in PERSOONSGEGEVENS)


async def test_notes_are_for_staff_encrypted_and_every_read_is_audited(
    api: Api, capfd: pytest.CaptureFixture[str]
) -> None:
    m = await api.melden()
    mid = m["id"]
    r = await api.post(f"/meldingen/{mid}/notities", {"tekst": NOTITIE}, api.adviseur)
    assert r.status_code == 201, r.text
    assert r.json()["auteur"] == "adviseur-1" and r.json()["tekst"] == NOTITIE
    r = await api.get(f"/meldingen/{mid}/notities", coordinator(api))
    assert [n["tekst"] for n in r.json()] == [NOTITIE]
    # never the onderzoeker, nor a melder with a volgsessie (only staff tokens pass)
    r = await api.get(f"/meldingen/{mid}/notities", api.h("coid_onderzoeker"))
    assert r.status_code == 403
    r = await api.get(f"/meldingen/{mid}/notities", {"Authorization": "Bearer vs_onzin"})
    assert r.status_code == 401
    reads = [e for e in await api.audit("lezen") if e.object_type == "notities"]
    assert [(e.actor, e.object_id) for e in reads] == [("coordinator-1", mid)]

    # the marker is nowhere in clear: database, events, logs, timeline
    assert "marker-notitie" not in await api.database_tekst()
    assert "marker-notitie" not in repr(await api.outbox())
    tijdlijn = (await api.get(f"/meldingen/{mid}/tijdlijn", api.adviseur)).json()
    assert [s["soort"] for s in tijdlijn] == ["ontvangen", "notitie"]
    assert "marker-notitie" not in repr(tijdlijn)
    out, err = capfd.readouterr()
    assert "marker-notitie" not in out + err


async def test_the_timeline_shows_every_step_in_order_without_free_text(api: Api) -> None:
    m = await api.melden(vermoedenMisstand=True)
    mid = m["id"]
    een = api.adviseur
    assert (await toewijzen(api, mid, "adviseur-1", een)).status_code == 200
    stappen: list[tuple[str, dict[str, Any]]] = [
        ("ontvangstbevestiging", {}),
        (
            "categorisering",
            {"hoofdcategorie": "zakelijke_integriteit", "subcategorie": "lekken_informatie"},
        ),
        ("afdoening", {"afdoening": "integriteitsonderzoek"}),
        ("berichten", {"tekst": "Wij nemen uw melding in behandeling."}),
        ("terugkoppeling", {}),
        ("afronding", {"conclusie": "schending_vastgesteld"}),
        ("misstand-afronding", {"vastgesteld": True}),
    ]
    for pad, body in stappen:
        r = await api.post(f"/meldingen/{mid}/{pad}", body, een)
        assert r.status_code in (200, 201), (pad, r.text)
    r = await api.post(
        f"/meldingen/{mid}/uitsluitingen", {"sub": "adviseur-5", "reden": "Betrokkene"}, een
    )
    assert r.status_code == 201

    r = await api.get(f"/meldingen/{mid}/tijdlijn", api.h("coid_onderzoeker"))
    assert r.status_code == 200
    tijdlijn = r.json()
    assert [s["soort"] for s in tijdlijn] == [
        "ontvangen",
        "toewijzing",
        "ontvangstbevestiging",
        "categorisering",
        "afdoening",
        "bericht",
        "terugkoppeling",
        "afronding",
        "misstand-afronding",
        "uitsluiting",
    ]
    eerste = tijdlijn[0]
    assert (
        eerste["actor"],
        eerste["kanaal"],
        eerste["hoofdcategorie"],
        eerste["vermoedenMisstand"],
    ) == ("adviseur-1", "mid", "ongewenst_gedrag", True)
    per_soort = {s["soort"]: s for s in tijdlijn}
    assert per_soort["categorisering"]["subcategorie"] == "lekken_informatie"
    assert per_soort["afdoening"]["afdoening"] == "integriteitsonderzoek"
    assert per_soort["afronding"]["conclusie"] == "schending_vastgesteld"
    assert per_soort["misstand-afronding"]["vastgesteld"] is True
    assert per_soort["bericht"]["afzender"] == "adviseur"
    assert all(s["actor"] == "adviseur-1" for s in tijdlijn)
    assert [s["moment"] for s in tijdlijn] == sorted(s["moment"] for s in tijdlijn)
    assert "behandeling" not in repr(tijdlijn) and "Betrokkene" not in repr(tijdlijn)


async def test_anonymous_steps_are_by_anoniem(api: Api) -> None:
    m = await api.anoniem_melden()
    sessie = await api.post("/volgsessies", {"volgcode": m["volgcode"]})
    token = {"Authorization": f"Bearer {sessie.json()['token']}"}
    r = await api.post(f"/meldingen/{m['id']}/berichten", {"tekst": "Nog een detail"}, token)
    assert r.status_code == 201
    tijdlijn = (await api.get(f"/meldingen/{m['id']}/tijdlijn", api.adviseur)).json()
    assert [(s["soort"], s["actor"]) for s in tijdlijn] == [
        ("ontvangen", "anoniem"),
        ("bericht", "anoniem"),
    ]


async def test_search_by_referentie_behandelaar_and_termijn(api: Api) -> None:
    oud = await api.melden(ontvangenOp=middag(10))  # acknowledgement overdue
    nieuw = await api.melden()  # acknowledgement due within 7 days
    derde = await api.melden(ontvangenOp=middag(3))
    await toewijzen(api, nieuw["id"], "adviseur-1", api.adviseur)
    await toewijzen(api, derde["id"], "adviseur-2", coordinator(api))
    await api.stap(oud["id"], "ontvangstbevestiging")  # adviseur-1, unassigned: allowed

    async def ids(headers: dict[str, str] | None = None, **params: Any) -> set[str]:
        r = await api.get("/meldingen", headers or api.adviseur, **params)
        assert r.status_code == 200, r.text
        return {x["id"] for x in r.json()}

    assert await ids(referentie=nieuw["referentie"]) == {nieuw["id"]}
    assert await ids(referentie="MID-1999-000001") == set()
    assert await ids(behandelaar="mij") == {nieuw["id"]}
    assert await ids(adviseur(api, "adviseur-2"), behandelaar="mij") == {derde["id"]}
    assert await ids(behandelaar="adviseur-2") == {derde["id"]}
    assert await ids(termijn="binnen-7-dagen") == {nieuw["id"], derde["id"]}
    assert await ids(termijn="verlopen") == set()  # the overdue one was acknowledged late
    vierde = await api.melden(ontvangenOp=middag(12))
    assert await ids(termijn="verlopen") == {vierde["id"]}
    assert await ids(termijn="binnen-7-dagen", behandelaar="mij") == {nieuw["id"]}
    assert (
        await ids(termijn="binnen-7-dagen", status="ontvangen", defensieonderdeel="CZSK") == set()
    )
    r = await api.get("/meldingen", api.adviseur, termijn="morgen")
    assert r.status_code == 400
