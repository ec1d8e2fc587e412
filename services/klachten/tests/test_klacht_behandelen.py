"""The handling paths end to end, with the deadline recomputed exactly after every step."""

from __future__ import annotations

from integriteit_shared.messaging.models import OutboxMessage

# every klacht here was received on paper on Monday 4 March 2024 (Amsterdam)


async def test_informele_afhandeling_binnen_zes_weken(api):
    k = await api.indienen()
    assert k["termijnUiterlijk"] == "2024-04-15"
    k = await api.stap(
        k["id"],
        "afhandeling",
        {"datum": "2024-04-10", "wijze": "informeel", "oordeel": "ingetrokken"},
    )
    assert k["status"] == "afgehandeld"
    assert (k["afhandelingDatum"], k["wijze"], k["oordeel"]) == (
        "2024-04-10",
        "informeel",
        "ingetrokken",
    )
    assert k["termijnUiterlijk"] == "2024-04-15"
    assert (await api.events())[-1] == (
        "klacht-afgehandeld",
        {
            "klachtId": k["id"],
            "wijze": "informeel",
            "oordeel": "ingetrokken",
            "datum": "2024-04-10",
        },
    )


async def test_besluit_zonder_cog_vanuit_ingediend(api):
    k = await api.indienen()
    k = await api.stap(
        k["id"], "afhandeling", {"datum": "2024-04-01", "wijze": "besluit", "oordeel": "ongegrond"}
    )
    assert k["status"] == "afgehandeld"


async def test_cog_pad_tien_weken_advies_en_besluit(api):
    k = await api.indienen()
    k = await api.stap(k["id"], "cog-behandeling", {"datum": "2024-03-20"})
    assert (k["status"], k["cogBehandelingDatum"], k["termijnUiterlijk"]) == (
        "cog_behandeling",
        "2024-03-20",
        "2024-05-13",
    )
    k = await api.stap(k["id"], "cog-advies", {"datum": "2024-04-20", "advies": "deels_gegrond"})
    assert (k["status"], k["cogAdvies"], k["cogAdviesDatum"]) == (
        "cog_advies",
        "deels_gegrond",
        "2024-04-20",
    )
    assert k["termijnUiterlijk"] == "2024-05-13"
    k = await api.stap(
        k["id"],
        "afhandeling",
        {"datum": "2024-05-01", "wijze": "besluit", "oordeel": "deels_gegrond"},
    )
    assert (k["status"], k["termijnUiterlijk"]) == ("afgehandeld", "2024-05-13")
    assert [t for t, _ in await api.events()] == [
        "klacht-ingediend",
        "cog-behandeling-gestart",
        "cog-advies-uitgebracht",
        "klacht-afgehandeld",
    ]
    events = dict(await api.events())
    assert events["cog-behandeling-gestart"] == {"klachtId": k["id"], "datum": "2024-03-20"}
    assert events["cog-advies-uitgebracht"] == {
        "klachtId": k["id"],
        "advies": "deels_gegrond",
        "datum": "2024-04-20",
    }


async def test_verdaging_schuift_de_termijn_en_telt_door_bij_cog(api):
    k = await api.indienen()
    k = await api.stap(k["id"], "verdaging", {"weken": 2, "reden": api.REDEN})
    assert (k["status"], k["verdagingWeken"], k["termijnUiterlijk"]) == (
        "ingediend",
        2,
        "2024-04-29",
    )
    assert "verdagingReden" not in k
    k = await api.stap(k["id"], "cog-behandeling", {"datum": "2024-03-25"})
    assert k["termijnUiterlijk"] == "2024-05-27"  # 10 + 2 weeks
    assert (await api.events())[1] == ("klacht-verdaagd", {"klachtId": k["id"], "weken": 2})
    rij = await api.klacht_rij(k["id"])
    assert rij.verdaging_reden is not None and "Petersen" not in rij.verdaging_reden


async def test_tweede_verdaging_geweigerd_en_termijn_blijft(api):
    k = await api.indienen()
    await api.stap(k["id"], "verdaging", {"weken": 4, "reden": api.REDEN})
    voor = await api.aantal(OutboxMessage)
    r = await api.post(k["id"], "verdaging", {"weken": 1, "reden": "nog eens"})
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    assert await api.aantal(OutboxMessage) == voor
    rij = await api.klacht_rij(k["id"])
    assert (rij.verdaging_weken, rij.termijn_uiterlijk.isoformat()) == (4, "2024-05-13")


async def test_verdaging_tijdens_cog_behandeling_en_na_advies(api):
    k = await api.indienen()
    await api.stap(k["id"], "cog-behandeling", {"datum": "2024-03-20"})
    await api.stap(k["id"], "cog-advies", {"datum": "2024-04-20", "advies": "gegrond"})
    k = await api.stap(k["id"], "verdaging", {"weken": 1, "reden": api.REDEN})
    assert (k["status"], k["termijnUiterlijk"]) == ("cog_advies", "2024-05-20")


async def _in_status(api, status: str) -> str:
    k = await api.indienen()
    if status in ("cog_behandeling", "cog_advies"):
        await api.stap(k["id"], "cog-behandeling", {"datum": "2024-03-20"})
    if status == "cog_advies":
        await api.stap(k["id"], "cog-advies", {"datum": "2024-04-20", "advies": "gegrond"})
    if status == "afgehandeld":
        await api.stap(
            k["id"],
            "afhandeling",
            {"datum": "2024-04-10", "wijze": "besluit", "oordeel": "gegrond"},
        )
    return str(k["id"])


COG_START = ("cog-behandeling", {"datum": "2024-05-01"})
COG_ADVIES = ("cog-advies", {"datum": "2024-05-01", "advies": "ongegrond"})
INFORMEEL = ("afhandeling", {"datum": "2024-05-01", "wijze": "informeel", "oordeel": "gegrond"})
BESLUIT = ("afhandeling", {"datum": "2024-05-01", "wijze": "besluit", "oordeel": "gegrond"})
VERDAGING = ("verdaging", {"weken": 1, "reden": "r"})

WEIGERINGEN = [
    ("ingediend", COG_ADVIES),
    ("cog_behandeling", COG_START),
    ("cog_behandeling", BESLUIT),
    ("cog_behandeling", INFORMEEL),
    ("cog_advies", COG_START),
    ("cog_advies", COG_ADVIES),
    ("cog_advies", INFORMEEL),
    ("afgehandeld", COG_START),
    ("afgehandeld", COG_ADVIES),
    ("afgehandeld", BESLUIT),
    ("afgehandeld", VERDAGING),
]


async def test_elke_overgang_buiten_volgorde_is_409_en_verandert_niets(api):
    for status, (stap, body) in WEIGERINGEN:
        klacht_id = await _in_status(api, status)
        voor = await api.aantal(OutboxMessage)
        r = await api.post(klacht_id, stap, body)
        assert r.status_code == 409, (status, stap, r.text)
        assert r.json()["status"] == 409
        assert (await api.klacht_rij(klacht_id)).status == status
        assert await api.aantal(OutboxMessage) == voor


async def test_datums_niet_voor_ontvangst_of_vorige_stap_en_niet_in_toekomst(api):
    k = await api.indienen()
    r = await api.post(k["id"], "cog-behandeling", {"datum": "2024-03-03"})
    assert r.status_code == 400 and [p["name"] for p in r.json()["invalidParams"]] == ["datum"]
    r = await api.post(k["id"], "cog-behandeling", {"datum": "2999-01-01"})
    assert r.status_code == 400 and [p["name"] for p in r.json()["invalidParams"]] == ["datum"]
    await api.stap(k["id"], "cog-behandeling", {"datum": "2024-03-20"})
    r = await api.post(k["id"], "cog-advies", {"datum": "2024-03-19", "advies": "gegrond"})
    assert r.status_code == 400 and [p["name"] for p in r.json()["invalidParams"]] == ["datum"]
    await api.stap(k["id"], "cog-advies", {"datum": "2024-04-20", "advies": "gegrond"})
    r = await api.post(
        k["id"], "afhandeling", {"datum": "2024-04-19", "wijze": "besluit", "oordeel": "gegrond"}
    )
    assert r.status_code == 400 and [p["name"] for p in r.json()["invalidParams"]] == ["datum"]
    assert (await api.klacht_rij(k["id"])).status == "cog_advies"


async def test_ongeldige_overgangsinvoer_noemt_alle_velden(api):
    k = await api.indienen()
    r = await api.post(
        k["id"], "afhandeling", {"datum": "2999-01-01", "wijze": "mediation", "oordeel": "half"}
    )
    assert r.status_code == 400
    assert sorted(p["name"] for p in r.json()["invalidParams"]) == ["datum", "oordeel", "wijze"]
    r = await api.post(k["id"], "verdaging", {"weken": 5, "reden": ""})
    assert sorted(p["name"] for p in r.json()["invalidParams"]) == ["reden", "weken"]
    r = await api.post(k["id"], "verdaging", {"weken": 0})
    assert sorted(p["name"] for p in r.json()["invalidParams"]) == ["reden", "weken"]
    r = await api.post(k["id"], "cog-advies", {"datum": "gisteren", "advies": "positief"})
    assert sorted(p["name"] for p in r.json()["invalidParams"]) == ["advies", "datum"]
    rij = await api.klacht_rij(k["id"])
    assert (rij.status, rij.verdaging_weken) == ("ingediend", None)
    assert await api.aantal(OutboxMessage) == 1  # only the intake


async def test_onbekende_klacht_is_404(api):
    r = await api.post("bestaat-niet", "cog-behandeling", {"datum": "2024-03-20"})
    assert r.status_code == 404
