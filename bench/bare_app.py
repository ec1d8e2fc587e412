"""The baseline: a bare FastAPI endpoint returning fixed bytes (no auth, database or middleware).

`uvicorn bare_app:create --factory --app-dir bench`, with BENCH_BODY_FILE naming the body.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import Response


def create() -> FastAPI:
    body = Path(os.environ["BENCH_BODY_FILE"]).read_bytes()
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/api/rapportage/v1/jaarverslagen/{jaar}")
    async def jaarverslag(jaar: int) -> Response:
        return Response(content=body, media_type="application/json")

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    return app
