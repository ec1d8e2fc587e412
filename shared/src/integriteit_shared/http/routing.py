"""Cheaper routing for hot endpoints: `include_routes` and `DirectRoute`.

`include_routes(app, router, prefix=...)` is `app.include_router` with the router's routes
added to the app itself. FastAPI keeps an included router as one nested entry that it
matches twice per request (to select it, then within it), saving and restoring its own
bookkeeping in the scope each time; for the dashboard read that was a quarter of the app's
time. A route on the app is matched once. The routes are built from the same arguments, so
behaviour and the OpenAPI document are the same; a router that uses anything this does not
copy (its own lifespan or startup/shutdown handlers, form limits, non-API routes, streaming
endpoints) is included the usual way.

`DirectRoute` is an APIRoute that skips FastAPI's generic parameter solving where it can.

For a hot read endpoint most of FastAPI's per-request cost is `solve_dependencies`: it
classifies every parameter and dependency again on each request, builds a sub-response,
parses the query string and cookies and validates every value through pydantic. For the
common request of a simple endpoint none of that can change the outcome, so this route
class decides once, when the route is built, whether the endpoint is simple enough:

- path parameters of type `int` (bounds `ge`/`gt`/`le`/`lt` allowed) or plain `str`;
- query parameters that are all optional, with a default of None;
- no header, cookie, body, response, background-task or security-scope parameters;
- dependencies that are `async` callables taking only the `Request` (no sub-dependencies,
  no `yield`), each used once, e.g. `require_roles(...)`;
- an `async def` endpoint annotated to return a `Response`.

Such a route answers a request without a query string whose path parameters are in
canonical form (`2024`, not `02024` or `+2024`) and within bounds by calling the
dependencies in their declared order and then the endpoint: the same calls, in the same
order, with the same values as FastAPI would make. Every other request (a query string,
an out-of-range or odd path value, dependency overrides in tests) and every route that is
not simple goes through FastAPI's own handler unchanged, so validation errors, their
problem+json bodies and the OpenAPI document are FastAPI's. Not supported on the direct
path: FastAPI's optional OpenTelemetry spans for dependencies and the endpoint.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import annotated_types
import fastapi.routing
from fastapi import APIRouter, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.responses import Response

Handler = Callable[[Request], Coroutine[Any, Any, Response]]

_MISSING = object()
# longer digit strings are left to pydantic (and are out of any sensible bound anyway)
_MAX_DIGITS = 18


@dataclass(frozen=True)
class _PathParam:
    name: str
    alias: str
    is_int: bool
    lower: int | None  # inclusive
    upper: int | None  # inclusive

    def convert(self, raw: object) -> object:
        """The value pydantic would produce, or _MISSING when that is not certain."""
        if not self.is_int:
            return raw if type(raw) is str else _MISSING
        if type(raw) is int:
            value = raw
        elif (
            type(raw) is str
            and 0 < len(raw) <= _MAX_DIGITS
            and raw.isascii()
            and raw.isdigit()
            and (raw[0] != "0" or raw == "0")
        ):
            value = int(raw)
        else:
            return _MISSING
        if (self.lower is not None and value < self.lower) or (
            self.upper is not None and value > self.upper
        ):
            return _MISSING
        return value


@dataclass(frozen=True)
class _Plan:
    path: tuple[_PathParam, ...]
    query_defaults: tuple[str, ...]  # parameters that get their default, None
    request_names: tuple[str, ...]
    dependencies: tuple[tuple[str | None, Callable[..., Any], str], ...]
    endpoint: Callable[..., Coroutine[Any, Any, Any]]


ROUTE_TEMPLATE = "integriteit_route_template"
"""Attribute on a route added by `include_routes`: its path relative to the prefix, the
template metrics and access logs name (as for a route in an included router)."""


def include_routes(app: FastAPI, router: APIRouter, *, prefix: str) -> None:
    """`app.include_router(router, prefix=prefix)`, flattened where that is the same."""
    if not _flattenable(router):
        app.include_router(router, prefix=prefix)
        return
    for route in router.routes:
        assert isinstance(route, APIRoute)
        app.router.add_api_route(
            prefix + route.path,
            route.endpoint,
            response_model=route.response_model,
            status_code=route.status_code,
            tags=list(route.tags),
            dependencies=list(route.dependencies),
            summary=route.summary,
            description=route.description,
            response_description=route.response_description,
            responses=dict(route.responses),
            deprecated=route.deprecated,
            methods=set(route.methods or ()),
            operation_id=route.operation_id,
            response_model_include=route.response_model_include,
            response_model_exclude=route.response_model_exclude,
            response_model_by_alias=route.response_model_by_alias,
            response_model_exclude_unset=route.response_model_exclude_unset,
            response_model_exclude_defaults=route.response_model_exclude_defaults,
            response_model_exclude_none=route.response_model_exclude_none,
            include_in_schema=route.include_in_schema,
            response_class=route.response_class,
            name=route.name,
            route_class_override=type(route),
            callbacks=route.callbacks,
            openapi_extra=route.openapi_extra,
            generate_unique_id_function=route.generate_unique_id_function,
            strict_content_type=route.strict_content_type,
            max_body_size=route.max_body_size,
            form_limits=route.form_limits or None,
        )
        setattr(app.router.routes[-1], ROUTE_TEMPLATE, route.path)


def _flattenable(router: APIRouter) -> bool:
    if router.on_startup or router.on_shutdown or router.form_limits:
        return False
    if type(router.lifespan_context).__name__ != "_DefaultLifespan":
        return False
    if getattr(router, "_low_priority_routes", None):
        return False
    return all(
        type(route) is APIRoute or isinstance(route, DirectRoute) for route in router.routes
    ) and not any(
        r.stream_item_type is not None or r.is_sse_stream or r.is_json_stream
        for r in router.routes
        if isinstance(r, APIRoute)
    )


class DirectRoute(APIRoute):
    """Use as `APIRouter(route_class=DirectRoute)`; see the module docstring."""

    def get_route_handler(self) -> Handler:
        standard = super().get_route_handler()
        route = _effective_route(self)
        plan = _plan_for(route)
        if plan is None:
            return standard
        return _direct_handler(plan, standard, route)

    @property
    def is_direct(self) -> bool:
        """True when requests to this route may skip FastAPI's parameter solving."""
        return _plan_for(_effective_route(self)) is not None


def _effective_route(route: APIRoute) -> Any:
    """The route as FastAPI handles it: when included in a router or app, FastAPI builds
    the handler for an inclusion context (with the including router's dependencies); it
    makes that context visible to `get_route_handler` through a context variable."""
    var = getattr(fastapi.routing, "_effective_route_context_var", None)
    if var is None:  # a FastAPI without inclusion contexts: not known to be safe
        return None
    context = var.get()
    if context is not None and getattr(context, "original_route", None) is route:
        return context
    return route


def _plan_for(route: Any) -> _Plan | None:
    if route is None or getattr(route, "body_field", None) is not None:
        return None
    if getattr(route, "response_field", None) is not None:
        return None
    dependant: Dependant = route.dependant
    endpoint = dependant.call
    if (
        endpoint is None
        or not inspect.iscoroutinefunction(endpoint)
        or not _returns_response(endpoint)
    ):
        return None
    if (
        dependant.header_params
        or dependant.cookie_params
        or dependant.body_params
        or dependant.websocket_param_name
        or dependant.response_param_name
        or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
    ):
        return None
    path: list[_PathParam] = []
    for field in dependant.path_params:
        param = _path_param(field)
        if param is None:
            return None
        path.append(param)
    query: list[str] = []
    for field in dependant.query_params:
        info = field.field_info
        if info.is_required() or info.default is not None or info.validate_default:
            return None
        query.append(field.name)
    request_names = tuple(
        n for n in (dependant.request_param_name, dependant.http_connection_param_name) if n
    )
    dependencies: list[tuple[str | None, Callable[..., Any], str]] = []
    seen: set[int] = set()
    for sub in dependant.dependencies:
        simple = _simple_dependency(sub)
        if simple is None or id(sub.call) in seen:
            return None
        seen.add(id(sub.call))
        dependencies.append(simple)
    return _Plan(
        path=tuple(path),
        query_defaults=tuple(query),
        request_names=request_names,
        dependencies=tuple(dependencies),
        endpoint=endpoint,
    )


def _returns_response(endpoint: Callable[..., Any]) -> bool:
    try:
        hints = typing.get_type_hints(endpoint)
    except Exception:  # unresolvable annotations: let FastAPI handle it
        return False
    ret = hints.get("return")
    return isinstance(ret, type) and issubclass(ret, Response)


def _path_param(field: Any) -> _PathParam | None:
    info = field.field_info
    lower: int | None = None
    upper: int | None = None
    if info.annotation is str:
        if info.metadata:
            return None
        return _PathParam(field.name, field.alias, is_int=False, lower=None, upper=None)
    if info.annotation is not int:
        return None
    for item in info.metadata:
        bound = _int_bound(item)
        if bound is None:
            return None
        kind, value = bound
        if kind == "lower":
            lower = value if lower is None else max(lower, value)
        else:
            upper = value if upper is None else min(upper, value)
    return _PathParam(field.name, field.alias, is_int=True, lower=lower, upper=upper)


def _int_bound(item: object) -> tuple[str, int] | None:
    """An integer bound as ("lower"|"upper", inclusive value); None if not a plain bound."""
    if isinstance(item, annotated_types.Ge) and type(item.ge) is int:
        return "lower", item.ge
    if isinstance(item, annotated_types.Gt) and type(item.gt) is int:
        return "lower", item.gt + 1
    if isinstance(item, annotated_types.Le) and type(item.le) is int:
        return "upper", item.le
    if isinstance(item, annotated_types.Lt) and type(item.lt) is int:
        return "upper", item.lt - 1
    return None


def _simple_dependency(sub: Dependant) -> tuple[str | None, Callable[..., Any], str] | None:
    call = sub.call
    if call is None or not _is_async_callable(call):
        return None
    if (
        sub.path_params
        or sub.query_params
        or sub.header_params
        or sub.cookie_params
        or sub.body_params
        or sub.dependencies
        or sub.websocket_param_name
        or sub.http_connection_param_name
        or sub.response_param_name
        or sub.background_tasks_param_name
        or sub.security_scopes_param_name
        or sub.own_oauth_scopes
        or sub.parent_oauth_scopes
        or sub.scope is not None
        or sub.concurrency is not None
        or not sub.request_param_name
    ):
        return None
    return sub.name, call, sub.request_param_name


def _is_async_callable(call: Callable[..., Any]) -> bool:
    if inspect.isfunction(call) or inspect.ismethod(call):
        return inspect.iscoroutinefunction(call)
    if inspect.isclass(call):
        return False
    return inspect.iscoroutinefunction(type(call).__call__)


def _direct_handler(plan: _Plan, standard: Handler, route: Any) -> Handler:
    path, query_defaults, request_names = plan.path, plan.query_defaults, plan.request_names
    dependencies, endpoint = plan.dependencies, plan.endpoint
    provider = route.dependency_overrides_provider
    route_name = route.name

    async def handler(request: Request) -> Response:
        scope = request.scope
        if scope.get("query_string") or (
            provider is not None and getattr(provider, "dependency_overrides", None)
        ):
            return await standard(request)
        values: dict[str, Any] = {}
        path_params = scope.get("path_params", {})
        for param in path:
            value = param.convert(path_params.get(param.alias, _MISSING))
            if value is _MISSING:
                return await standard(request)
            values[param.name] = value
        for query_name in query_defaults:
            values[query_name] = None
        for request_name in request_names:
            values[request_name] = request
        # FastAPI solves the dependencies before it validates the parameters; with valid
        # parameters that order is all that shows.
        for dependency_name, call, argument in dependencies:
            solved = await call(**{argument: request})
            if dependency_name is not None:
                values[dependency_name] = solved
        response = await endpoint(**values)
        if not isinstance(response, Response):
            raise TypeError(f"{route_name} must return a Response on a DirectRoute")
        return response

    return handler
