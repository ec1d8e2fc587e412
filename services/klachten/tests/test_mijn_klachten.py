"""A medewerker follows their own klachten with their own token; another gets 404."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, text

from integriteit_shared.kalender import vandaag

from .conftest import Api


async def _eigen_klacht(api: Api, headers: dict[str, str]) -> dict[str, Any]:
    body = {
        "soort": "onbehoorlijkheid",
        "indiener": "medewerker",
        "defensieonderdeel": "CLAS",
        "omschrijving": "Mijn verlofaanvraag bleef maanden liggen.",
    }
    r = await api.svc.client.post(api.url("/klachten"), json=body, headers=headers)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def test_a_medewerker_reads_only_their_own_klachten(api: Api) -> None:
    mw1 = api.h("medewerker", sub="mw-klager-501")
    mw2 = api.h("medewerker", sub="mw-klager-502")
    eigen = await _eigen_klacht(api, mw1)
    andere = await _eigen_klacht(api, mw2)
    op_papier = await api.indienen()  # registered by a klachtbehandelaar: linked to no one

    r = await api.svc.client.get(api.url("/mijn/klachten"), headers=mw1)
    assert r.status_code == 200, r.text
    assert [k["id"] for k in r.json()] == [eigen["id"]]
    assert r.json()[0]["termijnUiterlijk"] == eigen["termijnUiterlijk"]
    assert "omschrijving" not in r.json()[0]
    r = await api.svc.client.get(api.url("/mijn/klachten"), headers=mw2)
    assert [k["id"] for k in r.json()] == [andere["id"]]

    r = await api.svc.client.get(api.url(f"/mijn/klachten/{eigen['id']}"), headers=mw1)
    assert r.status_code == 200 and r.json()["status"] == "ingediend"
    for klacht in (eigen, op_papier):
        r = await api.svc.client.get(api.url(f"/mijn/klachten/{klacht['id']}"), headers=mw2)
        assert r.status_code == 404
    r = await api.svc.client.get(api.url("/mijn/klachten"), headers=api.kb)
    assert r.status_code == 403

    # the progress shows once the klacht is handled
    await api.stap(
        eigen["id"],
        "afhandeling",
        {"datum": vandaag().isoformat(), "wijze": "informeel", "oordeel": "gegrond"},
    )
    r = await api.svc.client.get(api.url(f"/mijn/klachten/{eigen['id']}"), headers=mw1)
    assert (r.json()["status"], r.json()["oordeel"]) == ("afgehandeld", "gegrond")

    # no list of who complained: the subs are nowhere in the database in clear
    async with api.svc.app.state.db.transaction() as s:
        conn = await s.connection()
        tabellen = await conn.run_sync(lambda c: inspect(c).get_table_names())
        dump = repr(
            [(await s.execute(text(f'SELECT * FROM "{t}"'))).all() for t in tabellen]  # noqa: S608
        )
    assert "mw-klager-50" not in dump
