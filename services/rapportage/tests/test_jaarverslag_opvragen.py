"""GET /jaarverslagen/{jaar}: each indicator's definition and its edge cases."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from integriteit_shared.codes import DEFENSIEONDERDELEN, KLACHTSOORTEN, OPLEIDINGEN
from integriteit_shared.events import models as ev

BASE = "/api/rapportage/v1"


def uid() -> str:
    return str(uuid.uuid4())


def melding(ontvangen: str, sub: str = "pesten", hoofd: str = "ongewenst_gedrag", **kw: Any):
    data: dict[str, Any] = {
        "melding_id": kw.pop("melding_id", uid()),
        "ontvangen_op": ontvangen,
        "kanaal": "mid",
        "defensieonderdeel": "CLSK",
        "hoofdcategorie": hoofd,
        "subcategorie": sub,
        "anoniem": False,
        "vermoeden_misstand": False,
    }
    data.update(kw)
    return ev.MeldingOntvangen.model_validate(data)


async def test_event_at_new_year_utc_counts_for_the_next_amsterdam_year(rap):
    # 23:30 UTC on 31 December is 00:30 on 1 January in Amsterdam
    await rap.zet(melding("2024-12-31T23:30:00Z"), "2024-12-31T23:31:00Z")
    await rap.zet(melding("2024-12-31T22:30:00Z"), "2024-12-31T22:31:00Z")
    await rap.zet(
        ev.KlachtIngediend(
            klacht_id=uid(),
            ontvangen_op="2024-12-31T23:30:00Z",
            soort="combinatie",
            indiener="medewerker",
            defensieonderdeel="BS",
        ),
        "2024-12-31T23:31:00Z",
    )
    v25 = await rap.verslag(2025, "2025-01-02")
    assert v25["meldingen"]["hrhd"] == {"2025": 1, "2024": 1, "2023": 0}
    assert v25["meldingen"]["totaal"] == {"2025": 1, "2024": 1, "2023": 0}
    assert v25["klachten"]["ingediend"] == {"2025": 1, "2024": 0, "2023": 0}
    assert v25["klachten"]["perSoort"]["combinatie"] == {"2025": 1, "2024": 0, "2023": 0}
    # registered on 1 January (Amsterdam): not yet known on peildatum 31 December
    v24 = await rap.verslag(2024, "2024-12-31")
    assert v24["meldingen"]["hrhd"]["2024"] == 1


async def test_every_series_has_the_three_years_and_every_code(rap):
    v = await rap.verslag(2024)
    assert v["jaar"] == 2024 and v["peildatum"] == "2025-01-01" and v["jaren"] == [2024, 2023, 2022]
    assert v["meldingen"]["totaal"] == {"2024": 0, "2023": 0, "2022": 0}
    assert set(v["klachten"]["perSoort"]) == set(KLACHTSOORTEN)
    assert set(v["opleidingen"]["deelnemers"]) == set(OPLEIDINGEN)
    assert set(v["vertrouwenspersonen"]["perHoofdcategorie"]) == {
        "ongewenst_gedrag",
        "zakelijke_integriteit",
        "overig",
    }
    assert set(v["vertrouwenspersonen"]["netwerk"]) == set(DEFENSIEONDERDELEN)
    assert set(v["meldingen"]["perDefensieonderdeel"]) == set(DEFENSIEONDERDELEN)
    assert v["meldingen"]["top3"] == {"ongewenst_gedrag": [], "zakelijke_integriteit": []}
    assert v["doorlooptijden"]["mediaanDagenTotAfronding"] is None


async def test_investigation_started_2023_ended_2024_counts_in_both_years(rap):
    plan = [
        (date(2023, 5, 1), date(2024, 3, 1)),  # before -> in
        (date(2023, 6, 1), date(2024, 2, 1)),
        (date(2024, 2, 1), date(2024, 6, 1)),  # in -> in
        (date(2024, 10, 1), None),  # in -> running
        (date(2022, 1, 1), date(2022, 12, 31)),  # only 2022
        (date(2021, 6, 1), date(2025, 1, 5)),  # spans all, ended after the peildatum
    ]
    for k, (start, eind) in enumerate(plan):
        oid = f"o{k}"
        await rap.zet(
            ev.IntegriteitsonderzoekGestart(
                onderzoek_id=oid, defensieonderdeel="CLAS", startdatum=start, melding_id=None
            ),
            f"{start}T10:00:00Z",
        )
        if eind:
            await rap.zet(
                ev.IntegriteitsonderzoekAfgerond(
                    onderzoek_id=oid, einddatum=eind, conclusie="geen_schending"
                ),
                f"{eind}T10:00:00Z",
            )
    o = (await rap.verslag(2024))["integriteitsonderzoeken"]
    assert o["uitgevoerd"] == {"2024": 5, "2023": 3, "2022": 2}
    assert o["gestartVoorJaarAfgerondInJaar"] == 2
    assert o["gestartEnAfgerondInJaar"] == 1
    assert o["gestartInJaarDoorlopend"] == 1


async def test_recategorised_melding_moves_in_the_top3(rap):
    ids = []
    for sub, n in (("intimidatie", 2), ("kwaadspreken", 2), ("pesten", 1), ("stalking", 1)):
        for _ in range(n):
            m = melding("2024-03-01T10:00:00Z", sub)
            ids.append((m.melding_id, sub))
            await rap.zet(m, "2024-03-01T10:05:00Z")
    bps = ev.BpsMeldingGeregistreerd(
        bps_id="B1",
        registratiedatum=date(2024, 4, 1),
        hoofdcategorie="ongewenst_gedrag",
        subcategorie="stalking",
    )
    await rap.zet(bps, "2024-04-01T10:00:00Z")
    top = (await rap.verslag(2024))["meldingen"]["top3"]["ongewenst_gedrag"]
    # tie on 2: code ascending; stalking (1 HRHD + 1 BPS) = 2 as well
    assert top == [
        {"subcategorie": "intimidatie", "aantal": 2},
        {"subcategorie": "kwaadspreken", "aantal": 2},
        {"subcategorie": "stalking", "aantal": 2},
    ]
    pesten_id = next(i for i, s in ids if s == "pesten")
    stalking_id = next(i for i, s in ids if s == "stalking")
    for mid in (stalking_id,):
        await rap.zet(
            ev.MeldingGecategoriseerd(
                melding_id=mid, hoofdcategorie="ongewenst_gedrag", subcategorie="pesten"
            ),
            "2024-06-01T10:00:00Z",
        )
    kw_id = next(i for i, s in ids if s == "kwaadspreken")
    await rap.zet(
        ev.MeldingGecategoriseerd(
            melding_id=kw_id,
            hoofdcategorie="zakelijke_integriteit",
            subcategorie="misbruik_positie",
        ),
        "2024-06-02T10:00:00Z",
    )
    v = await rap.verslag(2024)
    assert v["meldingen"]["top3"]["ongewenst_gedrag"] == [
        {"subcategorie": "intimidatie", "aantal": 2},
        {"subcategorie": "pesten", "aantal": 2},
        {"subcategorie": "kwaadspreken", "aantal": 1},
    ]
    assert v["meldingen"]["top3"]["zakelijke_integriteit"] == [
        {"subcategorie": "misbruik_positie", "aantal": 1}
    ]
    # as of a peildatum before the recategorisations, the old ranking holds
    before = await rap.verslag(2024, "2024-05-31")
    assert before["meldingen"]["top3"]["ongewenst_gedrag"][2] == {
        "subcategorie": "stalking",
        "aantal": 2,
    }
    assert pesten_id


async def test_recategorisation_arriving_before_the_melding(rap):
    mid = uid()
    await rap.zet(
        ev.MeldingGecategoriseerd(
            melding_id=mid, hoofdcategorie="zakelijke_integriteit", subcategorie="lekken_informatie"
        ),
        "2024-02-02T10:00:00Z",
    )
    assert (await rap.verslag(2024))["meldingen"]["totaal"]["2024"] == 0
    await rap.zet(melding("2024-02-01T10:00:00Z", "pesten", melding_id=mid), "2024-02-01T10:00:00Z")
    v = await rap.verslag(2024)
    assert v["meldingen"]["totaal"]["2024"] == 1
    assert v["meldingen"]["top3"]["zakelijke_integriteit"] == [
        {"subcategorie": "lekken_informatie", "aantal": 1}
    ]
    assert v["meldingen"]["top3"]["ongewenst_gedrag"] == []


async def test_peildatum_before_registration_excludes_the_event(rap):
    # received in 2024, but registered (entered later, e.g. a paper intake) in February 2025
    await rap.zet(melding("2024-12-20T10:00:00Z"), "2025-02-03T09:00:00Z")
    await rap.zet(melding("2024-12-20T10:00:00Z"), "2024-12-20T10:00:00Z")
    assert (await rap.verslag(2024, "2025-01-01"))["meldingen"]["hrhd"]["2024"] == 1
    assert (await rap.verslag(2024, "2025-02-03"))["meldingen"]["hrhd"]["2024"] == 2
    # registration on 2025-02-03 09:00Z = 10:00 Amsterdam: peildatum 2025-02-02 excludes it
    assert (await rap.verslag(2024, "2025-02-02"))["meldingen"]["hrhd"]["2024"] == 1


async def test_afronding_arriving_before_its_ontvangst(rap):
    mid = uid()
    await rap.zet(
        ev.MeldingAfgerond(melding_id=mid, conclusie="geen_schending", datum=date(2024, 3, 11)),
        "2024-03-11T12:00:00Z",
    )
    await rap.zet(
        ev.MeldingOntvangstBevestigd(melding_id=mid, datum=date(2024, 3, 2)), "2024-03-02T12:00:00Z"
    )
    assert (await rap.verslag(2024))["doorlooptijden"]["mediaanDagenTotAfronding"] is None
    await rap.zet(melding("2024-03-01T10:00:00Z", melding_id=mid), "2024-03-01T10:00:00Z")
    v = await rap.verslag(2024)
    assert v["meldingen"]["hrhd"]["2024"] == 1
    assert v["doorlooptijden"]["mediaanDagenTotAfronding"] == 10
    assert v["doorlooptijden"]["ontvangstbevestigingBinnen7DagenProcent"] == 100.0


async def test_bps_violations_as_of_the_peildatum_and_kmar_investigations(rap):
    for i in range(3):
        await rap.zet(
            ev.BpsMeldingGeregistreerd(
                bps_id=f"B{i}",
                registratiedatum=date(2024, 5, 1),
                hoofdcategorie="overig",
                subcategorie="overig",
            ),
            "2024-05-01T10:00:00Z",
        )
    # established for B0 in 2024, for B1 only in February 2025 (after the peildatum)
    await rap.zet(
        ev.BpsSchendingVastgesteld(bps_id="B0", datum=date(2024, 8, 1)), "2024-08-01T10:00:00Z"
    )
    await rap.zet(
        ev.BpsSchendingVastgesteld(bps_id="B1", datum=date(2025, 2, 1)), "2025-02-01T10:00:00Z"
    )
    # a violation arriving before its BPS melding still counts once both are in
    await rap.zet(
        ev.BpsSchendingVastgesteld(bps_id="B9", datum=date(2023, 9, 1)), "2023-09-01T10:00:00Z"
    )
    await rap.zet(
        ev.BpsMeldingGeregistreerd(
            bps_id="B9",
            registratiedatum=date(2023, 6, 1),
            hoofdcategorie="overig",
            subcategorie="overig",
        ),
        "2023-06-01T10:00:00Z",
    )
    for k, (start, eind, schending) in enumerate(
        [
            ("2023-11-01", "2024-01-10", True),
            ("2024-02-01", "2024-05-01", False),
            ("2024-03-01", None, None),
        ]
    ):
        await rap.zet(
            ev.RechtspositioneelOnderzoekGestart(onderzoek_id=f"R{k}", startdatum=start),
            f"{start}T09:00:00Z",
        )
        if eind:
            await rap.zet(
                ev.RechtspositioneelOnderzoekAfgerond(
                    onderzoek_id=f"R{k}", einddatum=eind, schending_vastgesteld=schending
                ),
                f"{eind}T09:00:00Z",
            )
    v = await rap.verslag(2024)
    assert v["meldingen"]["bps"] == {"2024": 3, "2023": 1, "2022": 0}
    assert v["meldingen"]["vastgesteldeSchendingenBps"] == {"2024": 1, "2023": 1, "2022": 0}
    assert (await rap.verslag(2024, "2025-02-01"))["meldingen"]["vastgesteldeSchendingenBps"][
        "2024"
    ] == 2
    assert v["kmar"] == {
        "rechtspositioneleOnderzoekenGestart": {"2024": 2, "2023": 1, "2022": 0},
        "rechtspositioneleOnderzoekenAfgerond": {"2024": 2, "2023": 0, "2022": 0},
        "schendingVastgesteld": {"2024": 1, "2023": 0, "2022": 0},
    }
    assert v["meldingen"]["perDefensieonderdeel"]["KMAR"] == {"waarde": None, "onderdrukt": True}


async def test_misstanden_klachten_nevenwerkzaamheden(rap):
    m22 = melding("2022-05-01T10:00:00Z", vermoeden_misstand=True)
    await rap.zet(m22, "2022-05-01T10:00:00Z")
    m23 = melding("2023-05-01T10:00:00Z")
    await rap.zet(m23, "2023-05-01T10:00:00Z")
    await rap.zet(
        ev.MisstandVermoedenGeregistreerd(melding_id=m23.melding_id, datum=date(2023, 7, 1)),
        "2023-07-01T10:00:00Z",
    )
    await rap.zet(
        ev.MisstandAfgerond(melding_id=m22.melding_id, vastgesteld=False, datum=date(2024, 2, 1)),
        "2024-02-01T10:00:00Z",
    )
    await rap.zet(
        ev.MisstandAfgerond(melding_id=m23.melding_id, vastgesteld=True, datum=date(2024, 3, 1)),
        "2024-03-01T10:00:00Z",
    )
    k1, k2 = uid(), uid()
    for kid, soort, dag in (
        (k1, "ongewenst_gedrag", "2024-01-10"),
        (k2, "onbehoorlijkheid", "2023-12-01"),
    ):
        await rap.zet(
            ev.KlachtIngediend(
                klacht_id=kid,
                ontvangen_op=f"{dag}T10:00:00+01:00",
                soort=soort,
                indiener="medewerker",
                defensieonderdeel="CZSK",
            ),
            f"{dag}T10:00:00Z",
        )
    await rap.zet(
        ev.CogBehandelingGestart(klacht_id=k2, datum=date(2024, 1, 5)), "2024-01-05T10:00:00Z"
    )
    await rap.zet(
        ev.CogAdviesUitgebracht(klacht_id=k2, advies="gegrond", datum=date(2024, 2, 1)),
        "2024-02-01T10:00:00Z",
    )
    # k1: 6 weeks + 2 weeks adjournment = 56 days; handled on day 56 -> within its term
    await rap.zet(ev.KlachtVerdaagd(klacht_id=k1, weken=2), "2024-02-10T10:00:00Z")
    await rap.zet(
        ev.KlachtAfgehandeld(
            klacht_id=k1, wijze="informeel", oordeel="gegrond", datum=date(2024, 3, 6)
        ),
        "2024-03-06T10:00:00Z",
    )
    await rap.zet(
        ev.KlachtAfgehandeld(
            klacht_id=k2, wijze="besluit", oordeel="gegrond", datum=date(2024, 2, 1)
        ),
        "2024-02-01T10:00:00Z",
    )
    n1, n2, n3 = uid(), uid(), uid()
    # advice before registration (out of order), a changed advice, no advice yet
    await rap.zet(
        ev.NevenwerkzaamheidGeadviseerd(
            nevenwerkzaamheid_id=n1, advies="positief", datum=date(2024, 2, 1)
        ),
        "2024-02-01T10:00:00Z",
    )
    for nid in (n1, n2, n3):
        await rap.zet(
            ev.NevenwerkzaamheidGeregistreerd(
                nevenwerkzaamheid_id=nid,
                defensieonderdeel="BS",
                registratiedatum=date(2024, 1, 20),
                betaald=True,
            ),
            "2024-01-20T10:00:00Z",
        )
    await rap.zet(
        ev.NevenwerkzaamheidGeadviseerd(
            nevenwerkzaamheid_id=n2, advies="positief", datum=date(2024, 3, 1)
        ),
        "2024-03-01T10:00:00Z",
    )
    await rap.zet(
        ev.NevenwerkzaamheidGeadviseerd(
            nevenwerkzaamheid_id=n2, advies="negatief", datum=date(2024, 4, 1)
        ),
        "2024-04-01T10:00:00Z",
    )
    v = await rap.verslag(2024)
    assert v["misstanden"] == {
        "inBehandelingGenomen": {"2024": 0, "2023": 1, "2022": 1},
        "afgerond": {"2024": 2, "2023": 0, "2022": 0},
        "vastgesteld": {"2024": 1, "2023": 0, "2022": 0},
    }
    assert v["klachten"]["ingediend"] == {"2024": 1, "2023": 1, "2022": 0}
    assert v["klachten"]["behandeldDoorCog"] == {"2024": 1, "2023": 0, "2022": 0}
    assert v["doorlooptijden"]["klachtenBinnenTermijnProcent"] == 100.0
    assert v["doorlooptijden"]["mediaanDagenKlacht"] == 59  # (56 + 62) / 2
    assert v["nevenwerkzaamheden"] == {
        "geregistreerd": {"2024": 3, "2023": 0, "2022": 0},
        "positiefAdvies": {"2024": 1, "2023": 0, "2022": 0},
        "negatiefAdvies": {"2024": 1, "2023": 0, "2022": 0},
    }
    as_of_march = (await rap.verslag(2024, "2024-03-15"))["nevenwerkzaamheden"]
    assert as_of_march["positiefAdvies"]["2024"] == 2 and as_of_march["negatiefAdvies"]["2024"] == 0


async def test_network_growth_casussen_and_opleidingen(rap):
    for k in range(5):
        await rap.zet(
            ev.VertrouwenspersoonAangesteld(
                vertrouwenspersoon_id=f"v{k}", defensieonderdeel="CLSK", datum=date(2023, 3, 1)
            ),
            "2023-03-01T10:00:00Z",
        )
    for k in (5, 6):
        await rap.zet(
            ev.VertrouwenspersoonAangesteld(
                vertrouwenspersoon_id=f"v{k}", defensieonderdeel="CLSK", datum=date(2024, 3, 1)
            ),
            "2024-03-01T10:00:00Z",
        )
    await rap.zet(
        ev.VertrouwenspersoonBeeindigd(vertrouwenspersoon_id="v0", datum=date(2024, 12, 31)),
        "2024-12-31T10:00:00Z",
    )
    await rap.zet(
        ev.VertrouwenspersoonAangesteld(
            vertrouwenspersoon_id="x", defensieonderdeel="BS", datum=date(2024, 5, 1)
        ),
        "2024-05-01T10:00:00Z",
    )
    for hoofd, sub in (("ongewenst_gedrag", "pesten"), ("overig", "arbeidsconflict")):
        await rap.zet(
            ev.CasusGeregistreerd(
                casus_id=uid(),
                defensieonderdeel="CLSK",
                datum=date(2024, 6, 1),
                hoofdcategorie=hoofd,
                subcategorie=sub,
            ),
            "2024-06-01T10:00:00Z",
        )
    for aantal in (10, 5):
        await rap.zet(
            ev.OpleidingsdeelnameGeregistreerd(
                opleiding="mindbugs", datum=date(2024, 4, 1), aantal_deelnemers=aantal
            ),
            "2024-04-02T10:00:00Z",
        )
    v = await rap.verslag(2024)
    netwerk = v["vertrouwenspersonen"]["netwerk"]
    assert netwerk["CLSK"] == {"aantal": 6, "groeiProcent": 20.0}  # 5 -> 6
    assert netwerk["BS"] == {"aantal": 1, "groeiProcent": None}  # previous 0
    assert netwerk["DOSCO"] == {"aantal": 0, "groeiProcent": None}
    vp = v["vertrouwenspersonen"]
    assert vp["casussen"] == {"2024": 2, "2023": 0, "2022": 0}
    assert vp["perHoofdcategorie"]["overig"]["2024"] == 1
    assert vp["top3"]["ongewenst_gedrag"] == [{"subcategorie": "pesten", "aantal": 1}]
    assert v["opleidingen"]["deelnemers"]["mindbugs"] == {"2024": 15, "2023": 0, "2022": 0}
    assert v["opleidingen"]["totaal"] == {"2024": 15, "2023": 0, "2022": 0}


async def test_etag_304_and_new_etag_after_a_new_event(rap):
    url = f"{BASE}/jaarverslagen/2024"
    params = {"peildatum": "2025-01-01"}
    r1 = await rap.svc.client.get(url, params=params, headers=rap.h())
    etag = r1.headers["etag"]
    r2 = await rap.svc.client.get(url, params=params, headers={**rap.h(), "If-None-Match": etag})
    assert r2.status_code == 304 and r2.headers["etag"] == etag and r2.content == b""
    await rap.zet(melding("2024-05-01T10:00:00Z"), "2024-05-01T10:00:00Z")
    r3 = await rap.svc.client.get(url, params=params, headers={**rap.h(), "If-None-Match": etag})
    assert r3.status_code == 200 and r3.headers["etag"] != etag
    assert r3.json()["meldingen"]["totaal"]["2024"] == 1


async def test_csv_is_flat_indicator_jaar_waarde(rap):
    await rap.zet(melding("2024-05-01T10:00:00Z", "intimidatie"), "2024-05-01T10:00:00Z")
    r = await rap.svc.client.get(
        f"{BASE}/jaarverslagen/2024",
        params={"peildatum": "2025-01-01"},
        headers={**rap.h(), "Accept": "text/csv"},
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.text.splitlines()
    assert lines[0] == "indicator,jaar,waarde"
    assert "meldingen.totaal,2024,1" in lines
    assert "meldingen.totaal,2022,0" in lines
    assert "meldingen.top3.ongewenst_gedrag.intimidatie,2024,1" in lines
    assert "meldingen.perDefensieonderdeel.CLSK,2024," in lines  # suppressed: empty
    assert "klachten.perSoort.combinatie,2023,0" in lines
    assert "doorlooptijden.mediaanDagenKlacht,2024," in lines


async def test_rebuild_gives_byte_identical_figures(rap):
    mid = uid()
    await rap.zet(melding("2024-03-01T10:00:00Z", melding_id=mid), "2024-03-01T10:00:00Z")
    await rap.zet(
        ev.MeldingGecategoriseerd(
            melding_id=mid, hoofdcategorie="overig", subcategorie="privesituatie"
        ),
        "2024-03-01T10:00:00Z",  # same time as the receipt: the recategorisation still wins
    )
    await rap.zet(
        ev.OpleidingsdeelnameGeregistreerd(
            opleiding="kameraadschap", datum=date(2023, 4, 1), aantal_deelnemers=7
        ),
        "2023-04-02T10:00:00Z",
    )
    url = f"{BASE}/jaarverslagen/2024"
    before = await rap.svc.client.get(url, params={"peildatum": "2025-01-01"}, headers=rap.h())
    r = await rap.svc.client.post(f"{BASE}/herberekening", headers=rap.h("beheerder"))
    assert r.status_code == 200 and r.json()["gebeurtenissen"] == 3
    after = await rap.svc.client.get(url, params={"peildatum": "2025-01-01"}, headers=rap.h())
    assert after.content == before.content
    assert after.headers["etag"] == before.headers["etag"]
    assert before.json()["meldingen"]["hrhd"]["2024"] == 1
