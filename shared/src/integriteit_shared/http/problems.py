"""RFC 9457 problem details: every error a client can cause is one of these."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

PROBLEM_JSON = "application/problem+json"

_TITLES = {
    400: "Ongeldige invoer",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet acceptabel",
    409: "Conflict",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    429: "Te veel verzoeken",
    500: "Interne fout",
    503: "Dienst niet beschikbaar",
}


def problem_type(status: int) -> str:
    return f"https://integriteit.defensie.nl/problemen/{status}"


class ProblemError(Exception):
    """Raise anywhere in a request; the handler turns it into problem+json."""

    status: int = 500

    def __init__(
        self,
        detail: str,
        *,
        status: int | None = None,
        title: str | None = None,
        invalid_params: Sequence[Mapping[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
        code: str | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        if status is not None:
            self.status = status
        self.detail = detail
        self.title = title or _TITLES.get(self.status, "Fout")
        self.invalid_params = list(invalid_params or [])
        self.headers = dict(headers or {})
        self.code = code
        # RFC 9457 extension members (e.g. the allowed actions of a refused transition)
        self.extensions = dict(extensions or {})

    def body(self, instance: str | None = None) -> dict[str, Any]:
        return problem_body(
            self.status,
            self.detail,
            title=self.title,
            invalid_params=self.invalid_params,
            instance=instance,
            code=self.code,
            extensions=self.extensions,
        )


def problem_body(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    invalid_params: Sequence[Mapping[str, str]] | None = None,
    instance: str | None = None,
    code: str | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": problem_type(status),
        "title": title or _TITLES.get(status, "Fout"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if code:
        body["code"] = code
    if invalid_params:
        body["invalidParams"] = [dict(p) for p in invalid_params]
    if extensions:
        body.update(extensions)
    return body


class BadRequest(ProblemError):
    status = 400


class Unauthorized(ProblemError):
    status = 401

    def __init__(self, detail: str = "Een geldig bearer-token is vereist.", **kw: Any) -> None:
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"', **kw.pop("headers", {})}
        super().__init__(detail, headers=headers, **kw)


class Forbidden(ProblemError):
    status = 403

    def __init__(self, detail: str = "Uw rol geeft geen toegang tot deze handeling.", **kw: Any):
        super().__init__(detail, **kw)


class NotFound(ProblemError):
    status = 404

    def __init__(self, detail: str = "De gevraagde bron bestaat niet.", **kw: Any) -> None:
        super().__init__(detail, **kw)


class Conflict(ProblemError):
    status = 409


class PayloadTooLarge(ProblemError):
    status = 413


class UnsupportedMediaType(ProblemError):
    status = 415


class TooManyRequests(ProblemError):
    status = 429

    def __init__(
        self, retry_after_s: int, detail: str = "Te veel verzoeken; probeer later."
    ) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after_s))})


def controleer_periode(vanaf: Any, tot: Any, *, vanaf_naam: str, tot_naam: str) -> None:
    """A 400 naming `tot_naam` when a period's end lies before its start."""
    if vanaf is not None and tot is not None and vanaf > tot:
        raise BadRequest(
            "Ongeldige periode.",
            invalid_params=[{"name": tot_naam, "reason": f"Ligt vóór {vanaf_naam}."}],
        )
