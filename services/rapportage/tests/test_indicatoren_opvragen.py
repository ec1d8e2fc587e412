"""GET /indicatoren: per-onderdeel figures, counts 1-4 suppressed, never Defensie totals."""

from __future__ import annotations

import uuid
from datetime import date

from integriteit_shared.events import models as ev

URL = "/api/rapportage/v1/indicatoren"


async def casus(rap, onderdeel: str) -> None:
    await rap.zet(
        ev.CasusGeregistreerd(
            casus_id=str(uuid.uuid4()),
            defensieonderdeel=onderdeel,
            datum=date(2024, 6, 1),
            hoofdcategorie="overig",
            subcategorie="overig",
        ),
        "2024-06-01T10:00:00Z",
    )


async def test_counts_from_one_to_four_are_suppressed(rap):
    for _ in range(4):
        await casus(rap, "BS")
    for _ in range(5):
        await casus(rap, "CLSK")
    r = await rap.svc.client.get(
        URL, params={"jaar": 2024, "peildatum": "2025-01-01"}, headers=rap.h()
    )
    assert r.status_code == 200
    rows = {(x["indicator"], x["defensieonderdeel"]): x for x in r.json()}
    assert rows[("vertrouwenspersonen.casussen", "BS")] == {
        "indicator": "vertrouwenspersonen.casussen",
        "jaar": 2024,
        "peildatum": "2025-01-01",  # 2024 is over: the peildatum itself
        "defensieonderdeel": "BS",
        "waarde": None,
        "onderdrukt": True,
    }
    assert rows[("vertrouwenspersonen.casussen", "CLSK")]["waarde"] == 5
    assert rows[("vertrouwenspersonen.casussen", "CLAS")] == {
        "indicator": "vertrouwenspersonen.casussen",
        "jaar": 2024,
        "peildatum": "2025-01-01",
        "defensieonderdeel": "CLAS",
        "waarde": 0,
        "onderdrukt": False,
    }
    assert all(x["defensieonderdeel"] != "Defensie" for x in r.json())
    only = await rap.svc.client.get(
        URL,
        params={"jaar": 2024, "defensieonderdeel": "BS", "peildatum": "2025-01-01"},
        headers=rap.h(),
    )
    assert {x["defensieonderdeel"] for x in only.json()} == {"BS"}
    # the jaarverslag's per-onderdeel meldingen use the same suppression; totals never do
    v = await rap.verslag(2024)
    assert v["vertrouwenspersonen"]["casussen"]["2024"] == 9


async def test_threshold_is_a_setting(service_factory, tokens):
    from dataclasses import dataclass

    svc = await service_factory("rapportage", onderdrukking_tot_en_met=1)
    async with svc.app.state.db.transaction() as s:
        from integriteit_shared.events import new_envelope
        from integriteit_shared.messaging.consumer import store_in_inbox
        from rapportage.ledger.service import na_batch, on_event

        # two onderdelen: one that holds every casus is hidden whatever its count
        # (onderdruk_rijtotalen)
        for onderdeel in ("BS", "BS", "CLAS", "CLAS"):
            event = ev.CasusGeregistreerd(
                casus_id=str(uuid.uuid4()),
                defensieonderdeel=onderdeel,
                datum=date(2024, 6, 1),
                hoofdcategorie="overig",
                subcategorie="overig",
            )
            env = new_envelope(event)
            await store_in_inbox(s, env, event.topic())
            await on_event(s, env, event)
        await na_batch(s)
    r = await svc.client.get(
        URL, params={"jaar": 2024, "defensieonderdeel": "BS"}, headers=tokens.headers("beheerder")
    )
    row = next(x for x in r.json() if x["indicator"] == "vertrouwenspersonen.casussen")
    assert row["waarde"] == 2 and row["onderdrukt"] is False
    assert dataclass


async def test_unknown_onderdeel_is_a_400(rap):
    r = await rap.svc.client.get(URL, params={"defensieonderdeel": "XX"}, headers=rap.h())
    assert r.status_code == 400


async def test_het_voorbeeld_12_2_7_laat_zich_niet_terugrekenen(rap):
    """issue 15: meldingen CLAS 12, BS 2, CZSK 7. With the Defensie total 21, hiding BS
    alone would give it away (21 - 19 = 2); a second cell is hidden with it, in
    `/indicatoren` and in the jaarverslag's `perDefensieonderdeel` alike."""
    for onderdeel, n in (("CLAS", 12), ("BS", 2), ("CZSK", 7)):
        for _ in range(n):
            await rap.zet(
                ev.MeldingOntvangen(
                    melding_id=str(uuid.uuid4()),
                    ontvangen_op="2024-03-01T10:00:00Z",
                    kanaal="mid",
                    defensieonderdeel=onderdeel,
                    hoofdcategorie="ongewenst_gedrag",
                    subcategorie="pesten",
                    anoniem=False,
                    vermoeden_misstand=False,
                ),
                "2024-03-01T10:01:00Z",
            )
            await rap.zet(
                ev.CasusGeregistreerd(
                    casus_id=str(uuid.uuid4()),
                    defensieonderdeel=onderdeel,
                    datum=date(2024, 5, 1),
                    hoofdcategorie="overig",
                    subcategorie="arbeidsconflict",
                ),
                "2024-05-01T10:00:00Z",
            )
    r = await rap.svc.client.get(
        URL, params={"jaar": 2024, "peildatum": "2025-01-01"}, headers=rap.h()
    )
    assert r.status_code == 200
    # casussen too: the same cells as vertrouwenspersonen hides in /casussen/tellingen
    # (its test has the same example)
    for indicator in ("meldingen.totaal", "meldingen.hrhd", "vertrouwenspersonen.casussen"):
        cellen = {x["defensieonderdeel"]: x for x in r.json() if x["indicator"] == indicator}
        verborgen = {o for o, x in cellen.items() if x["onderdrukt"]}
        # the cheapest complement: an empty onderdeel (the first in the table's order), so
        # the shown 12 and 7 leave 2 for BS and CLSK together
        assert verborgen == {"BS", "CLSK"}, indicator
        assert all(cellen[o]["waarde"] is None for o in verborgen)
        assert cellen["CLAS"] == {**cellen["CLAS"], "waarde": 12, "onderdrukt": False}

    v = await rap.verslag(2024)
    assert v["meldingen"]["totaal"]["2024"] == 21  # the Defensie total: never hidden
    per = v["meldingen"]["perDefensieonderdeel"]
    verborgen = {o for o, cel in per.items() if cel["onderdrukt"]}
    assert "BS" in verborgen and len(verborgen) >= 2
    # one rule: the same cells as meldingen.totaal in /indicatoren
    totaal = {x["defensieonderdeel"]: x for x in r.json() if x["indicator"] == "meldingen.totaal"}
    assert {o: cel["waarde"] for o, cel in per.items()} == {
        o: x["waarde"] for o, x in totaal.items()
    }


async def test_een_lopend_jaar_per_onderdeel_alleen_per_voorbij_maandeinde(rap):
    """docs/privacy.md: day-by-day breakdowns would tie each new melding to an onderdeel.
    On 15 June 2024 the figures per onderdeel of 2024 are those of 31 May; the Defensie
    figures are those of the day."""

    async def melding(registratie: str) -> None:
        await rap.zet(
            ev.MeldingOntvangen(
                melding_id=str(uuid.uuid4()),
                ontvangen_op=f"{registratie}T09:00:00Z",
                kanaal="mid",
                defensieonderdeel="CLAS",
                hoofdcategorie="ongewenst_gedrag",
                subcategorie="pesten",
                anoniem=False,
                vermoeden_misstand=False,
            ),
            f"{registratie}T10:00:00Z",
        )

    for _ in range(6):
        await melding("2024-05-10")
    for _ in range(5):
        await melding("2024-06-10")
    r = await rap.svc.client.get(
        URL,
        params={"jaar": 2024, "peildatum": "2024-06-15", "defensieonderdeel": "CLAS"},
        headers=rap.h(),
    )
    assert r.status_code == 200
    rij = next(x for x in r.json() if x["indicator"] == "meldingen.hrhd")
    assert (rij["waarde"], rij["peildatum"]) == (6, "2024-05-31")
    v = await rap.verslag(2024, "2024-06-15")
    assert v["meldingen"]["hrhd"]["2024"] == 11
    assert v["meldingen"]["perDefensieonderdeel"]["CLAS"] == {"waarde": 6, "onderdrukt": False}
    # a closed year: as of the peildatum itself
    v = await rap.verslag(2024, "2025-01-01")
    assert v["meldingen"]["perDefensieonderdeel"]["CLAS"] == {"waarde": 11, "onderdrukt": False}
