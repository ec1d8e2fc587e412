"""GET /klachten and /klachten/{id}: filters, pagination, scope, decryption with audit."""

from __future__ import annotations


async def test_detail_ontsleutelt_en_elke_lezing_wordt_gelogd(api):
    k = await api.indienen()
    await api.stap(k["id"], "verdaging", {"weken": 1, "reden": api.REDEN})
    voor = len(await api.audit())
    for headers, sub in ((api.kb, "kb-1"), (api.cog, "cog-1")):
        r = await api.svc.client.get(api.url(f"/klachten/{k['id']}"), headers=headers)
        assert r.status_code == 200
        body = r.json()
        assert body["omschrijving"] == api.OMSCHRIJVING
        assert body["verdagingReden"] == api.REDEN
        assert body["termijnUiterlijk"] == "2024-04-22"
        laatste = (await api.audit())[-1]
        assert (laatste.action, laatste.object_type, laatste.object_id, laatste.actor) == (
            "lezen",
            "klacht",
            k["id"],
            sub,
        )
        assert laatste.fields == "omschrijving,verdagingReden"
        assert "scheldt" not in laatste.fields
    assert len(await api.audit()) == voor + 2


async def test_lijst_zonder_vrije_tekst_met_filters_en_paginering(api):
    ids = []
    for i, (soort, onderdeel) in enumerate(
        [("ongewenst_gedrag", "CLSK"), ("onbehoorlijkheid", "CLSK"), ("combinatie", "CLAS")]
    ):
        k = await api.indienen(
            soort=soort, defensieonderdeel=onderdeel, ontvangen_op=f"2024-03-0{i + 1}T10:00:00Z"
        )
        ids.append(k["id"])
    await api.stap(ids[0], "cog-behandeling", {"datum": "2024-03-20"})
    audit_voor = len(await api.audit())

    r = await api.svc.client.get(api.url("/klachten"), headers=api.kb)
    assert r.status_code == 200
    assert [k["id"] for k in r.json()] == list(reversed(ids))  # newest receipt first
    assert "scheldt" not in r.text and "omschrijving" not in r.text
    assert len(await api.audit()) == audit_voor  # no free text read, nothing to log

    async def gefilterd(**params: str) -> list[str]:
        r = await api.svc.client.get(api.url("/klachten"), params=params, headers=api.cog)
        assert r.status_code == 200, r.text
        return [k["id"] for k in r.json()]

    assert await gefilterd(status="cog_behandeling") == [ids[0]]
    assert await gefilterd(soort="onbehoorlijkheid") == [ids[1]]
    assert await gefilterd(defensieonderdeel="CLAS") == [ids[2]]
    assert await gefilterd(status="afgehandeld") == []

    r = await api.svc.client.get(api.url("/klachten"), params={"pageSize": 2}, headers=api.kb)
    assert [k["id"] for k in r.json()] == [ids[2], ids[1]]
    assert 'rel="next"' in r.headers["link"] and r.headers["x-total-count"] == "3"
    r = await api.svc.client.get(
        api.url("/klachten"), params={"pageSize": 2, "page": 2}, headers=api.kb
    )
    assert [k["id"] for k in r.json()] == [ids[0]]

    r = await api.svc.client.get(
        api.url("/klachten"), params={"status": "open", "soort": "x"}, headers=api.kb
    )
    assert r.status_code == 400
    assert sorted(p["name"] for p in r.json()["invalidParams"]) == ["soort", "status"]


async def test_token_met_defensieonderdeel_ziet_alleen_eigen_onderdeel(api):
    clsk = await api.indienen(defensieonderdeel="CLSK")
    clas = await api.indienen(defensieonderdeel="CLAS")
    h = api.h("klachtbehandelaar", onderdeel="CLAS")
    r = await api.svc.client.get(api.url("/klachten"), headers=h)
    assert [k["id"] for k in r.json()] == [clas["id"]]
    r = await api.svc.client.get(
        api.url("/klachten"), params={"defensieonderdeel": "CLSK"}, headers=h
    )
    assert r.json() == []
    r = await api.svc.client.get(api.url(f"/klachten/{clsk['id']}"), headers=h)
    assert r.status_code == 404
    r = await api.post(clsk["id"], "cog-behandeling", {"datum": "2024-03-20"}, headers=h)
    assert r.status_code == 404
    r = await api.post(
        clsk["id"],
        "cog-advies",
        {"datum": "2024-03-20", "advies": "gegrond"},
        headers=api.h("cog_secretaris", onderdeel="CLAS"),
    )
    assert r.status_code == 404
    assert (await api.klacht_rij(clsk["id"])).status == "ingediend"
    r = await api.svc.client.get(api.url(f"/klachten/{clas['id']}"), headers=h)
    assert r.status_code == 200
