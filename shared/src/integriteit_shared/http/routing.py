"""Cheaper routing for hot endpoints: `include_routes` and `DirectRoute`.

Everything here uses FastAPI's and Starlette's public interfaces only: `add_api_route`, the
attributes a route or router is made with, `route.dependant`, and a plain Starlette `Route`
with an ASGI endpoint. Nothing reads FastAPI's private state, so a FastAPI release that
changes its internals cannot silently change what a route does.

`include_routes(app, router, prefix=...)` is `app.include_router` with the router's routes
added to the app itself. FastAPI keeps an included router as one nested entry that it
matches twice per request (to select it, then within it), saving and restoring its own
bookkeeping in the scope each time; for the dashboard read that was a quarter of the app's
time. A route on the app is matched once. The routes are built from the same arguments, so
behaviour and the OpenAPI document are the same. A router that has anything this does not
copy (its own lifespan or startup/shutdown handlers, form limits, non-API routes, streaming
endpoints, another route class) is included the usual way. Static files served with
`router.frontend(...)` are not routes and are not copied either: include such a router with
`app.include_router`.

`DirectRoute` (`APIRouter(route_class=DirectRoute)`) marks a hot read endpoint whose common
request may skip FastAPI's generic parameter solving. For such an endpoint most of FastAPI's
per-request cost is `solve_dependencies`: it classifies every parameter and dependency again
on each request, builds a sub-response, parses the query string and cookies and validates
every value through pydantic, inside a request wrapper with two exit stacks. For the common
request of a simple endpoint none of that can change the outcome, so whether the endpoint
is simple enough is decided once, when `include_routes` puts the route on the app:

- path parameters of type `int` (bounds `ge`/`gt`/`le`/`lt` allowed) or plain `str`;
- query parameters that are all optional, with a default of None;
- no header, cookie, body, response, background-task or security-scope parameters;
- dependencies that are `async` callables taking only the `Request` (no sub-dependencies,
  no `yield`), each used once, e.g. `require_roles(...)`;
- an `async def` endpoint annotated to return a `Response`, every parameter accounted for.

In front of such a route `include_routes` adds a plain Starlette `Route` for the same path
and methods. It matches only a request without a query string whose path parameters are in
canonical form (`2024`, not `02024` or `+2024`) and within bounds, while no dependency
overrides are set; it answers by calling the dependencies in their declared order and then
the endpoint: the same calls, in the same order, with the same values as FastAPI would make.
An exception (a 401 from the guard) goes to the app's exception handlers, as from any route.
Every other request does not match it and goes on to the FastAPI route behind it, unchanged,
so validation errors, their problem+json bodies and the OpenAPI document are FastAPI's.
A `DirectRoute` included with `app.include_router` is an ordinary FastAPI route: FastAPI
builds an included route's handler per inclusion, with the including router's
dependencies, out of a route class's reach. Not supported on the direct path: FastAPI's
optional OpenTelemetry spans for dependencies and the endpoint.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import annotated_types
from fastapi import APIRouter, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

_MISSING = object()
# longer digit strings are left to pydantic (and are out of any sensible bound anyway)
_MAX_DIGITS = 18

ROUTE_TEMPLATE = "integriteit_route_template"
"""Attribute on a route added by `include_routes`: its path relative to the prefix, the
template metrics and access logs name (as for a route in an included router)."""

# What a router made without `lifespan=` holds: an instance of FastAPI's default lifespan,
# which only runs the router's on_startup/on_shutdown handlers (checked separately).
_DEFAULT_LIFESPAN_TYPE = type(APIRouter().lifespan_context)


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


# (parameter name or None, the callable, the name of its Request parameter)
_DirectDependency = tuple[str | None, Callable[..., Any], str]


@dataclass(frozen=True)
class _Plan:
    path: tuple[_PathParam, ...]
    query_defaults: tuple[str, ...]  # parameters that get their default, None
    request_names: tuple[str, ...]
    dependencies: tuple[_DirectDependency, ...]
    endpoint: Callable[..., Coroutine[Any, Any, Any]]

    def path_values(self, path_params: dict[str, Any]) -> dict[str, Any] | None:
        """The endpoint's path arguments, or None when FastAPI must validate them."""
        values: dict[str, Any] = {}
        for param in self.path:
            value = param.convert(path_params.get(param.alias, _MISSING))
            if value is _MISSING:
                return None
            values[param.name] = value
        return values


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
        added = app.router.routes[-1]
        assert isinstance(added, APIRoute) and added.endpoint is route.endpoint
        setattr(added, ROUTE_TEMPLATE, route.path)
        plan = _plan_for(added) if isinstance(added, DirectRoute) else None
        if plan is not None:
            direct = _DirectPath(added, plan)
            setattr(direct, ROUTE_TEMPLATE, route.path)
            # right in front of it: it matches a subset of what that route matches
            app.router.routes.insert(len(app.router.routes) - 1, direct)


def _flattenable(router: APIRouter) -> bool:
    if router.on_startup or router.on_shutdown or router.form_limits:
        return False
    # a lifespan of its own; a plain function as the default would make every router look
    # as if it had one (then nothing is flattened, which is slower but not wrong)
    lifespan = router.lifespan_context
    if type(lifespan) is not _DEFAULT_LIFESPAN_TYPE or inspect.isfunction(lifespan):
        return False
    return all(
        type(route) is APIRoute or isinstance(route, DirectRoute) for route in router.routes
    ) and not any(
        r.stream_item_type is not None or r.is_sse_stream or r.is_json_stream
        for r in router.routes
        if isinstance(r, APIRoute)
    )


class DirectRoute(APIRoute):
    """Use as `APIRouter(route_class=DirectRoute)`; see the module docstring. The route
    itself is an ordinary FastAPI route: `include_routes` adds the direct path in front."""

    @property
    def is_direct(self) -> bool:
        """True when requests to this route may skip FastAPI's parameter solving."""
        return _plan_for(self) is not None


class _DirectPath(Route):
    """The direct path of a `DirectRoute` on the app: a Starlette route that matches only
    the requests it answers exactly as FastAPI would, and no others."""

    def __init__(self, route: APIRoute, plan: _Plan) -> None:
        methods = route.methods or {"GET"}
        super().__init__(
            route.path,
            _DirectEndpoint(plan, route.name),
            methods=sorted(methods),
            name=route.name,
            include_in_schema=False,
        )
        self.api_route = route
        self.plan = plan
        # Starlette adds HEAD to a GET route; FastAPI's route answers HEAD with 405
        self.api_methods = frozenset(methods)
        self.overrides_provider = route.dependency_overrides_provider

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if (
            scope["type"] != "http"
            or scope["method"] not in self.api_methods
            or scope.get("query_string")
            or self.overrides_active()
        ):
            return Match.NONE, {}
        match, child_scope = super().matches(scope)
        if match is not Match.FULL or self.plan.path_values(child_scope["path_params"]) is None:
            return Match.NONE, {}
        # what the FastAPI route would put in the scope (metrics and logs name it)
        child_scope["endpoint"] = self.api_route.endpoint
        child_scope["route"] = self.api_route
        return Match.FULL, child_scope

    def overrides_active(self) -> bool:
        provider = self.overrides_provider
        return provider is not None and bool(getattr(provider, "dependency_overrides", None))


class _DirectEndpoint:
    """The ASGI endpoint of a `_DirectPath`: the dependencies, then the endpoint."""

    def __init__(self, plan: _Plan, route_name: str) -> None:
        self.plan = plan
        self.route_name = route_name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plan = self.plan
        request = Request(scope, receive, send)
        values = plan.path_values(scope["path_params"])
        assert values is not None  # _DirectPath.matches checked them
        for query_name in plan.query_defaults:
            values[query_name] = None
        for request_name in plan.request_names:
            values[request_name] = request
        # FastAPI solves the dependencies before it validates the parameters; with valid
        # parameters that order is all that shows.
        for dependency_name, call, argument in plan.dependencies:
            solved = await call(**{argument: request})
            if dependency_name is not None:
                values[dependency_name] = solved
        response = await plan.endpoint(**values)
        if not isinstance(response, Response):
            raise TypeError(f"{self.route_name} must return a Response on a DirectRoute")
        await response(scope, receive, send)


def _plan_for(route: APIRoute) -> _Plan | None:
    if route.body_field is not None or route.response_field is not None:
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
    dependencies: list[_DirectDependency] = []
    seen: set[int] = set()
    for sub in dependant.dependencies:
        simple = _simple_dependency(sub)
        if simple is None or id(sub.call) in seen:
            return None
        seen.add(id(sub.call))
        dependencies.append(simple)
    # every parameter of the endpoint is one of those above (none of a kind not known here)
    named = {p.name for p in path} | set(query) | set(request_names)
    named |= {name for name, _, _ in dependencies if name is not None}
    if not _parameters_are(endpoint, named):
        return None
    return _Plan(
        path=tuple(path),
        query_defaults=tuple(query),
        request_names=request_names,
        dependencies=tuple(dependencies),
        endpoint=endpoint,
    )


def _parameters_are(call: Callable[..., Any], names: set[str]) -> bool:
    try:
        parameters = inspect.signature(call).parameters.values()
    except (TypeError, ValueError):
        return False
    return (
        all(p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) for p in parameters)
        and {p.name for p in parameters} == names
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


def _simple_dependency(sub: Dependant) -> _DirectDependency | None:
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
    if not _parameters_are(call, {sub.request_param_name}):
        return None
    return sub.name, call, sub.request_param_name


def _is_async_callable(call: Callable[..., Any]) -> bool:
    if inspect.isfunction(call) or inspect.ismethod(call):
        return inspect.iscoroutinefunction(call)
    if inspect.isclass(call):
        return False
    return inspect.iscoroutinefunction(type(call).__call__)
