"""A cvp sees counts of casussen for their onderdeel, small ones suppressed; never casussen."""

from __future__ import annotations


async def registreer(vp, headers, onderdeel: str, hoofd: str, sub: str, datum: str) -> None:
    r = await vp.client.post(
        f"{vp.base}/casussen",
        json={
            "defensieonderdeel": onderdeel,
            "datum": datum,
            "hoofdcategorie": hoofd,
            "subcategorie": sub,
            "notitie": "prive",
        },
        headers=headers,
    )
    assert r.status_code == 201


async def test_tellingen_per_hoofdcategorie_met_onderdrukking(vp, tokens):
    adviseur = tokens.headers("vertrouwenspersoon", sub="vp-defensie")
    for _ in range(6):
        await registreer(vp, adviseur, "CLAS", "ongewenst_gedrag", "pesten", "2024-02-01")
    for _ in range(2):
        await registreer(vp, adviseur, "CLAS", "overig", "arbeidsconflict", "2024-11-30")
    await registreer(vp, adviseur, "CLAS", "overig", "privesituatie", "2023-12-31")  # other year
    for _ in range(5):
        await registreer(
            vp, adviseur, "BS", "zakelijke_integriteit", "lekken_informatie", "2024-07-01"
        )

    cvp_clas = tokens.headers("cvp", onderdeel="CLAS", sub="cvp-clas")
    r = await vp.client.get(
        f"{vp.base}/casussen/tellingen", params={"jaar": 2024}, headers=cvp_clas
    )
    assert r.status_code == 200
    assert r.json() == {
        "jaar": 2024,
        "defensieonderdeel": "CLAS",
        # the total is shown, as rapportage shows casussen per onderdeel; 8 - 6 does not
        # give the 2 away, since the 0 next to it is hidden as well (and BS's 5 in that
        # column, else the Defensie figure per hoofdcategorie would)
        "totaal": {"waarde": 8, "onderdrukt": False},
        "perHoofdcategorie": {
            "ongewenst_gedrag": {"waarde": 6, "onderdrukt": False},
            "zakelijke_integriteit": {"waarde": None, "onderdrukt": True},
            "overig": {"waarde": None, "onderdrukt": True},
        },
    }
    assert "prive" not in r.text

    cvp_bs = tokens.headers("cvp", onderdeel="BS", sub="cvp-bs")
    r = await vp.client.get(f"{vp.base}/casussen/tellingen", params={"jaar": 2024}, headers=cvp_bs)
    assert r.json()["totaal"] == {"waarde": 5, "onderdrukt": False}
    # the other corners of the rectangle that protects CLAS's 2
    assert r.json()["perHoofdcategorie"] == {
        "ongewenst_gedrag": {"waarde": 0, "onderdrukt": False},
        "zakelijke_integriteit": {"waarde": None, "onderdrukt": True},
        "overig": {"waarde": None, "onderdrukt": True},
    }
    # a cvp cannot ask for another onderdeel's counts
    r = await vp.client.get(
        f"{vp.base}/casussen/tellingen",
        params={"jaar": 2024, "defensieonderdeel": "CLAS"},
        headers=cvp_bs,
    )
    assert r.status_code == 403

    # Defensie-wide counts are never suppressed
    cvp_defensie = tokens.headers("cvp", sub="cvp-defensie")
    r = await vp.client.get(
        f"{vp.base}/casussen/tellingen", params={"jaar": 2024}, headers=cvp_defensie
    )
    assert r.json()["defensieonderdeel"] is None
    assert r.json()["totaal"] == {"waarde": 13, "onderdrukt": False}
    assert r.json()["perHoofdcategorie"]["overig"] == {"waarde": 2, "onderdrukt": False}

    # and a cvp never gets the casussen themselves
    r = await vp.client.get(f"{vp.base}/casussen", headers=cvp_clas)
    assert r.status_code == 403

    r = await vp.client.get(f"{vp.base}/casussen/tellingen", headers=cvp_clas)
    assert r.status_code == 400
    assert [p["name"] for p in r.json()["invalidParams"]] == ["jaar"]


async def test_het_voorbeeld_12_2_7_laat_zich_niet_terugrekenen(vp, tokens):
    """issue 15: casussen CLAS 12, BS 2, CZSK 7. The Defensie-wide 21 is shown, so BS's 2
    is hidden with a second total (the cheapest: an empty onderdeel, the same one
    rapportage hides in `/indicatoren`), and in BS's own table the 2 as well."""
    adviseur = tokens.headers("vertrouwenspersoon", sub="vp-defensie")
    for onderdeel, n in (("CLAS", 12), ("BS", 2), ("CZSK", 7)):
        for _ in range(n):
            await registreer(vp, adviseur, onderdeel, "overig", "arbeidsconflict", "2024-05-01")

    async def tellingen(onderdeel: str | None) -> dict:
        headers = tokens.headers("cvp", sub="cvp-defensie")
        params: dict[str, str | int] = {"jaar": 2024}
        if onderdeel:
            params["defensieonderdeel"] = onderdeel
        r = await vp.client.get(f"{vp.base}/casussen/tellingen", params=params, headers=headers)
        assert r.status_code == 200, r.text
        return dict(r.json())

    defensie = await tellingen(None)
    assert defensie["totaal"] == {"waarde": 21, "onderdrukt": False}
    per = {o: await tellingen(o) for o in ("BS", "CZSK", "CLAS", "CLSK", "KMAR", "COMMIT", "DOSCO")}
    assert {o for o, t in per.items() if t["totaal"]["onderdrukt"]} == {"BS", "CLSK"}
    bs = per["BS"]
    verborgen = [k for k, c in bs["perHoofdcategorie"].items() if c["onderdrukt"]]
    assert bs["totaal"]["onderdrukt"] and verborgen == ["overig"]  # two cells hidden
    assert per["CLAS"]["perHoofdcategorie"]["overig"] == {"waarde": 12, "onderdrukt": False}


async def test_het_lopende_jaar_telt_per_onderdeel_tot_het_laatste_maandeinde(vp, tokens):
    """Casussen registered this month count Defensie-wide at once, per onderdeel only once
    their month has ended (docs/privacy.md, differencing across days)."""
    from integriteit_shared.kalender import vandaag

    nu = vandaag()
    adviseur = tokens.headers("vertrouwenspersoon", sub="vp-nu")
    for _ in range(6):
        await registreer(vp, adviseur, "CLAS", "overig", "arbeidsconflict", nu.isoformat())
    headers = tokens.headers("cvp", sub="cvp-defensie")
    url = f"{vp.base}/casussen/tellingen"
    r = await vp.client.get(url, params={"jaar": nu.year}, headers=headers)
    assert r.json()["totaal"] == {"waarde": 6, "onderdrukt": False}
    r = await vp.client.get(
        url, params={"jaar": nu.year, "defensieonderdeel": "CLAS"}, headers=headers
    )
    assert r.json()["totaal"] == {"waarde": 0, "onderdrukt": False}
