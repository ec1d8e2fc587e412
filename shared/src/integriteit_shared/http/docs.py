"""Swagger UI (`<base>/docs`) and ReDoc (`<base>/redoc`) from files shipped with the project.

The machines these services run on are offline, so the pages load nothing from a CDN: the
scripts and styles in `docs_assets/` are swagger-ui-dist and redoc from npm, pinned in
`shared/frontend/package.json` and copied there by its `npm run build`. The HTML is FastAPI's
own (`get_swagger_ui_html`, `get_redoc_html`) with those files' URLs, as in FastAPI's guide
to self-hosting the docs assets. Everything lives under the service's API base path and none
of it is in the OpenAPI document.

The files never change under one URL: their path holds a hash of all of them
(`<base>/docs/assets/<version>/swagger-ui-bundle.js`), so a browser or proxy may keep them for
a year without asking again (`Cache-Control: public, max-age=31536000, immutable`, with the
ETag StaticFiles gives them). A new copy of the assets is a new version and a new URL. The
pages themselves, the OpenAPI document and the API keep `no-store`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

ASSETS = Path(__file__).parent / "docs_assets"
# The dashboard's policy: scripts, styles and requests only to this origin, nothing framed,
# no base or form target. FastAPI's pages have one inline block each (Swagger UI's start-up
# script, ReDoc's body margin): those are allowed by their hash, nothing else inline is.
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'{style}; "
    "script-src 'self'{script}; connect-src 'self'; worker-src 'self'{worker}; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
# What ReDoc 2.5.4 adds to its page itself: an empty <style> element that styled-components
# fills through the CSSOM (which the policy does not govern), and perfect-scrollbar's CSS as
# a <style>. It runs its search index in a worker made from a blob: URL. After upgrading
# redoc, tests/browser/test_api_docs.py names a hash that no longer matches.
_REDOC_STYLES = (
    " 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"  # the empty string
    " 'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='"  # perfect-scrollbar.css
)
_INLINE = {
    "script": re.compile(r"<script>(.*?)</script>", re.DOTALL),
    "style": re.compile(r"<style>(.*?)</style>", re.DOTALL),
}
ASSETS_CACHE_CONTROL = "public, max-age=31536000, immutable"
# Swagger UI would send the document to an online validator for its badge
_SWAGGER_UI_PARAMETERS = {"validatorUrl": None}


def install_docs(app: FastAPI, *, base_path: str) -> None:
    """Swagger UI at `<base>/docs`, ReDoc at `<base>/redoc`, their files at
    `<base>/docs/assets/<version>`."""
    assert app.openapi_url is not None
    openapi_url = app.openapi_url
    assets = f"{base_path}/docs/assets/{assets_version()}"

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = _root_path(request)
        page = get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{assets}/swagger-ui.css",
            swagger_favicon_url=f"{root}{assets}/favicon-32x32.png",
            swagger_ui_parameters=_SWAGGER_UI_PARAMETERS,
        )
        return _with_csp(page)

    async def redoc(request: Request) -> HTMLResponse:
        root = _root_path(request)
        page = get_redoc_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{assets}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{assets}/favicon-32x32.png",
            with_google_fonts=False,
        )
        return _with_csp(page, style=_REDOC_STYLES, worker=" blob:")

    app.mount(assets, _VersionedAssets(directory=ASSETS), name="docs-assets")
    app.add_route(f"{base_path}/docs", swagger_ui, include_in_schema=False)
    app.add_route(f"{base_path}/redoc", redoc, include_in_schema=False)


@lru_cache(maxsize=1)
def assets_version() -> str:
    """12 hex characters of a hash over every asset's name and content."""
    digest = hashlib.sha256()
    for path in sorted(ASSETS.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


class _VersionedAssets(StaticFiles):
    """The assets under their versioned path: cached for a year (also on a 304)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = ASSETS_CACHE_CONTROL
        return response


def _root_path(request: Request) -> str:
    # behind a proxy that strips a prefix, as FastAPI's own docs pages do
    root: str = request.scope.get("root_path", "")
    return root.rstrip("/")


def _with_csp(page: HTMLResponse, *, style: str = "", worker: str = "") -> HTMLResponse:
    html = bytes(page.body).decode()
    page.headers["Content-Security-Policy"] = _CSP.format(
        script=_hashes(html, "script"), style=_hashes(html, "style") + style, worker=worker
    )
    return page


def _hashes(html: str, tag: str) -> str:
    return "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'"
        for block in _INLINE[tag].findall(html)
    )
