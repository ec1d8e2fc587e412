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
        "defensieonderdeel": "BS",
        "waarde": None,
        "onderdrukt": True,
    }
    assert rows[("vertrouwenspersonen.casussen", "CLSK")]["waarde"] == 5
    assert rows[("vertrouwenspersonen.casussen", "CLAS")] == {
        "indicator": "vertrouwenspersonen.casussen",
        "jaar": 2024,
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
