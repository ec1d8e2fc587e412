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
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from integriteit_dev.broker import DevBroker
from integriteit_dev.demo.jaarverslag import EXPECTED_2024, events
from integriteit_dev.testing.browser import CHROMIUM, CHROMIUM_ARGS
from integriteit_dev.testing.processes import ServiceProcess
from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.auth.keys import DevKeys, ensure_dev_keys
from integriteit_shared.db.migrations import migrate
from integriteit_shared.events import new_envelope, to_kafka
from integriteit_shared.kalender import vandaag
from integriteit_shared.messaging.kafka import ensure_topics

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


@pytest.fixture(scope="module")
def broker_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevBroker]:
    b = DevBroker(log_file=tmp_path_factory.mktemp("broker") / "tansu.log")
    b.start()
    asyncio.run(ensure_topics(b.bootstrap))
    try:
        yield b
    finally:
        b.stop()


@pytest.fixture(scope="module")
def stack(
    broker_module: DevBroker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, DevKeys]]:
    """rapportage as a process, with the seed report in it; yields its URL and dev keys.
    Shared by this module's tests: feeding it the seed takes most of their time."""
    broker = broker_module
    tmp_path = tmp_path_factory.mktemp("stack")
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
        # the analyse series are the Afhandeling view's (test_afhandeling_view_shows_the_api_
        # analyse), the nazorg series the Nazorg view's (test_nazorg_view_shows_the_api_nazorg)
        if pad.startswith(("analyse.", "nazorg.")):
            continue
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


ARTIFACT_390 = ROOT / "build" / "artifacts" / "dashboard-390.png"

# Every card's content inside the card, and the cards inside the page; every chart's
# category labels inside their axis and its legend inside the chart (else Chart.js draws
# them past the canvas edge, where they are cut off).
OVERLOOP_JS = """() => {
  const fouten = [];
  const pagina = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > pagina) fouten.push(
    `pagina ${document.documentElement.scrollWidth} px breed in ${pagina} px`);
  for (const kaart of document.querySelectorAll('.kaart')) {
    const k = kaart.getBoundingClientRect();
    if (k.left < -0.5 || k.right > pagina + 0.5) fouten.push(`${kaart.id}: buiten de pagina`);
    if (kaart.scrollWidth > kaart.clientWidth) fouten.push(
      `${kaart.id}: inhoud ${kaart.scrollWidth} px in ${kaart.clientWidth} px`);
    for (const e of kaart.querySelectorAll('*')) {
      if (e.closest('.verborgen-tabel table')) continue;  // for screen readers, off-screen
      const r = e.getBoundingClientRect();
      if (r.width && (r.left < k.left - 0.5 || r.right > k.right + 0.5)) fouten.push(
        `${kaart.id}: ${e.tagName.toLowerCase()} ${Math.round(r.left)}-${Math.round(r.right)}`
        + ` buiten de kaart ${Math.round(k.left)}-${Math.round(k.right)}`);
    }
  }
  for (const c of Object.values(Chart.instances)) {
    const id = c.canvas.closest('.kaart').id;
    for (const s of Object.values(c.scales)) {
      if (s.type !== 'category' || s.axis !== 'y') continue;
      c.ctx.save();
      c.ctx.font = Chart.helpers.toFont(s.options.ticks.font).string;
      const breed = Math.max(0, ...s.getLabels().flat().map(
        (l) => c.ctx.measureText(String(l)).width));
      c.ctx.restore();
      if (s.ticks.length < s.getLabels().length) fouten.push(`${id}: labels overgeslagen`);
      if (breed + s.options.ticks.padding > s.width + 0.5) fouten.push(
        `${id}: label ${Math.round(breed)} px op een as van ${Math.round(s.width)} px`
        + ` (grafiek ${c.width} px, pagina ${pagina} px)`);
    }
    for (const b of (c.legend && c.legend.legendHitBoxes) || []) {
      if (b.left < 0 || b.left + b.width > c.width + 0.5) fouten.push(`${id}: legenda buiten`);
    }
  }
  return fouten;
}"""


class Pagina:
    """Chromium on the dashboard, recording page errors and failed responses."""

    def __init__(self, pw: Any, url: str, breedte: int) -> None:
        self.browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        self.page = self.browser.new_page(viewport={"width": breedte, "height": 900})
        self.fouten: list[str] = []
        self.page.on("pageerror", lambda exc: self.fouten.append(str(exc)))
        self.page.on(
            "response",
            lambda r: self.fouten.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        self.url = url

    def open(self, query: str) -> Any:
        self.page.goto(f"{self.url}/dashboard?{query}")
        self.page.wait_for_selector("body[data-geladen=ja]", timeout=30_000)
        return self.page

    def open_met_sectie(
        self, weergave: str, query: str, sectie: str, inhoud: dict[str, Any] | None
    ) -> Any:
        """A view, with the jaarverslag's `sectie` replaced by `inhoud` (None: without it, as
        before the section existed)."""

        def vervang(route: Any) -> None:
            body = route.fetch().json()
            if inhoud is None:
                body.pop(sectie, None)
            else:
                body[sectie] = inhoud
            route.fulfill(json=body)

        self.page.route("**/api/rapportage/v1/jaarverslagen/**", vervang)
        page = self.open(f"weergave={weergave}&{query}")
        page.wait_for_selector(f"body[data-weergave={weergave}]")
        return page

    def close(self) -> None:
        self.browser.close()


@contextmanager
def _pagina(url: str, breedte: int) -> Iterator[Pagina]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        p = Pagina(pw, url, breedte)
        try:
            yield p
        finally:
            p.close()


def test_figures_are_numbered_in_the_reports_order(stack: tuple[str, DevKeys]) -> None:
    url, _ = stack
    with _pagina(url, 1440) as p:
        koppen = p.open("jaar=2024").eval_on_selector_all(
            ".kaart h2", "hs => hs.map(h => h.textContent)"
        )
    nummers = [int(k.split(" ")[1]) for k in koppen if k.startswith("Fig. ")]
    assert nummers == [1, 2, 3, 4, 5, 6, 7]  # each once, in order
    assert koppen[0].startswith("Fig. 1 — ")
    assert "Fig." not in "".join(k for k in koppen if not k.startswith("Fig. "))


def test_at_390_px_one_column_and_nothing_overflows(stack: tuple[str, DevKeys]) -> None:
    url, _ = stack
    with _pagina(url, 390) as p:
        page = p.open("jaar=2024&tabellen=ja")
        fouten = page.evaluate(OVERLOOP_JS)
        links = page.eval_on_selector_all(
            ".kaart", "ks => ks.map(k => Math.round(k.getBoundingClientRect().left))"
        )
        ARTIFACT_390.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACT_390), full_page=True)
        assert p.fouten == []
    assert fouten == []
    assert len(links) == 12 and len(set(links)) == 1  # one column


def test_below_640_px_one_column_above_two(stack: tuple[str, DevKeys]) -> None:
    url, _ = stack
    kolommen = {}
    for breedte in (639, 1024):
        with _pagina(url, breedte) as p:
            page = p.open("jaar=2024")
            kolommen[breedte] = len(
                set(
                    page.eval_on_selector_all(
                        ".kaart", "ks => ks.map(k => Math.round(k.getBoundingClientRect().left))"
                    )
                )
            )
            assert page.evaluate(OVERLOOP_JS) == []
    assert kolommen == {639: 1, 1024: 2}


def test_at_desktop_width_labels_wrap_and_tables_fit_their_cards(
    stack: tuple[str, DevKeys],
) -> None:
    url, _ = stack
    with _pagina(url, 1440) as p:
        page = p.open("jaar=2024&tabellen=ja")
        fouten = page.evaluate(OVERLOOP_JS)
        # the longest subcategorie of the meldingen top 3, in lines on the axis
        labels = page.evaluate(
            "() => Chart.getChart(document.querySelector('#fig-top3 canvas')).data.labels"
        )
    assert fouten == []
    assert ["Misbruik van positie,", "bevoegdheden en", "belangenverstrengeling"] in labels


def test_an_empty_series_says_geen_gegevens(stack: tuple[str, DevKeys]) -> None:
    url, keys = stack
    r = httpx.get(
        f"{url}/api/rapportage/v1/jaarverslagen/2022",
        headers=TokenFactory(keys).headers("rapportage_lezer"),
    )
    verslag = r.json()
    # 2022 and the two years before it: no training figures, no KMar investigations
    assert set(verslag["opleidingen"]["totaal"].values()) == {0}
    assert {w for reeks in verslag["kmar"].values() for w in reeks.values()} == {0}
    assert verslag["misstanden"]["inBehandelingGenomen"]["2022"] == 4
    with _pagina(url, 1440) as p:
        page = p.open("jaar=2022")
        leeg = page.eval_on_selector_all(
            ".kaart",
            """ks => Object.fromEntries(ks.map(k => [k.id, {
                 tekst: k.querySelector('.geen-gegevens')?.textContent ?? null,
                 grafiek: !!k.querySelector('canvas') }]))""",
        )
    assert leeg["fig-opleidingen"] == {"tekst": "geen gegevens", "grafiek": False}
    assert leeg["fig-kmar"] == {"tekst": "geen gegevens", "grafiek": False}
    assert leeg["fig-misstanden"] == {"tekst": None, "grafiek": True}


def test_every_year_with_data_is_selectable(stack: tuple[str, DevKeys]) -> None:
    url, keys = stack
    r = httpx.get(f"{url}/dashboard/jaren", headers=TokenFactory(keys).headers("rapportage_lezer"))
    assert r.status_code == 200, r.text
    jaren = r.json()
    assert {2022, 2023, 2024} <= set(jaren["jaren"])
    # the seed's events end in 2024: the page opens on that report, also when later years
    # are offered for the check-ins that fell overdue after it
    assert jaren["standaard"] == 2024
    with _pagina(url, 1440) as p:
        page = p.open("")
        assert page.input_value("#jaar") == "2024"
        page = p.open("jaar=2022")
        opties = page.eval_on_selector_all("#jaar option", "os => os.map(o => o.value)")
        assert page.input_value("#jaar") == "2022"
        # a year outside the list: the default year, and a word why
        for gevraagd in ("1999", "niets"):
            page = p.open(f"jaar={gevraagd}")
            assert page.input_value("#jaar") == str(jaren["standaard"])
            assert gevraagd in (page.text_content("#status") or "")
            assert page.get_attribute("body", "data-jaar") == str(jaren["standaard"])
        assert p.fouten == []
    assert opties == [str(j) for j in jaren["jaren"]]


# --- Voortgang, Afhandeling, peildatum and CSV ---------------------------------------------------

# The stack's rapportage registers the seed as it consumes it: today. So the state "now" is
# the seed's state after its last step, and any earlier peildatum knows nothing yet.
VANDAAG = vandaag().isoformat()
GISTEREN = (vandaag() - timedelta(days=1)).isoformat()

CELLEN_JS = """tds => tds.map(td => ({
    reeks: td.dataset.reeks, jaar: td.dataset.jaar ?? null, tekst: td.textContent.trim(),
    figuur: td.closest('table').dataset.figuur }))"""


def _api(url: str, keys: DevKeys, pad: str, **params: str) -> Any:
    r = httpx.get(
        f"{url}/api/rapportage/v1{pad}",
        params=params,
        headers=TokenFactory(keys).headers("rapportage_lezer"),
    )
    assert r.status_code == 200, r.text
    return r.json()


def _tekst_voortgang(waarde: Any) -> str:
    """What the voortgang view shows for a value of the API."""
    if isinstance(waarde, dict) and set(waarde) == {"waarde", "onderdrukt"}:
        return "onderdrukt" if waarde["onderdrukt"] else str(waarde["waarde"])
    return "–" if waarde is None else str(waarde)


def _voortgang_cellen(page: Any) -> list[dict[str, Any]]:
    cellen: list[dict[str, Any]] = page.eval_on_selector_all("td[data-reeks]", CELLEN_JS)
    return cellen


def test_voortgang_view_shows_the_api_figures(stack: tuple[str, DevKeys]) -> None:
    url, keys = stack
    api = _api(url, keys, "/voortgang", peildatum=VANDAAG)
    with _pagina(url, 1440) as p:
        page = p.open(f"weergave=voortgang&peildatum={VANDAAG}&tabellen=ja")
        page.wait_for_selector("body[data-weergave=voortgang]")
        cellen = _voortgang_cellen(page)
        assert page.evaluate(OVERLOOP_JS) == []
        page.screenshot(
            path=str(ROOT / "build" / "artifacts" / "dashboard-voortgang.png"), full_page=True
        )
        koppen = page.eval_on_selector_all(".kaart h2", "hs => hs.map(h => h.textContent)")
        grafieken = page.eval_on_selector_all(".kaart canvas", "cs => cs.length")
        peildatum = page.text_content("#peildatum")
        gedrukt = page.get_attribute("button[data-weergave=voortgang]", "aria-pressed")

        # one onderdeel: its row only, and only its overdue cases (DOSCO: its open meldingen,
        # the seed's last of 2024, are past their feedback deadline and not suppressed)
        page.select_option("#onderdeel", "DOSCO")
        page.wait_for_function(
            "() => document.querySelectorAll("
            "'table[data-figuur=vg-onderdelen] tbody tr').length === 1"
        )
        cellen_dosco = _voortgang_cellen(page)
        assert p.fouten == []
    assert peildatum == VANDAAG and gedrukt == "true"
    assert koppen[:6] == [
        f"{n} — open op {VANDAAG}"
        for n in (
            "Meldingen",
            "Vermoedens van misstanden",
            "Integriteitsonderzoeken",
            "Klachten",
            "Nevenwerkzaamheden zonder advies",
            "Nazorgcontacten niet uitgevoerd",
        )
    ]
    assert koppen[-1] == f"Achterstallig: {len(api['achterstallig'])} termijnen verstreken"
    # a chart of the ages for each kind with open cases: meldingen, misstanden, onderzoeken,
    # and the seed's check-ins, none done, so all open (and overdue) by now
    assert [s for s, st in api["soorten"].items() if st["open"]] == [
        "melding",
        "misstand",
        "integriteitsonderzoek",
        "nazorg",
    ]
    assert grafieken == 4
    assert api["soorten"]["nazorg"]["overTermijn"]["nazorgcontact"] > 0
    assert {a["soort"] for a in api["achterstallig"]} == {"melding", "nazorg"}

    dosco = _api(url, keys, "/voortgang", peildatum=VANDAAG, defensieonderdeel="DOSCO")
    for gezien, verslag in ((cellen, api), (cellen_dosco, dosco)):
        verschillen = [
            (c["reeks"], c["tekst"], _tekst_voortgang(_waarde(verslag, c["reeks"], None)))
            for c in gezien
            if c["tekst"] != _tekst_voortgang(_waarde(verslag, c["reeks"], None))
        ]
        assert verschillen == []
        getoond = {c["reeks"] for c in gezien}
        # every figure of the API is on the page
        for soort, stand in verslag["soorten"].items():
            for veld, waarde in stand.items():
                paden = (
                    [f"soorten.{soort}.{veld}.{k}" for k in waarde]
                    if isinstance(waarde, dict)
                    else [f"soorten.{soort}.{veld}"]
                )
                assert set(paden) <= getoond, paden
        for od, per in verslag["perDefensieonderdeel"].items():
            for soort, stand in per.items():
                assert f"perDefensieonderdeel.{od}.{soort}.open" in getoond
                for t in stand["overTermijn"]:
                    assert f"perDefensieonderdeel.{od}.{soort}.overTermijn.{t}" in getoond
        rijen = {c["reeks"].split(".")[1] for c in gezien if c["figuur"] == "vg-achterstallig"}
        assert len(rijen) == len(verslag["achterstallig"])
    assert {r for r in dosco["perDefensieonderdeel"]} == {"DOSCO"}
    assert {a["defensieonderdeel"] for a in dosco["achterstallig"]} == {"DOSCO"}


@pytest.mark.parametrize(("weergave", "sectie"), [("afhandeling", "analyse"), ("nazorg", "nazorg")])
def test_a_view_without_its_section_says_nog_geen_gegevens(
    stack: tuple[str, DevKeys], weergave: str, sectie: str
) -> None:
    url, _ = stack
    with _pagina(url, 1440) as p:
        page = p.open_met_sectie(weergave, "jaar=2024", sectie, None)
        assert page.text_content(f"#geen-{sectie}") == "nog geen gegevens"
        assert page.eval_on_selector_all(".kaart", "ks => ks.length") == 0
        assert p.fouten == []


# The shape the jaarverslag's `analyse` section has (CONTRACT.md), for the page's rendering
# until the projections publish it
ANALYSE_VORM: dict[str, Any] = {
    "afdoening": {
        "integriteitsonderzoek": {"2024": 12, "2023": 9},
        "gespreksbegeleiding": {"2024": 7},
    },
    "kanaal": {"mid": {"2024": 300, "2023": 280}, "leidinggevende": {"2024": 200}},
    "anoniem": {"ja": {"2024": 100}, "nee": {"2024": 400}},
    "conclusie": {"geen_schending": {"2024": 50}, "schending_vastgesteld": {"2024": 20}},
    "klachtWijze": {"informeel": {"2024": 5}, "besluit": {"2024": 11}},
    "klachtOordeel": {"gegrond": {"2024": 3}, "ongegrond": {"2024": 8}},
    "cogAdvies": {"deels_gegrond": {"2024": 2}},
    "doorverwijzingen": {"p_en_o": {"2024": 6}, "meldpunt": {"2024": 4}},
    "informeleGesprekken": {"2024": 387, "2023": 350, "2022": 0},
    "doorlooptijden": {
        "ontvangstTotBevestiging": {"mediaan": {"2024": 3.5, "2023": None}, "p90": {"2024": 9}},
        "klachtTotAfhandeling": {"mediaan": {"2024": 40}, "p90": {"2024": None}},
    },
}


def _analyse_cellen(analyse: dict[str, Any]) -> set[tuple[str, str]]:
    """Every (series, year) of an analyse section."""
    out: set[tuple[str, str]] = set()
    for sectie, inhoud in analyse.items():
        if sectie == "informeleGesprekken":
            out |= {(f"analyse.{sectie}", j) for j in inhoud}
        elif sectie == "doorlooptijden":
            for fase, maten in inhoud.items():
                for maat, serie in maten.items():
                    out |= {(f"analyse.{sectie}.{fase}.{maat}", j) for j in serie}
        else:
            for code, serie in inhoud.items():
                out |= {(f"analyse.{sectie}.{code}", j) for j in serie}
    return out


def _analyse_verschillen(cellen: list[dict[str, Any]], verslag: dict[str, Any]) -> list[Any]:
    uit = []
    for c in cellen:
        serie = _waarde(verslag, c["reeks"], None)
        waarde = serie.get(c["jaar"])
        # a year the series does not name: 0 for a count, "–" for a lead time
        leeg = "–" if c["reeks"].startswith("analyse.doorlooptijden.") else "0"
        if not (_gelijk(c["tekst"], waarde) or (waarde is None and c["tekst"] == leeg)):
            uit.append((c["reeks"], c["jaar"], c["tekst"], waarde))
    return uit


def test_afhandeling_renders_every_series_of_the_analyse_shape(
    stack: tuple[str, DevKeys],
) -> None:
    url, _ = stack
    with _pagina(url, 1440) as p:
        page = p.open_met_sectie("afhandeling", "jaar=2024&tabellen=ja", "analyse", ANALYSE_VORM)
        cellen = page.eval_on_selector_all("td[data-reeks]", CELLEN_JS)
        kaarten = page.eval_on_selector_all(".kaart", "ks => ks.length")
        fouten = page.evaluate(OVERLOOP_JS)
        page.screenshot(
            path=str(ROOT / "build" / "artifacts" / "dashboard-afhandeling.png"), full_page=True
        )
        assert p.fouten == []
    assert kaarten == 10 and fouten == []
    verslag = {"analyse": ANALYSE_VORM}
    assert _analyse_verschillen(cellen, verslag) == []
    assert _analyse_cellen(ANALYSE_VORM) <= {(c["reeks"], c["jaar"]) for c in cellen}


def test_afhandeling_view_shows_the_api_analyse(stack: tuple[str, DevKeys]) -> None:
    # needs the jaarverslag's `analyse` section (issue 17, the projections' part)
    url, keys = stack
    verslag = _api(url, keys, "/jaarverslagen/2024")
    assert "analyse" in verslag, "the jaarverslag has no analyse section yet"
    with _pagina(url, 1440) as p:
        page = p.open("weergave=afhandeling&jaar=2024&tabellen=ja")
        page.wait_for_selector("body[data-weergave=afhandeling]")
        cellen = page.eval_on_selector_all("td[data-reeks]", CELLEN_JS)
        assert p.fouten == []
    assert _analyse_verschillen(cellen, verslag) == []
    te_tonen = _analyse_cellen(verslag["analyse"])
    assert te_tonen and te_tonen <= {(c["reeks"], c["jaar"]) for c in cellen}


def _nazorg_cellen(verslag: dict[str, Any]) -> set[tuple[str, str]]:
    """Every (series, year) of a nazorg section."""
    return {(f"nazorg.{k}", j) for k, serie in verslag["nazorg"].items() for j in serie}


def test_nazorg_view_shows_the_api_nazorg(stack: tuple[str, DevKeys]) -> None:
    url, keys = stack
    verslag = _api(url, keys, "/jaarverslagen/2024")
    with _pagina(url, 1440) as p:
        page = p.open("weergave=nazorg&jaar=2024&tabellen=ja")
        page.wait_for_selector("body[data-weergave=nazorg]")
        cellen = page.eval_on_selector_all("td[data-reeks]", CELLEN_JS)
        koppen = page.eval_on_selector_all(".kaart h2", "hs => hs.map(h => h.textContent)")
        leeg = page.eval_on_selector_all(
            ".kaart", "ks => ks.map(k => [k.id, !!k.querySelector('.geen-gegevens')])"
        )
        fouten = page.evaluate(OVERLOOP_JS)
        gedrukt = page.get_attribute("button[data-weergave=nazorg]", "aria-pressed")
        page.screenshot(
            path=str(ROOT / "build" / "artifacts" / "dashboard-nazorg.png"), full_page=True
        )
        # Defensie-wide only: the figures of a chosen onderdeel, shown with the annual
        # figures, are not shown here
        page = p.open("jaar=2024&defensieonderdeel=CLSK")
        page.wait_for_selector("#onderdeel-cijfers", state="visible")
        page.click("button[data-weergave=nazorg]")
        page.wait_for_selector("body[data-weergave=nazorg]")
        page.wait_for_selector("#onderdeel-cijfers", state="hidden")
        onderdeel_verborgen = page.is_hidden("#onderdeel-cijfers")
        assert p.fouten == []
    with _pagina(url, 390) as p:
        smal = p.open("weergave=nazorg&jaar=2024&tabellen=ja").evaluate(OVERLOOP_JS)
        assert p.fouten == []
    assert gedrukt == "true" and fouten == [] and smal == []
    assert onderdeel_verborgen
    assert koppen == [
        "Nazorg na afronding van een melding op naam",
        "Benadeling gemeld bij nazorg (% van de uitgevoerde contacten)",
    ]
    # the seed's check-ins reported no retaliation: 0%, a figure to chart, not "geen gegevens"
    assert verslag["nazorg"]["verlopen"]["2024"] > 0
    assert verslag["nazorg"]["benadelingProcent"]["2024"] == 0.0
    assert leeg == [["fig-nazorg", False], ["fig-nazorg-benadeling", False]]
    verschillen = [
        (c["reeks"], c["jaar"], c["tekst"], _waarde(verslag, c["reeks"], c["jaar"]))
        for c in cellen
        if not _gelijk(c["tekst"], _waarde(verslag, c["reeks"], c["jaar"]))
    ]
    assert verschillen == []
    getoond = [(c["reeks"], c["jaar"]) for c in cellen]
    assert sorted(getoond) == sorted(_nazorg_cellen(verslag))  # each once


# The shape of the jaarverslag's `nazorg` section with check-ins done (the seed has none)
NAZORG_VORM: dict[str, Any] = {
    "uitgevoerd": {"2024": 40, "2023": 12, "2022": 0},
    "benadelingGemeld": {"2024": 3, "2023": 1, "2022": 0},
    "benadelingProcent": {"2024": 7.5, "2023": 8.3, "2022": None},
    "verlopen": {"2024": 5, "2023": 2, "2022": 0},
}


def test_nazorg_renders_every_series_of_its_shape(stack: tuple[str, DevKeys]) -> None:
    url, _ = stack
    with _pagina(url, 1440) as p:
        page = p.open_met_sectie("nazorg", "jaar=2024&tabellen=ja", "nazorg", NAZORG_VORM)
        cellen = page.eval_on_selector_all("td[data-reeks]", CELLEN_JS)
        grafieken = page.eval_on_selector_all(".kaart canvas", "cs => cs.length")
        page.screenshot(
            path=str(ROOT / "build" / "artifacts" / "dashboard-nazorg-vorm.png"), full_page=True
        )
        assert p.fouten == []
    verslag = {"nazorg": NAZORG_VORM}
    assert grafieken == 2  # the percentages too: here there are some
    assert [
        (c["reeks"], c["jaar"], c["tekst"])
        for c in cellen
        if not _gelijk(c["tekst"], _waarde(verslag, c["reeks"], c["jaar"]))
    ] == []
    assert sorted((c["reeks"], c["jaar"]) for c in cellen) == sorted(_nazorg_cellen(verslag))


def test_peildatum_picker_reproduces_the_figures_of_that_day(stack: tuple[str, DevKeys]) -> None:
    url, keys = stack
    verslag = _api(url, keys, "/jaarverslagen/2024", peildatum=GISTEREN)
    # yesterday rapportage had registered nothing of the seed yet
    assert verslag["meldingen"]["totaal"] == {"2024": 0, "2023": 0, "2022": 0}
    with _pagina(url, 1440) as p:
        page = p.open("jaar=2024&tabellen=ja")
        assert page.text_content("#peildatum") == VANDAAG
        page.fill("#peil", GISTEREN)
        page.dispatch_event("#peil", "change")
        page.wait_for_function(
            f"() => document.querySelector('#peildatum').textContent === '{GISTEREN}'"
        )
        cellen = page.eval_on_selector_all("td[data-reeks]", CELLEN_JS)
        leeg = page.eval_on_selector_all(".geen-gegevens", "ps => ps.length")
        # and back to today: the seed's figures
        page.fill("#peil", "")
        page.dispatch_event("#peil", "change")
        page.wait_for_function(
            f"() => document.querySelector('#peildatum').textContent === '{VANDAAG}'"
        )
        totaal = page.text_content("td[data-reeks='meldingen.totaal'][data-jaar='2024']")
        assert p.fouten == []
    assert len(cellen) > 50
    verschillen = [
        (c["reeks"], c["jaar"], c["tekst"])
        for c in cellen
        if not _gelijk(c["tekst"], _waarde(verslag, c["reeks"], c["jaar"]))
    ]
    assert verschillen == []
    assert leeg >= 10  # every chart without data says so
    assert totaal == str(EXPECTED_2024["meldingen.totaal"]["2024"])


def _download(page: Any) -> str:
    with page.expect_download() as info:
        page.click("#csv")
    return Path(info.value.path()).read_bytes().decode("utf-8")


def test_download_csv_of_each_view(stack: tuple[str, DevKeys]) -> None:
    import csv
    import io

    url, keys = stack
    api_csv = httpx.get(
        f"{url}/api/rapportage/v1/jaarverslagen/2024",
        params={"peildatum": VANDAAG},
        headers=TokenFactory(keys).headers("rapportage_lezer") | {"Accept": "text/csv"},
    ).text
    with _pagina(url, 1440) as p:
        page = p.open(f"jaar=2024&peildatum={VANDAAG}")
        jaarcijfers = _download(page)
        page = p.open(f"weergave=afhandeling&jaar=2024&peildatum={VANDAAG}")
        afhandeling = _download(page)
        page = p.open(f"weergave=nazorg&jaar=2024&peildatum={VANDAAG}")
        nazorg = _download(page)
        page = p.open(f"weergave=voortgang&peildatum={VANDAAG}")
        page.wait_for_selector("body[data-weergave=voortgang]")
        voortgang = _download(page)
        cellen = page.eval_on_selector_all("td[data-reeks]", "tds => tds.length")
        assert p.fouten == []
    # the annual figures: the API's own CSV; Afhandeling and Nazorg: their section's lines
    assert jaarcijfers == api_csv
    regels = api_csv.split("\r\n")
    assert afhandeling.split("\r\n")[1:-1] == [r for r in regels if r.startswith("analyse.")]
    assert afhandeling.startswith("indicator,jaar,waarde\r\n")
    assert nazorg.split("\r\n")[1:-1] == [r for r in regels if r.startswith("nazorg.")]
    assert nazorg.startswith("indicator,jaar,waarde\r\n")
    assert len(nazorg.split("\r\n")) == 2 + 4 * 3  # header, 4 series of 3 years, final
    # Voortgang: every cell of its tables, one line each
    rijen = list(csv.reader(io.StringIO(voortgang)))
    assert rijen[0] == ["tabel", "rij", "kolom", "waarde"]
    assert len(rijen) - 1 == cellen
    assert [f"Meldingen — open op {VANDAAG}", "Open", "waarde", "27"] in rijen
    assert [f"Open zaken per defensieonderdeel op {VANDAAG}", "CLAS", "Meldingen", "5"] in rijen
