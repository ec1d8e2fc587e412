"""The dashboard in a real browser: every number in its table views is the API's number.

Debian's chromium (`/usr/bin/chromium`) driven by Playwright for Python; nothing is
downloaded. Against a running stack: a tansu broker and rapportage as a real uvicorn process
in dev mode with the dev keys of its data dir (so `/dashboard/sessie` hands the page a token),
fed the seed's events over Kafka. The screenshot is kept as a test artifact in
`build/artifacts/dashboard.png`; with UPDATE_DOCS_SCREENSHOT=1 the README's
`docs/dashboard.png` is written too.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from integriteit_dev.broker import DevBroker
from integriteit_dev.demo.jaarverslag import EXPECTED_2024, events
from integriteit_dev.testing.processes import ServiceProcess
from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.auth.keys import DevKeys, ensure_dev_keys
from integriteit_shared.db.migrations import migrate
from integriteit_shared.events import new_envelope, to_kafka

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACT = ROOT / "build" / "artifacts" / "dashboard.png"
DOCS_SCREENSHOT = ROOT / "docs" / "dashboard.png"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
)


async def _publish_seed(bootstrap: str) -> int:
    pairs = events()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20)
    await producer.start()
    try:
        for event, registered_at in pairs:
            rec = to_kafka(new_envelope(event, time=registered_at))
            await producer.send(rec.topic, value=rec.value, key=rec.key, headers=rec.headers)
        await producer.flush()
    finally:
        await producer.stop()
    return len(pairs)


@pytest.fixture
def stack(broker: DevBroker, tmp_path: Path) -> Iterator[tuple[str, DevKeys]]:
    """rapportage as a process, with the seed report in it; yields its URL and dev keys."""
    data_dir = tmp_path / "data"
    keys = ensure_dev_keys(data_dir / "dev-keys")
    migrate(["rapportage"], data_dir)
    assert keys.jwks_path is not None
    proc = ServiceProcess(
        "rapportage",
        database_url=f"sqlite+aiosqlite:///{data_dir / 'rapportage.db'}",
        bootstrap=broker.bootstrap,
        jwks_file=keys.jwks_path,
        data_dir=data_dir,
        log_file=tmp_path / "rapportage.log",
        extra_env={"RAPPORTAGE_DEV_MODE": "true"},
    )
    proc.start()
    try:
        n = asyncio.run(_publish_seed(broker.bootstrap))
        beheerder = TokenFactory(keys).headers("beheerder")
        deadline = time.monotonic() + 150
        totaal = -1
        while time.monotonic() < deadline:
            r = httpx.get(f"{proc.url}/api/rapportage/v1/afstemming", headers=beheerder)
            totaal = r.json()["totaal"] if r.status_code == 200 else -1
            if totaal == n:
                break
            time.sleep(0.5)
        assert totaal == n, f"rapportage has {totaal} of {n} events"
        yield proc.url, keys
    finally:
        proc.stop()


def _waarde(verslag: dict[str, Any], pad: str, jaar: str | None) -> Any:
    node: Any = verslag
    for part in pad.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    if jaar is not None:
        node = node[jaar]
    if isinstance(node, dict) and "aantal" in node and "subcategorie" in node:
        node = node["aantal"]  # a top-3 entry: the cell shows its count
    return node


def _gelijk(tekst: str, waarde: Any) -> bool:
    if waarde is None:
        return tekst == "–"
    try:
        return math.isclose(float(tekst), float(waarde))
    except ValueError:
        return False


def test_dashboard_tables_show_the_api_figures(stack: tuple[str, DevKeys]) -> None:
    from playwright.sync_api import sync_playwright

    url, keys = stack
    r = httpx.get(
        f"{url}/api/rapportage/v1/jaarverslagen/2024",
        headers=TokenFactory(keys).headers("rapportage_lezer"),
    )
    assert r.status_code == 200, r.text
    verslag = r.json()
    assert verslag["meldingen"]["totaal"] == EXPECTED_2024["meldingen.totaal"]

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            fouten: list[str] = []
            page.on("pageerror", lambda exc: fouten.append(str(exc)))
            page.on("console", lambda msg: fouten.append(msg.text) if msg.type == "error" else None)
            page.on(
                "response",
                lambda r: fouten.append(f"{r.status} {r.url}") if r.status >= 400 else None,
            )
            page.goto(f"{url}/dashboard?jaar=2024&tabellen=ja")
            page.wait_for_selector("body[data-geladen=ja]", timeout=30_000)
            cellen: list[dict[str, Any]] = page.eval_on_selector_all(
                "td[data-reeks]",
                """tds => tds.map(td => ({
                    reeks: td.dataset.reeks, jaar: td.dataset.jaar ?? null,
                    tekst: td.textContent.trim(),
                    figuur: td.closest('table').dataset.figuur }))""",
            )
            top3: list[dict[str, str]] = page.eval_on_selector_all(
                "td[data-subcategorie]",
                """tds => tds.map(td => ({
                    sub: td.dataset.subcategorie,
                    reeks: td.parentElement.querySelector('td[data-reeks]').dataset.reeks }))""",
            )
            jaar_gekozen = page.input_value("#jaar")
            peildatum = page.text_content("#peildatum")

            ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACT), full_page=True)
            if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
                page.goto(f"{url}/dashboard?jaar=2024")
                page.wait_for_selector("body[data-geladen=ja]", timeout=30_000)
                DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(DOCS_SCREENSHOT), full_page=True)
        finally:
            browser.close()

    assert fouten == []
    assert len(cellen) > 100  # the year tables, top-3, network and the key figures
    assert jaar_gekozen == "2024"
    assert peildatum == verslag["peildatum"]
    verschillen = [
        (c["figuur"], c["reeks"], c["jaar"], c["tekst"], _waarde(verslag, c["reeks"], c["jaar"]))
        for c in cellen
        if not _gelijk(c["tekst"], _waarde(verslag, c["reeks"], c["jaar"]))
    ]
    assert verschillen == []
    for t in top3:
        pad = t["reeks"].split(".")
        assert t["sub"] == _waarde(verslag, ".".join(pad[:-1]), None)[int(pad[-1])]["subcategorie"]

    # every figure has a table, and every series of the report's figures is in one
    figuren = {c["figuur"] for c in cellen}
    assert figuren >= {
        "meldingen",
        "top3",
        "top3-casussen",
        "misstanden",
        "klachten",
        "onderzoeken",
        "kmar",
        "nevenwerkzaamheden",
        "casussen",
        "netwerk",
        "opleidingen",
        "doorlooptijden",
    }
    getoond = {(c["reeks"], c["jaar"]) for c in cellen}
    for pad, verwacht in EXPECTED_2024.items():
        if isinstance(verwacht, dict) and all(k.isdigit() for k in verwacht):
            for jaar in verwacht:
                assert (pad, jaar) in getoond, (pad, jaar)
    # three per ranked hoofdcategorie, for meldingen (Fig. 2) and for casussen (Fig. 7)
    assert len(top3) == sum(
        len(lijst)
        for blok in (verslag["meldingen"]["top3"], verslag["vertrouwenspersonen"]["top3"])
        for lijst in blok.values()
    )
    assert len(top3) >= 6
