"""Request bodies read once, within limits, and refused politely when they are not sane.

`BodyGuard` (pure ASGI, installed by `create_app` for every service) sits between the
middleware and the routes. Nothing happens until the route asks for the body; then, in
this order:

1. the route's pre-body guards run (`voor_body`), e.g. the anonymous intake limiter, so a
   client over its limit gets its 429 before anything of the body is parsed;
2. the body is read within the route's limit (`body_limiet`, default
   `STANDAARD_BODY_LIMIET`): a `Content-Length` over the limit is refused before reading,
   a body that grows over it while being read is refused at the chunk that crosses it (413);
3. a JSON body (`application/json` or any `+json`) is checked: nested deeper than
   `MAX_NESTING` gives 400, and so does a key given twice in one object (JSON leaves that
   undefined; the usual parser lets the last one win, which must not decide whether a
   melding is anonymous). Invalid JSON is left to the route, which reports it in its own way.

Every refusal is problem+json through the app's exception handlers, never a 500.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, Final, TypeVar

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from integriteit_shared.http.problems import BadRequest, PayloadTooLarge, ProblemError

KiB: Final = 1024
MiB: Final = 1024 * KiB
STANDAARD_BODY_LIMIET: Final = 256 * KiB
MAX_NESTING: Final = 32

_LIMIET_ATTR = "integriteit_body_limiet"
_GUARDS_ATTR = "integriteit_voor_body"

F = TypeVar("F", bound=Callable[..., Any])
Guard = Callable[[Request], Awaitable[None]]


class ProblemBijLezen(HTTPException):
    """A `ProblemError` raised while the body is read. FastAPI passes an HTTPException from
    reading the body on unchanged (any other exception becomes a generic 400), and the
    app's handler answers with the problem it carries."""

    def __init__(self, problem: ProblemError) -> None:
        super().__init__(status_code=problem.status, detail=problem.detail)
        self.problem = problem


def body_limiet(max_bytes: int) -> Callable[[F], F]:
    """Decorate an endpoint (under its route decorator) to allow another body size."""

    def mark(endpoint: F) -> F:
        setattr(endpoint, _LIMIET_ATTR, max_bytes)
        return endpoint

    return mark


def voor_body(*guards: Guard) -> Callable[[F], F]:
    """Decorate an endpoint: run these before its body is read (they may raise a problem)."""

    def mark(endpoint: F) -> F:
        setattr(endpoint, _GUARDS_ATTR, (*getattr(endpoint, _GUARDS_ATTR, ()), *guards))
        return endpoint

    return mark


class BodyGuard:
    def __init__(self, app: ASGIApp, *, standaard_limiet: int = STANDAARD_BODY_LIMIET) -> None:
        self.app = app
        self.standaard_limiet = standaard_limiet

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gelezen = False

        async def lees() -> Message:
            nonlocal gelezen
            if gelezen:  # after the body: disconnect messages, straight through
                return await receive()
            gelezen = True
            try:
                return await self._lees(scope, receive)
            except ProblemError as exc:
                raise ProblemBijLezen(exc) from None

        await self.app(scope, lees, send)

    async def _lees(self, scope: Scope, receive: Receive) -> Message:
        endpoint = scope.get("endpoint")
        for guard in getattr(endpoint, _GUARDS_ATTR, ()):
            await guard(Request(scope))
        limiet: int = getattr(endpoint, _LIMIET_ATTR, self.standaard_limiet)
        lengte = _content_length(scope)
        if lengte is not None and lengte > limiet:
            raise _te_groot(limiet)
        delen: list[bytes] = []
        totaal = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return message
            deel = message.get("body", b"")
            totaal += len(deel)
            if totaal > limiet:
                raise _te_groot(limiet)
            delen.append(deel)
            if not message.get("more_body", False):
                break
        body = b"".join(delen)
        if body and _is_json(scope):
            controleer_json(body)
        return {"type": "http.request", "body": body, "more_body": False}


def _te_groot(limiet: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"De body is groter dan {_leesbaar(limiet)}.",
        invalid_params=[{"name": "body", "reason": f"Ten hoogste {limiet} bytes."}],
    )


def _leesbaar(n: int) -> str:
    if n >= MiB and n % MiB == 0:
        return f"{n // MiB} MiB"
    if n >= KiB and n % KiB == 0:
        return f"{n // KiB} KiB"
    return f"{n} bytes"


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            media: bytes = value.split(b";")[0].strip().lower()
            return media == b"application/json" or (
                media.startswith(b"application/") and media.endswith(b"+json")
            )
    return False


class _DubbeleSleutel(ValueError):
    pass


def _zonder_dubbele(paren: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(paren)
    if len(result) != len(paren):
        raise _DubbeleSleutel
    return result


def _diepte(waarde: Any) -> int:
    """How deeply containers nest (a scalar is 0), without recursion."""
    diepste = 0
    stapel = [(waarde, 1)]
    while stapel:
        item, niveau = stapel.pop()
        if not isinstance(item, dict | list):
            continue
        diepste = max(diepste, niveau)
        if niveau > MAX_NESTING:
            break
        kinderen = item.values() if isinstance(item, dict) else item
        stapel.extend((k, niveau + 1) for k in kinderen if isinstance(k, dict | list))
    return diepste


def controleer_json(body: bytes) -> None:
    """Raise BadRequest for duplicate keys or nesting deeper than MAX_NESTING; leave invalid
    JSON to the caller."""
    try:
        waarde = json.loads(body, object_pairs_hook=_zonder_dubbele)
    except _DubbeleSleutel:
        raise BadRequest(
            "De body bevat een sleutel twee keer in hetzelfde JSON-object.",
            invalid_params=[{"name": "body", "reason": "Dubbele sleutel."}],
        ) from None
    except RecursionError:
        diepte = MAX_NESTING + 1
    except ValueError:
        return
    else:
        diepte = _diepte(waarde)
    if diepte > MAX_NESTING:
        raise BadRequest(
            f"De body is dieper genest dan {MAX_NESTING} niveaus.",
            invalid_params=[{"name": "body", "reason": f"Ten hoogste {MAX_NESTING} niveaus."}],
        )
