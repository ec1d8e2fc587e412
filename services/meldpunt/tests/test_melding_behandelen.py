"""The handling state machine: every transition, every refused one (409), dates, category."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from integriteit_shared.messaging.models import OutboxMessage
from meldpunt.termijnen import add_months, vandaag

from .conftest import Api, middag

STAPPEN: list[tuple[str, dict[str, Any], str]] = [
    ("ontvangstbevestiging", {}, "ontvangst_bevestigd"),
    ("afdoening", {"afdoening": "gespreksbegeleiding"}, "in_behandeling"),
    ("terugkoppeling", {}, "in_behandeling"),
    ("afronding", {"conclusie": "geen_schending"}, "afgerond"),
]


async def test_full_handling_in_order(api: Api) -> None:
    m = await api.melden()
    for actie, body, status in STAPPEN:
        r = await api.stap(m["id"], actie, body)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == status
    final = r.json()
    today = vandaag().isoformat()
    assert final["ontvangstbevestigingDatum"] == today
    assert final["afdoening"] == "gespreksbegeleiding"
    assert final["terugkoppelingDatum"] == today
    assert final["conclusie"] == "geen_schending"
    assert final["afrondingDatum"] == today
    types = [t for t, _, _ in await api.outbox()]
    assert types == [
        "nl.integriteit.meldpunt.melding-ontvangen",
        "nl.integriteit.meldpunt.melding-ontvangst-bevestigd",
        "nl.integriteit.meldpunt.melding-afdoening-bepaald",
        "nl.integriteit.meldpunt.melding-terugkoppeling-gegeven",
        "nl.integriteit.meldpunt.melding-afgerond",
    ]


@pytest.mark.parametrize(
    ("gedaan", "poging"),
    [(g, p) for g in range(len(STAPPEN) + 1) for p in range(len(STAPPEN)) if p != g],
)
async def test_every_step_out_of_order_is_409(api: Api, gedaan: int, poging: int) -> None:
    """After `gedaan` steps only step number `gedaan` is allowed (see the in-order test);
    any other step is a 409 and publishes nothing."""
    m = await api.melden()
    for actie, body, _ in STAPPEN[:gedaan]:
        assert (await api.stap(m["id"], actie, body)).status_code == 200
    before = await api.count(OutboxMessage)
    actie, body, _ = STAPPEN[poging]
    r = await api.stap(m["id"], actie, body)
    assert r.status_code == 409, (gedaan, poging, r.text)
    assert r.headers["content-type"].startswith("application/problem+json")
    assert await api.count(OutboxMessage) == before


async def test_acknowledgement_restarts_the_three_month_clock(api: Api) -> None:
    m = await api.melden(ontvangenOp=middag(20))
    bevestigd = vandaag() - timedelta(days=15)
    r = await api.stap(m["id"], "ontvangstbevestiging", {"datum": bevestigd.isoformat()})
    assert r.json()["termijnen"]["terugkoppelingUiterlijk"] == add_months(bevestigd, 3).isoformat()
    assert r.json()["ontvangstbevestigingDatum"] == bevestigd.isoformat()


async def test_dates_in_the_future_or_before_an_earlier_step_are_400(api: Api) -> None:
    m = await api.melden(ontvangenOp=middag(5))
    morgen = (vandaag() + timedelta(days=1)).isoformat()
    r = await api.stap(m["id"], "ontvangstbevestiging", {"datum": morgen})
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "datum"
    voor_ontvangst = (vandaag() - timedelta(days=6)).isoformat()
    r = await api.stap(m["id"], "ontvangstbevestiging", {"datum": voor_ontvangst})
    assert r.status_code == 400
    await api.stap(m["id"], "ontvangstbevestiging", {"datum": middag(2)[:10]})
    r = await api.stap(m["id"], "afdoening", {"afdoening": "mediation", "datum": middag(3)[:10]})
    assert r.status_code == 400
    assert (await api.melding_row(m["id"])).status == "ontvangst_bevestigd"


async def test_unknown_codes_in_a_transition_are_400(api: Api) -> None:
    m = await api.melden()
    await api.stap(m["id"], "ontvangstbevestiging")
    r = await api.stap(m["id"], "afdoening", {"afdoening": "ontslag", "extra": 1})
    assert r.status_code == 400
    assert {p["name"] for p in r.json()["invalidParams"]} == {"afdoening", "extra"}


async def test_recategorising_emits_an_event_and_refuses_bad_pairs(api: Api) -> None:
    m = await api.melden()
    r = await api.stap(
        m["id"], "categorisering", {"hoofdcategorie": "overig", "subcategorie": "pesten"}
    )
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "subcategorie"
    r = await api.stap(
        m["id"],
        "categorisering",
        {"hoofdcategorie": "zakelijke_integriteit", "subcategorie": "misbruik_positie"},
    )
    assert r.status_code == 200
    assert r.json()["hoofdcategorie"] == "zakelijke_integriteit"
    t, data, _ = (await api.outbox())[-1]
    assert t == "nl.integriteit.meldpunt.melding-gecategoriseerd"
    assert data == {
        "meldingId": m["id"],
        "hoofdcategorie": "zakelijke_integriteit",
        "subcategorie": "misbruik_positie",
    }


async def test_closed_melding_is_not_recategorised(api: Api) -> None:
    m = await api.melden()
    for actie, body, _ in STAPPEN:
        await api.stap(m["id"], actie, body)
    r = await api.stap(
        m["id"], "categorisering", {"hoofdcategorie": "overig", "subcategorie": "overig"}
    )
    assert r.status_code == 409


async def test_misstand_track(api: Api) -> None:
    gewoon = await api.melden()
    r = await api.stap(gewoon["id"], "misstand-afronding", {"vastgesteld": True})
    assert r.status_code == 409  # only for vermoedenMisstand

    m = await api.melden(vermoedenMisstand=True, ontvangenOp=middag(30))
    assert m["misstand"] == {
        "vermoedenDatum": (vandaag() - timedelta(days=30)).isoformat(),
        "vastgesteld": None,
        "afrondingDatum": None,
    }
    r = await api.stap(m["id"], "misstand-afronding", {"vastgesteld": True})
    assert r.status_code == 200
    assert r.json()["misstand"]["vastgesteld"] is True
    assert (
        await api.stap(m["id"], "misstand-afronding", {"vastgesteld": False})
    ).status_code == 409
    types = [t for t, _, _ in await api.outbox()]
    assert types.count("nl.integriteit.meldpunt.misstand-vermoeden-geregistreerd") == 1
    assert types[-1] == "nl.integriteit.meldpunt.misstand-afgerond"


async def test_misstand_flagged_later(api: Api) -> None:
    m = await api.melden()
    r = await api.stap(m["id"], "misstand-vermoeden", {})
    assert r.status_code == 200 and r.json()["vermoedenMisstand"] is True
    assert (await api.stap(m["id"], "misstand-vermoeden", {})).status_code == 409
    t, data, _ = (await api.outbox())[-1]
    assert t == "nl.integriteit.meldpunt.misstand-vermoeden-geregistreerd"
    assert data == {"meldingId": m["id"], "datum": vandaag().isoformat()}


async def test_unknown_melding_is_404(api: Api) -> None:
    r = await api.stap("00000000-0000-0000-0000-000000000000", "ontvangstbevestiging")
    assert r.status_code == 404
