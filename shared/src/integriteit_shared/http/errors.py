"""Exception handlers: every error is problem+json; validation errors are 400 with all fields."""

from __future__ import annotations

import json
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from integriteit_shared.http.body import ProblemBijLezen
from integriteit_shared.http.problems import PROBLEM_JSON, ProblemError, problem_body

_log = structlog.get_logger("http")


def problem_response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    return Response(
        content=json.dumps(body, ensure_ascii=False),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    # pydantic puts the union/validator name in the location; keep the field path
    return ".".join(p for p in parts if not p.startswith("function-")) or "body"


_REASONS = {
    "missing": "Verplicht veld ontbreekt.",
    "extra_forbidden": "Onbekend veld.",
    "json_invalid": "Geen geldige JSON.",
    "model_attributes_type": "Moet een JSON-object zijn.",
    "dict_type": "Moet een JSON-object zijn.",
}


def invalid_params(errors: Any) -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    for err in errors:
        reason = _REASONS.get(err.get("type", ""), err.get("msg", "Ongeldige waarde."))
        if reason.startswith("Value error, "):
            reason = reason[len("Value error, ") :]
        params.append({"name": _field_name(err.get("loc", ())), "reason": reason})
    return params


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> Response:
        return problem_response(exc.status, exc.body(), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        params = invalid_params(exc.errors())
        detail = "De invoer is ongeldig: " + ", ".join(sorted({p["name"] for p in params}))
        return problem_response(400, problem_body(400, detail, invalid_params=params))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if isinstance(exc, ProblemBijLezen):
            return problem_response(exc.problem.status, exc.problem.body(), exc.problem.headers)
        detail = exc.detail if isinstance(exc.detail, str) else "Fout."
        if exc.status_code == 404 and detail == "Not Found":
            detail = "De gevraagde bron bestaat niet."
        elif exc.status_code == 405:
            detail = "Deze methode is hier niet toegestaan."
        return problem_response(
            exc.status_code, problem_body(exc.status_code, detail), dict(exc.headers or {})
        )

    async def _database_away(request: Request, exc: Exception) -> Response:
        # locked (SQLite), unreachable, restarting or out of connections: the transaction
        # was rolled back, so the client may simply try again
        _log.warning("database_unavailable", error=type(exc).__name__)
        return problem_response(
            503,
            problem_body(503, "De opslag is even niet beschikbaar; probeer het zo opnieuw."),
            {"Retry-After": "1"},
        )

    for soort in (OperationalError, InterfaceError, PoolTimeoutError):
        app.add_exception_handler(soort, _database_away)

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> Response:
        _log.error("unhandled_error", error=type(exc).__name__)
        return problem_response(500, problem_body(500, "Er ging iets mis; probeer het later."))
