"""Swagger UI and ReDoc in a real browser that can reach nothing but the service itself.

The machines the services run on are offline. Debian's chromium (driven by Playwright, as in
test_dashboard.py) opens meldpunt's `/docs` and `/redoc` with every request to another host
aborted, and each aborted request is recorded: the test fails when the page tried to load
anything from outside, when the browser reports an error (a refused script or style under
the page's Content-Security-Policy among them), or when the operations of the service's
OpenAPI document are not rendered. Screenshots are kept in `build/artifacts/`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from integriteit_dev.broker import DevBroker
from integriteit_dev.testing.browser import CHROMIUM, CHROMIUM_ARGS
from integriteit_dev.testing.processes import ServiceProcess
from integriteit_shared.auth.keys import ensure_dev_keys
from integriteit_shared.db.migrations import migrate

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "build" / "artifacts"
SERVICE = "meldpunt"
BASE = f"/api/{SERVICE}/v1"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
)


@pytest.fixture
def service_url(broker: DevBroker, tmp_path: Path) -> Iterator[str]:
    data_dir = tmp_path / "data"
    keys = ensure_dev_keys(data_dir / "dev-keys")
    assert keys.jwks_path is not None
    migrate([SERVICE], data_dir)
    proc = ServiceProcess(
        SERVICE,
        database_url=f"sqlite+aiosqlite:///{data_dir / SERVICE}.db",
        bootstrap=broker.bootstrap,
        jwks_file=keys.jwks_path,
        data_dir=data_dir,
        log_file=tmp_path / f"{SERVICE}.log",
    )
    proc.start()
    try:
        yield proc.url
    finally:
        proc.stop()


@pytest.fixture
def operations(service_url: str) -> dict[str, str]:
    """operationId -> summary, for every operation in the service's OpenAPI document."""
    r = httpx.get(f"{service_url}{BASE}/openapi.json")
    assert r.status_code == 200, r.text
    ops = {
        op["operationId"]: op["summary"]
        for item in r.json()["paths"].values()
        for method, op in item.items()
        if method in {"get", "put", "post", "delete", "patch"}
    }
    assert len(ops) > 10
    return ops


def _open_offline(url: str, path: str, selector: str, script: str, shot: str) -> dict[str, Any]:
    """Open `path` with only `url`'s host reachable; what `script` read once `selector` showed.

    Returns the requests to other hosts (all aborted), the browser's errors and the result
    of `script` (None when `selector` never appeared)."""
    from playwright.sync_api import Route, sync_playwright
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    local = urlsplit(url).netloc
    extern: list[str] = []
    fouten: list[str] = []

    def route(r: Route) -> None:
        target = urlsplit(r.request.url)
        if target.scheme in {"http", "https"} and target.netloc == local:
            r.continue_()
        else:
            extern.append(r.request.url)
            r.abort("internetdisconnected")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 1000})
            context.route("**/*", route)
            # also what the page's policy stopped before it reached the network
            context.add_init_script(
                "document.addEventListener('securitypolicyviolation', e => "
                "console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI))"
            )
            page = context.new_page()
            page.on("pageerror", lambda exc: fouten.append(str(exc)))
            page.on("console", lambda msg: fouten.append(msg.text) if msg.type == "error" else None)
            page.on(
                "response",
                lambda r: fouten.append(f"{r.status} {r.url}") if r.status >= 400 else None,
            )
            page.on(
                "requestfailed",
                lambda r: fouten.append(f"{r.failure} {r.url}") if r.url not in extern else None,
            )
            page.goto(f"{url}{path}")
            try:
                page.wait_for_selector(selector, timeout=30_000)
                page.wait_for_load_state("networkidle")
                gelezen = page.evaluate(script)
            except PlaywrightTimeout:
                gelezen = None
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / shot))
        finally:
            browser.close()
    return {"extern": extern, "fouten": fouten, "gelezen": gelezen}


def test_swagger_ui_renders_every_operation_offline(
    service_url: str, operations: dict[str, str]
) -> None:
    result = _open_offline(
        service_url,
        f"{BASE}/docs",
        ".opblock .opblock-summary-description",
        """() => [...document.querySelectorAll('.opblock')].map(op => ({
            id: op.id,
            summary: op.querySelector('.opblock-summary-description')?.textContent.trim(),
            visible: op.getBoundingClientRect().height > 0 }))""",
        "api-docs-swagger-ui.png",
    )
    assert result["extern"] == []
    assert result["fouten"] == []
    rendered = result["gelezen"]
    assert rendered is not None, "Swagger UI rendered no operation"
    # deep links: `operations-<tag>-<operationId>`
    assert {op["id"].rsplit("-", 1)[-1] for op in rendered} == set(operations)
    assert sorted(op["summary"] for op in rendered) == sorted(operations.values())
    assert all(op["visible"] for op in rendered)


def test_redoc_renders_every_operation_offline(
    service_url: str, operations: dict[str, str]
) -> None:
    result = _open_offline(
        service_url,
        f"{BASE}/redoc",
        "[data-section-id^='operation/'] h2",
        """() => [...document.querySelectorAll("[data-section-id^='operation/']")].map(op => ({
            id: op.dataset.sectionId,
            summary: op.querySelector('h2')?.textContent.trim() }))""",
        "api-docs-redoc.png",
    )
    assert result["extern"] == []
    assert result["fouten"] == []
    rendered = result["gelezen"]
    assert rendered is not None, "ReDoc rendered no operation"
    assert {op["id"] for op in rendered} == {f"operation/{op_id}" for op_id in operations}
    assert sorted(op["summary"] for op in rendered) == sorted(operations.values())
