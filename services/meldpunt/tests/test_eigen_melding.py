"""A medewerker who reports under their own name follows it up with their own token; the
database links them to it only through a keyed hash of their sub."""

from __future__ import annotations

from .conftest import Api


async def test_a_named_melder_reads_only_their_own_meldingen(api: Api) -> None:
    mw1, mw2 = api.h("medewerker", sub="mw-sub-1001"), api.h("medewerker", sub="mw-sub-1002")
    eigen = await api.melden(mw1)
    andere = await api.melden(mw2)
    # on someone's behalf: the meldpunt (phone, paper), a leidinggevende passing it on
    await api.melden(api.adviseur)
    lg = api.h("leidinggevende", sub="lg-sub-2001")
    await api.melden(lg, kanaal="leidinggevende")
    await api.melden(mw1, anoniem=True, melder=None)  # anonymous: linked to no one

    r = await api.get("/mijn/meldingen", mw1)
    assert r.status_code == 200, r.text
    assert [(m["id"], m["ongelezenBerichten"]) for m in r.json()] == [(eigen["id"], 0)]
    assert r.json()[0]["referentie"] == eigen["referentie"]
    assert [m["id"] for m in (await api.get("/mijn/meldingen", mw2)).json()] == [andere["id"]]
    assert (await api.get("/mijn/meldingen", lg)).json() == []
    r = await api.get(f"/mijn/meldingen/{eigen['id']}", mw1)
    assert r.status_code == 200 and r.json()["status"] == "ontvangen"
    assert "omschrijving" not in r.json() and "behandelaar" not in r.json()

    # another medewerker: 404 on all of it, as for a melding that does not exist
    pad = f"/mijn/meldingen/{eigen['id']}"
    assert (await api.get(pad, mw2)).status_code == 404
    assert (await api.get(f"{pad}/berichten", mw2)).status_code == 404
    assert (await api.post(f"{pad}/berichten", {"tekst": "Ik ook"}, mw2)).status_code == 404
    # the adviser is not a melder here
    assert (await api.get("/mijn/meldingen", api.adviseur)).status_code == 403


async def test_messages_between_a_named_melder_and_the_adviser(api: Api) -> None:
    mw = api.h("medewerker", sub="mw-sub-3003")
    m = await api.melden(mw)
    r = await api.post(
        f"/meldingen/{m['id']}/berichten", {"tekst": "Kunt u langskomen?"}, api.adviseur
    )
    assert r.status_code == 201
    lijst = (await api.get("/mijn/meldingen", mw)).json()
    assert lijst[0]["ongelezenBerichten"] == 1
    r = await api.get(f"/mijn/meldingen/{m['id']}/berichten", mw)
    assert [(b["afzender"], b["tekst"]) for b in r.json()] == [("adviseur", "Kunt u langskomen?")]
    assert (await api.get(f"/mijn/meldingen/{m['id']}", mw)).json()["ongelezenBerichten"] == 0
    r = await api.post(f"/mijn/meldingen/{m['id']}/berichten", {"tekst": "Dinsdag kan ik."}, mw)
    assert r.status_code == 201, r.text
    assert r.json()["afzender"] == "melder"
    r = await api.get(f"/meldingen/{m['id']}/berichten", api.adviseur)
    assert [b["afzender"] for b in r.json()] == ["adviseur", "melder"]

    # the timeline and the audit log say "melder", never the sub
    tijdlijn = (await api.get(f"/meldingen/{m['id']}/tijdlijn", api.adviseur)).json()
    assert [(s["soort"], s["actor"]) for s in tijdlijn] == [
        ("ontvangen", "melder"),
        ("bericht", "adviseur-1"),
        ("bericht", "melder"),
    ]
    # nowhere in the database is the melder's sub in clear: no list of who reported
    assert "mw-sub-3003" not in await api.database_tekst()
