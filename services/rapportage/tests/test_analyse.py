"""The story behind the figures: the `analyse` section of GET /jaarverslagen/{jaar}, its
per-onderdeel indicators (suppressed) and its CSV rows, each series with its edge cases."""

from __future__ import annotations

import uuid
from typing import Any

from integriteit_shared.codes import DEFENSIEONDERDELEN
from integriteit_shared.events import models as ev

BASE = "/api/rapportage/v1"


def uid() -> str:
    return str(uuid.uuid4())


def melding(mid: str, ontvangen: str, **kw: Any) -> ev.MeldingOntvangen:
    data: dict[str, Any] = {
        "melding_id": mid,
        "ontvangen_op": ontvangen,
        "kanaal": "mid",
        "defensieonderdeel": "CLSK",
        "hoofdcategorie": "ongewenst_gedrag",
        "subcategorie": "pesten",
        "anoniem": False,
        "vermoeden_misstand": False,
    }
    data.update(kw)
    return ev.MeldingOntvangen.model_validate(data)


def klacht(kid: str, ontvangen: str, onderdeel: str = "BS") -> ev.KlachtIngediend:
    return ev.KlachtIngediend(
        klacht_id=kid,
        ontvangen_op=ontvangen,
        soort="onbehoorlijkheid",
        indiener="medewerker",
        defensieonderdeel=onderdeel,
    )


def casus(cid: str, datum: str, onderdeel: str = "CZSK") -> ev.CasusGeregistreerd:
    return ev.CasusGeregistreerd.model_validate(
        {
            "casus_id": cid,
            "defensieonderdeel": onderdeel,
            "datum": datum,
            "hoofdcategorie": "ongewenst_gedrag",
            "subcategorie": "pesten",
        }
    )


def y(a: int = 0, b: int = 0, c: int = 0) -> dict[str, int]:
    return {"2024": a, "2023": b, "2022": c}


async def test_melding_series_kanaal_anoniem_afdoening_conclusie(rap):
    a, b, c = uid(), uid(), uid()
    await rap.zet(melding(a, "2024-02-01T09:00:00Z"), "2024-02-01T09:01:00Z")
    await rap.zet(
        melding(b, "2024-03-01T09:00:00Z", kanaal="leidinggevende", anoniem=True),
        "2024-03-01T09:01:00Z",
    )
    # received in 2023, its afdoening and closing in 2024: counted in the year of each
    await rap.zet(melding(c, "2023-12-01T09:00:00Z"), "2023-12-01T09:01:00Z")
    await rap.zet(
        ev.MeldingAfdoeningBepaald(melding_id=c, afdoening="mediation", datum="2024-01-10"),
        "2024-01-10T10:00:00Z",
    )
    await rap.zet(
        ev.MeldingAfgerond(melding_id=c, conclusie="geen_schending", datum="2024-02-01"),
        "2024-02-01T10:00:00Z",
    )
    # a second afdoening decision replaces the first: the latest counts
    await rap.zet(
        ev.MeldingAfdoeningBepaald(melding_id=a, afdoening="geen_vervolg", datum="2024-02-05"),
        "2024-02-05T10:00:00Z",
    )
    await rap.zet(
        ev.MeldingAfdoeningBepaald(
            melding_id=a, afdoening="integriteitsonderzoek", datum="2024-02-20"
        ),
        "2024-02-20T10:00:00Z",
    )
    an = (await rap.verslag(2024))["analyse"]
    assert an["kanaal"] == {"mid": y(1, 1), "leidinggevende": y(1)}
    assert an["anoniem"] == {"ja": y(1), "nee": y(1, 1)}
    assert an["afdoening"]["mediation"] == y(1)
    assert an["afdoening"]["integriteitsonderzoek"] == y(1)
    assert an["afdoening"]["geen_vervolg"] == y(0)
    assert an["conclusie"] == {
        "schending_vastgesteld": y(),
        "geen_schending": y(1),
        "niet_van_toepassing": y(),
    }
    # a peildatum before an event excludes it: on 15 February the first afdoening of `a`
    # stood, and the second was not yet known
    an = (await rap.verslag(2024, "2024-02-15"))["analyse"]
    assert an["afdoening"]["geen_vervolg"] == y(1)
    assert an["afdoening"]["integriteitsonderzoek"] == y(0)
    an = (await rap.verslag(2024, "2024-01-31"))["analyse"]
    assert an["conclusie"]["geen_schending"] == y(0)
    assert an["kanaal"]["leidinggevende"] == y(0)


async def test_klacht_wijze_oordeel_and_cog_advies(rap):
    k1, k2, k3 = uid(), uid(), uid()
    for k, onderdeel in ((k1, "BS"), (k2, "BS"), (k3, "CLAS")):
        await rap.zet(klacht(k, "2024-01-15T10:00:00Z", onderdeel), "2024-01-15T10:01:00Z")
    await rap.zet(
        ev.KlachtAfgehandeld(
            klacht_id=k1, wijze="informeel", oordeel="ingetrokken", datum="2024-02-01"
        ),
        "2024-02-01T10:00:00Z",
    )
    await rap.zet(
        ev.CogBehandelingGestart(klacht_id=k2, datum="2024-01-20"), "2024-01-20T10:00:00Z"
    )
    await rap.zet(
        ev.CogAdviesUitgebracht(klacht_id=k2, advies="gegrond", datum="2024-03-01"),
        "2024-03-01T10:00:00Z",
    )
    await rap.zet(
        ev.KlachtAfgehandeld(klacht_id=k2, wijze="besluit", oordeel="gegrond", datum="2025-01-10"),
        "2025-01-10T10:00:00Z",
    )
    an = (await rap.verslag(2024))["analyse"]
    assert an["klachtWijze"] == {"informeel": y(1), "besluit": y(0)}
    assert an["klachtOordeel"]["ingetrokken"] == y(1)
    assert an["klachtOordeel"]["gegrond"] == y(0)  # handled in 2025
    assert an["cogAdvies"]["gegrond"] == y(1)
    an25 = (await rap.verslag(2025, "2025-02-01"))["analyse"]
    assert an25["klachtWijze"]["besluit"] == {"2025": 1, "2024": 0, "2023": 0}
    # before the advice was registered
    an = (await rap.verslag(2024, "2024-02-28"))["analyse"]
    assert an["cogAdvies"]["gegrond"] == y(0)
    # durations: receipt to handling, in days (17 for k1)
    assert an["doorlooptijden"]["klachtOntvangstTotAfhandeling"] == {
        "mediaan": {"2024": 17, "2023": None, "2022": None},
        "p90": {"2024": 17, "2023": None, "2022": None},
    }


async def test_doorverwijzingen_and_informal_conversations(rap):
    c1, c2, c3 = uid(), uid(), uid()
    for c in (c1, c2, c3):
        await rap.zet(casus(c, "2024-03-01"), "2024-03-01T10:00:00Z")
    await rap.zet(
        ev.CasusAfgesloten(casus_id=c1, datum="2024-04-01", doorverwezen_naar="p_en_o"),
        "2024-04-01T10:00:00Z",
    )
    # closed without a referral: not a doorverwijzing
    await rap.zet(
        ev.CasusAfgesloten(casus_id=c2, datum="2024-04-01", doorverwezen_naar=None),
        "2024-04-01T10:00:00Z",
    )
    for datum, aantal in (("2024-03-31", 7), ("2024-06-30", 5), ("2023-12-31", 2)):
        await rap.zet(
            ev.InformeleGesprekkenGeteld(defensieonderdeel="CLSK", datum=datum, aantal=aantal),
            f"{datum}T12:00:00Z",
        )
    an = (await rap.verslag(2024))["analyse"]
    assert an["doorverwijzingen"]["p_en_o"] == y(1)
    assert sum(s["2024"] for s in an["doorverwijzingen"].values()) == 1
    assert an["informeleGesprekken"] == y(12, 2)
    an = (await rap.verslag(2024, "2024-05-01"))["analyse"]
    assert an["informeleGesprekken"] == y(7, 2)


async def test_doorlooptijden_median_and_p90_per_stage(rap):
    # ten meldingen received 1 March, acknowledged after 1..10 days, feedback 30 days on,
    # closed 60 days after receipt
    for i in range(1, 11):
        mid = uid()
        await rap.zet(melding(mid, "2024-03-01T09:00:00Z"), "2024-03-01T09:01:00Z")
        bev = f"2024-03-{1 + i:02d}"
        await rap.zet(ev.MeldingOntvangstBevestigd(melding_id=mid, datum=bev), f"{bev}T12:00:00Z")
        tk = f"2024-04-{1 + i:02d}"  # 31 days after the acknowledgement
        await rap.zet(ev.MeldingTerugkoppelingGegeven(melding_id=mid, datum=tk), f"{tk}T12:00:00Z")
        await rap.zet(
            ev.MeldingAfgerond(melding_id=mid, conclusie="geen_schending", datum="2024-04-30"),
            "2024-04-30T12:00:00Z",
        )
    oz = uid()
    await rap.zet(
        ev.IntegriteitsonderzoekGestart(
            onderzoek_id=oz, defensieonderdeel="BS", startdatum="2023-11-01", melding_id=None
        ),
        "2023-11-01T10:00:00Z",
    )
    await rap.zet(
        ev.IntegriteitsonderzoekAfgerond(
            onderzoek_id=oz, einddatum="2024-01-31", conclusie="geen_schending"
        ),
        "2024-01-31T10:00:00Z",
    )
    d = (await rap.verslag(2024))["analyse"]["doorlooptijden"]
    # 1..10: median 5.5, nearest-rank p90 = the 9th value
    assert d["ontvangstTotBevestiging"]["mediaan"]["2024"] == 5.5
    assert d["ontvangstTotBevestiging"]["p90"]["2024"] == 9
    assert d["bevestigingTotTerugkoppeling"]["mediaan"]["2024"] == 31
    assert d["ontvangstTotAfronding"] == {
        "mediaan": {"2024": 60, "2023": None, "2022": None},
        "p90": {"2024": 60, "2023": None, "2022": None},
    }
    assert d["onderzoekStartTotEinde"]["mediaan"] == {"2024": 91, "2023": None, "2022": None}
    # by 4 March three were acknowledged (1, 2, 3 days); none had feedback
    d = (await rap.verslag(2024, "2024-03-04"))["analyse"]["doorlooptijden"]
    assert d["ontvangstTotBevestiging"]["mediaan"]["2024"] == 2
    assert d["bevestigingTotTerugkoppeling"]["mediaan"]["2024"] is None


async def test_per_onderdeel_suppressed_and_in_the_csv(rap):
    # CLSK: 6 meldingen by mid, 2 by leidinggevende; BS: 5 by mid
    for i in range(8):
        kanaal = "mid" if i < 6 else "leidinggevende"
        await rap.zet(melding(uid(), "2024-02-01T09:00:00Z", kanaal=kanaal), "2024-02-01T09:01:00Z")
    for _ in range(5):
        await rap.zet(
            melding(uid(), "2024-02-01T09:00:00Z", defensieonderdeel="BS"),
            "2024-02-01T09:01:00Z",
        )
    r = await rap.svc.client.get(
        f"{BASE}/indicatoren", params={"jaar": 2024, "peildatum": "2025-01-01"}, headers=rap.h()
    )
    assert r.status_code == 200, r.text
    rows = {(x["indicator"], x["defensieonderdeel"]): x for x in r.json()}
    assert {n for n, _ in rows} >= {
        "analyse.kanaal.mid",
        "analyse.kanaal.leidinggevende",
        "analyse.anoniem.ja",
        "analyse.afdoening.mediation",
        "analyse.afdoening.totaal",
        "analyse.klachtOordeel.gegrond",
        "analyse.cogAdvies.gegrond",
        "analyse.doorverwijzingen.p_en_o",
        "analyse.informeleGesprekken",
    }
    # 2 is below the threshold: hidden, and with it enough that 6 cannot be derived from
    # the published meldingen.hrhd of CLSK (8)
    assert rows[("analyse.kanaal.leidinggevende", "CLSK")] == {
        **rows[("analyse.kanaal.leidinggevende", "CLSK")],
        "waarde": None,
        "onderdrukt": True,
    }
    assert rows[("meldingen.hrhd", "CLSK")]["waarde"] == 8
    assert rows[("analyse.kanaal.mid", "CLSK")]["onderdrukt"] is True
    # every onderdeel has every analysis indicator
    assert all(("analyse.anoniem.nee", o) in rows for o in DEFENSIEONDERDELEN)
    # the CSV carries every analysis series
    r = await rap.svc.client.get(
        f"{BASE}/jaarverslagen/2024",
        params={"peildatum": "2025-01-01"},
        headers={**rap.h(), "Accept": "text/csv"},
    )
    assert r.status_code == 200
    regels = r.text.splitlines()
    assert "analyse.kanaal.mid,2024,11" in regels
    assert "analyse.kanaal.leidinggevende,2024,2" in regels
    assert "analyse.doorlooptijden.ontvangstTotBevestiging.mediaan,2024," in regels
