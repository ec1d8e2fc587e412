"""The cvp keeps the register: appointments, endings, the network on a date and its growth."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from vertrouwenspersonen.vertrouwenspersoon.models import Vertrouwenspersoon


async def aanstellen(vp, headers, onderdeel: str, datum: str) -> dict:
    r = await vp.client.post(
        f"{vp.base}/vertrouwenspersonen",
        json={"defensieonderdeel": onderdeel, "aanstellingsdatum": datum},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_aanstellen_beeindigen_en_het_netwerk_op_een_peildatum(vp, tokens, outbox):
    cvp = tokens.headers("cvp", onderdeel="CLSK", sub="cvp-clsk")
    r = await vp.client.post(
        f"{vp.base}/vertrouwenspersonen",
        json={"defensieonderdeel": "CLSK", "aanstellingsdatum": "2023-03-01"},
        headers=cvp,
    )
    assert r.status_code == 201
    eerste = r.json()
    assert eerste["defensieonderdeel"] == "CLSK"
    assert eerste["aanstellingsdatum"] == "2023-03-01"
    assert eerste["beeindigingsdatum"] is None
    assert r.headers["Location"].endswith(f"/vertrouwenspersonen/{eerste['id']}")
    assert (await vp.client.get(r.headers["Location"], headers=cvp)).json() == eerste

    # On 2023-12-31: 5 advisers; a year later 5 + 2 new - 1 ended = 6 → +20.0%
    for datum in ("2023-05-01", "2023-06-01", "2023-07-01"):
        await aanstellen(vp, cvp, "CLSK", datum)
    vertrekker = await aanstellen(vp, cvp, "CLSK", "2023-01-15")
    later = [await aanstellen(vp, cvp, "CLSK", d) for d in ("2024-02-01", "2024-12-31")]
    assert len(later) == 2

    r = await vp.client.post(
        f"{vp.base}/vertrouwenspersonen/{vertrekker['id']}/beeindiging",
        json={"datum": "2024-06-30"},
        headers=cvp,
    )
    assert r.status_code == 200
    assert r.json()["beeindigingsdatum"] == "2024-06-30"

    # a second ending of the same appointment is out of order
    r = await vp.client.post(
        f"{vp.base}/vertrouwenspersonen/{vertrekker['id']}/beeindiging",
        json={"datum": "2024-07-30"},
        headers=cvp,
    )
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")

    r = await vp.client.get(f"{vp.base}/netwerk", params={"peildatum": "2024-12-31"}, headers=cvp)
    assert r.status_code == 200
    body = r.json()
    assert body["peildatum"] == "2024-12-31"
    assert body["vergelijkingsdatum"] == "2023-12-31"
    assert body["perDefensieonderdeel"] == {
        "CLSK": {"aantal": 6, "aantalVorigJaar": 5, "groeiProcent": 20.0}
    }

    # on the ending date itself the adviser no longer counts
    r = await vp.client.get(
        f"{vp.base}/vertrouwenspersonen", params={"actiefOp": "2024-06-30"}, headers=cvp
    )
    assert r.status_code == 200
    assert vertrekker["id"] not in {v["id"] for v in r.json()}
    assert len(r.json()) == 5
    r = await vp.client.get(
        f"{vp.base}/vertrouwenspersonen", params={"actiefOp": "2024-06-29"}, headers=cvp
    )
    assert vertrekker["id"] in {v["id"] for v in r.json()}

    events = await outbox(vp)
    assert [e["type"].rsplit(".", 1)[1] for e in events].count("vertrouwenspersoon-aangesteld") == 7
    beeindigd = [e for e in events if e["type"].endswith("vertrouwenspersoon-beeindigd")]
    assert [e["data"] for e in beeindigd] == [
        {"vertrouwenspersoonId": vertrekker["id"], "datum": "2024-06-30"}
    ]
    aangesteld = next(e for e in events if e["key"] == eerste["id"])
    assert aangesteld["data"] == {
        "vertrouwenspersoonId": eerste["id"],
        "defensieonderdeel": "CLSK",
        "datum": "2023-03-01",
    }
    assert aangesteld["headers"]["ce_subject"] == eerste["id"]


async def test_groei_per_onderdeel_voor_een_cvp_van_heel_defensie(vp, tokens):
    defensie = tokens.headers("cvp", sub="cvp-defensie")  # no onderdeel: all of Defensie
    for _ in range(3):
        await aanstellen(vp, defensie, "CZSK", "2022-01-10")
    for _ in range(4):
        await aanstellen(vp, defensie, "CZSK", "2023-01-10")
    await aanstellen(vp, defensie, "BS", "2023-01-10")

    r = await vp.client.get(
        f"{vp.base}/netwerk", params={"peildatum": "2023-01-10"}, headers=defensie
    )
    netwerk = r.json()["perDefensieonderdeel"]
    assert set(netwerk) == {"BS", "CZSK", "CLAS", "CLSK", "KMAR", "COMMIT", "DOSCO"}
    assert netwerk["CZSK"] == {"aantal": 7, "aantalVorigJaar": 3, "groeiProcent": 133.3}
    assert netwerk["BS"] == {"aantal": 1, "aantalVorigJaar": 0, "groeiProcent": None}
    assert netwerk["KMAR"] == {"aantal": 0, "aantalVorigJaar": 0, "groeiProcent": None}

    # a cvp of one onderdeel sees only that onderdeel, in the network and in the register
    clsk = tokens.headers("cvp", onderdeel="CZSK", sub="cvp-czsk")
    r = await vp.client.get(f"{vp.base}/netwerk", params={"peildatum": "2023-01-10"}, headers=clsk)
    assert list(r.json()["perDefensieonderdeel"]) == ["CZSK"]
    r = await vp.client.get(f"{vp.base}/vertrouwenspersonen", headers=clsk)
    assert {v["defensieonderdeel"] for v in r.json()} == {"CZSK"}
    assert r.headers["X-Total-Count"] == "7"
    r = await vp.client.get(
        f"{vp.base}/vertrouwenspersonen", params={"defensieonderdeel": "BS"}, headers=clsk
    )
    assert r.json() == []


async def test_cvp_beheert_alleen_het_eigen_onderdeel(vp, tokens):
    clas = tokens.headers("cvp", onderdeel="CLAS", sub="cvp-clas")
    kmar = tokens.headers("cvp", onderdeel="KMAR", sub="cvp-kmar")
    r = await vp.client.post(
        f"{vp.base}/vertrouwenspersonen",
        json={"defensieonderdeel": "KMAR", "aanstellingsdatum": "2024-01-01"},
        headers=clas,
    )
    assert r.status_code == 403
    van_kmar = await aanstellen(vp, kmar, "KMAR", "2024-01-01")

    r = await vp.client.post(
        f"{vp.base}/vertrouwenspersonen/{van_kmar['id']}/beeindiging",
        json={"datum": "2024-05-01"},
        headers=clas,
    )
    assert r.status_code == 404
    r = await vp.client.get(f"{vp.base}/vertrouwenspersonen/{van_kmar['id']}", headers=clas)
    assert r.status_code == 404
    r = await vp.client.get(f"{vp.base}/vertrouwenspersonen/{van_kmar['id']}", headers=kmar)
    assert r.json()["beeindigingsdatum"] is None


async def test_ongeldige_invoer_noemt_alle_velden_en_schrijft_niets(vp, tokens, outbox):
    cvp = tokens.headers("cvp", onderdeel="CLSK")
    morgen = (date.today() + timedelta(days=2)).isoformat()
    r = await vp.client.post(
        f"{vp.base}/vertrouwenspersonen",
        json={"defensieonderdeel": "LUCHTMACHT", "aanstellingsdatum": morgen, "naam": "Jan"},
        headers=cvp,
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    namen = sorted(p["name"] for p in r.json()["invalidParams"])
    assert namen == ["aanstellingsdatum", "defensieonderdeel", "naam"]

    aangesteld = await aanstellen(vp, cvp, "CLSK", "2024-03-01")
    for datum, veld in (("2024-02-28", "datum"), (morgen, "datum"), ("31-12-2024", "datum")):
        r = await vp.client.post(
            f"{vp.base}/vertrouwenspersonen/{aangesteld['id']}/beeindiging",
            json={"datum": datum},
            headers=cvp,
        )
        assert r.status_code == 400, datum
        assert [p["name"] for p in r.json()["invalidParams"]] == [veld]

    r = await vp.client.get(f"{vp.base}/netwerk", params={"peildatum": morgen}, headers=cvp)
    assert r.status_code == 400
    assert [p["name"] for p in r.json()["invalidParams"]] == ["peildatum"]

    async with vp.app.state.db.transaction() as s:
        vp_rows = await s.scalar(select(func.count()).select_from(Vertrouwenspersoon))
        beeindigd = await s.scalar(
            select(func.count())
            .select_from(Vertrouwenspersoon)
            .where(Vertrouwenspersoon.beeindigingsdatum.is_not(None))
        )
    assert (vp_rows, beeindigd) == (1, 0)
    assert len(await outbox(vp)) == 1  # only the one valid appointment
