"""Input that once gave 500 or was silently accepted is now refused politely (issue 16).

Each test replays one finding of the attack run against the real app of a service and
checks the refusal: problem+json with the right status, nothing stored.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from integriteit_dev.testing.services import RunningService, TokenFactory
from integriteit_shared.http.body import MAX_NESTING
from meldpunt.melding.models import Melding

MELDPUNT = "/api/meldpunt/v1"
KLACHTEN = "/api/klachten/v1"
GEBEURTENISSEN = "/api/rapportage/v1/gebeurtenissen"
JSON = {"Content-Type": "application/json"}
MELDING: dict[str, Any] = {
    "kanaal": "mid",
    "defensieonderdeel": "CLSK",
    "hoofdcategorie": "ongewenst_gedrag",
    "subcategorie": "pesten",
    "omschrijving": "Melding per telefoon ontvangen.",
    "anoniem": False,
}


def bps_event(**kw: Any) -> dict[str, Any]:
    event = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "urn:nld:integriteit:systeem:kmar-bps",
        "type": "nl.integriteit.kmar-bps.melding-geregistreerd",
        "time": "2024-05-01T12:00:00Z",
        "data": {
            "bpsId": uuid.uuid4().hex,
            "registratiedatum": "2024-05-01",
            "hoofdcategorie": "ongewenst_gedrag",
            "subcategorie": "pesten",
        },
    }
    event.update(kw)
    return event


def assert_problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    return body


async def meldingen(svc: RunningService) -> int:
    async with svc.app.state.db.transaction() as s:
        return int(await s.scalar(select(func.count()).select_from(Melding)) or 0)


@pytest.fixture
async def meldpunt(service_factory: Any) -> RunningService:
    svc: RunningService = await service_factory("meldpunt", anonieme_meldingen_limiet=1000)
    return svc


@pytest.fixture
async def rapportage(service_factory: Any) -> RunningService:
    svc: RunningService = await service_factory("rapportage")
    return svc


async def test_an_oversized_body_gets_413_announced_or_streamed(
    meldpunt: RunningService, tokens: TokenFactory
) -> None:
    groot = {**MELDING, "omschrijving": "x" * (300 * 1024)}
    kop = {**tokens.headers("coid_adviseur"), **JSON}
    r = await meldpunt.client.post(f"{MELDPUNT}/meldingen", json=groot, headers=kop)
    assert_problem(r, 413)

    async def stukken() -> AsyncIterator[bytes]:  # no Content-Length: counted while read
        yield json.dumps(MELDING)[:-1].encode() + b', "x": "'
        for _ in range(40):
            yield b"y" * 10_000
        yield b'"}'

    r = await meldpunt.client.post(f"{MELDPUNT}/meldingen", content=stukken(), headers=kop)
    assert_problem(r, 413)
    assert await meldingen(meldpunt) == 0


async def test_gebeurtenissen_take_a_full_batch_but_not_ten_megabytes(
    rapportage: RunningService, tokens: TokenFactory
) -> None:
    kop = tokens.headers("kmar_bps")
    batch = [bps_event() for _ in range(1000)]  # about 300 KiB: over the default limit
    r = await rapportage.client.post(GEBEURTENISSEN, json=batch, headers=kop)
    assert r.status_code == 202, r.text
    assert r.json()["geaccepteerd"] == 1000
    ruim = [bps_event(extra="x" * (10 * 1024 * 1024))]
    r = await rapportage.client.post(GEBEURTENISSEN, json=ruim, headers=kop)
    assert_problem(r, 413)


async def test_deeply_nested_json_gets_400_not_a_recursion_error(
    rapportage: RunningService,
    meldpunt: RunningService,
    tokens: TokenFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    diep = "[" * 10_000 + "]" * 10_000
    r = await rapportage.client.post(
        GEBEURTENISSEN, content=diep, headers={**tokens.headers("kmar_bps"), **JSON}
    )
    assert_problem(r, 400)
    # just over the limit, in an object, to a service with a body model
    genest: Any = 1
    for _ in range(MAX_NESTING):
        genest = {"a": genest}
    r = await meldpunt.client.post(
        f"{MELDPUNT}/meldingen",
        json={**MELDING, "melder": genest},
        headers=tokens.headers("coid_adviseur"),
    )
    body = assert_problem(r, 400)
    assert "genest" in body["detail"]
    # a client's mistake is no server error: nothing of it in the log
    logged = capsys.readouterr()
    assert "unhandled_error" not in logged.out + logged.err
    assert "Traceback" not in logged.out + logged.err


async def test_a_duplicate_key_gets_400_and_files_nothing(meldpunt: RunningService) -> None:
    tekst = json.dumps({**MELDING, "anoniem": False})[:-1] + ', "anoniem": true}'
    r = await meldpunt.client.post(f"{MELDPUNT}/meldingen", content=tekst, headers=JSON)
    body = assert_problem(r, 400)
    assert body["invalidParams"] == [{"name": "body", "reason": "Dubbele sleutel."}]
    assert await meldingen(meldpunt) == 0


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+14:00", "1900-06-01T12:00:00+01:00", "1999-12-31T12:00:00Z"]
)
async def test_a_receipt_date_before_2000_gets_400_on_meldingen_and_klachten(
    service_factory: Any, tokens: TokenFactory, moment: str
) -> None:
    meldpunt = await service_factory("meldpunt")
    r = await meldpunt.client.post(
        f"{MELDPUNT}/meldingen",
        json={**MELDING, "ontvangenOp": moment},
        headers=tokens.headers("coid_adviseur"),
    )
    body = assert_problem(r, 400)
    assert [p["name"] for p in body["invalidParams"]] == ["ontvangenOp"]
    klachten = await service_factory("klachten")
    klacht = {
        "soort": "ongewenst_gedrag",
        "indiener": "medewerker",
        "defensieonderdeel": "CLSK",
        "omschrijving": "Klacht over de gang van zaken.",
        "ontvangenOp": moment,
    }
    r = await klachten.client.post(
        f"{KLACHTEN}/klachten", json=klacht, headers=tokens.headers("klachtbehandelaar")
    )
    body = assert_problem(r, 400)
    assert [p["name"] for p in body["invalidParams"]] == ["ontvangenOp"]


async def test_event_times_out_of_range_are_refused_in_the_202_answer(
    rapportage: RunningService, tokens: TokenFactory
) -> None:
    buiten = [
        bps_event(time="9999-12-31T00:00:00Z"),
        bps_event(time="0001-01-01T00:00:00+14:00"),
        bps_event(time="1900-01-01T00:00:00Z"),
    ]
    goed = bps_event()
    r = await rapportage.client.post(
        GEBEURTENISSEN, json=[*buiten, goed], headers=tokens.headers("kmar_bps")
    )
    assert r.status_code == 202, r.text
    uitslag = r.json()
    assert uitslag["geaccepteerd"] == 1
    assert sorted(a["id"] for a in uitslag["afgewezen"]) == sorted(e["id"] for e in buiten)
    assert all("'time'" in a["reden"] for a in uitslag["afgewezen"])
    datum = bps_event()
    datum["data"]["registratiedatum"] = "2150-01-01"
    r = await rapportage.client.post(
        GEBEURTENISSEN, json=[datum], headers=tokens.headers("kmar_bps")
    )
    assert "registratiedatum" in r.json()["afgewezen"][0]["reden"]


async def test_a_token_valid_for_years_gets_401(
    meldpunt: RunningService, tokens: TokenFactory
) -> None:
    url = f"{MELDPUNT}/meldingen"
    eeuwig = tokens.headers("coid_adviseur", ttl_s=(3000 - 2026) * 365 * 86400)
    body = assert_problem(await meldpunt.client.get(url, headers=eeuwig), 401)
    assert body["detail"] == "Token is te lang geldig."
    dertien_uur = tokens.headers("coid_adviseur", ttl_s=13 * 3600)
    assert_problem(await meldpunt.client.get(url, headers=dertien_uur), 401)
    werkdag = tokens.headers("coid_adviseur", ttl_s=8 * 3600)
    assert (await meldpunt.client.get(url, headers=werkdag)).status_code == 200


async def test_the_anonymous_limit_comes_before_the_body_is_parsed(service_factory: Any) -> None:
    meldpunt = await service_factory("meldpunt", anonieme_meldingen_limiet=1)
    url = f"{MELDPUNT}/meldingen"
    eerste = await meldpunt.client.post(url, json={**MELDING, "anoniem": True})
    assert eerste.status_code == 201, eerste.text
    for body in ("{geen json", json.dumps({"kanaal": 3}), "[" * 10_000):
        r = await meldpunt.client.post(url, content=body, headers=JSON)
        assert_problem(r, 429)
