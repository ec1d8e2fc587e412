"""Make FastAPI's generated OpenAPI document follow the NL GOV API Design Rules.

FastAPI documents 422 validation errors as plain JSON; we answer 400 problem+json, always
send API-Version, and serve paths relative to a versioned server URL.

The document is also made for client generators (openapi-python-client,
tests/test_openapi_clients.py): every code list is one named component
(`integriteit_shared.codes`), JSON is the first media type of every body and response, and
media types that share a schema refer to one component instead of repeating it inline.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer", "format": "int32", "minimum": 100, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/InvalidParam"},
        },
        "toestand": {
            "type": "string",
            "description": "409 op een overgang: de huidige toestand (docs/toestanden.md).",
        },
        "toegestaneHandelingen": {
            "type": "array",
            "items": {"type": "string"},
            "description": "409 op een overgang: de handelingen die in deze toestand kunnen.",
        },
    },
}
INVALID_PARAM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "InvalidParam",
    "required": ["name", "reason"],
    "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
}
ERROR_DESCRIPTIONS = {
    "400": "Ongeldige invoer; `invalidParams` noemt elk fout veld.",
    "401": "Geen geldig bearer-token.",
    "403": "De rol van het token geeft geen toegang.",
    "404": "Niet gevonden (ook buiten het bereik van de aanroeper).",
    "409": "De overgang past niet bij de huidige status; `toegestaneHandelingen` noemt wat kan.",
    "413": "Verzoek te groot.",
    "415": "Mediatype niet ondersteund.",
    "429": "Te veel verzoeken; zie `Retry-After`.",
    "500": "Interne fout.",
}
VERSION_HEADER: dict[str, Any] = {
    "description": "De volledige versie van de API (semver).",
    "schema": {"type": "string", "example": "1.0.0"},
}


def _problem_response(code: str) -> dict[str, Any]:
    return {
        "description": ERROR_DESCRIPTIONS.get(code, "Fout."),
        "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}},
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def _collapse_nullable(node: Any) -> Any:
    """`anyOf: [X, {type: null}]` → X with `type: [t, "null"]`, so date fields keep `format`."""
    if isinstance(node, list):
        return [_collapse_nullable(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _collapse_nullable(v) for k, v in node.items()}
    any_of = node.get("anyOf")
    if isinstance(any_of, list) and len(any_of) == 2 and {"type": "null"} in any_of:
        other = next(s for s in any_of if s != {"type": "null"})
        if isinstance(other, dict) and isinstance(other.get("type"), str):
            merged = {**other, "type": [other["type"], "null"]}
            if "enum" in merged:
                merged["enum"] = [*merged["enum"], None]
            rest = {k: v for k, v in node.items() if k != "anyOf"}
            return {**merged, **rest}
    return node


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _json_first(content: dict[str, Any]) -> dict[str, Any]:
    """The same media types, JSON ones first: a generator types a body by its first one."""
    return dict(sorted(content.items(), key=lambda item: not _is_json(item[0])))


def _pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def _share_schemas(content: dict[str, Any], name: str, schemas: dict[str, Any]) -> None:
    """Media types with the same inline schema refer to one component instead.

    The component is named after the schema's `title`, or else `name`; a generator then
    makes one model where it would make one per media type.
    """
    groups: dict[str, list[str]] = {}
    for media_type, media in content.items():
        schema = media.get("schema")
        if isinstance(schema, dict) and schema and "$ref" not in schema:
            groups.setdefault(json.dumps(schema, sort_keys=True), []).append(media_type)
    for media_types in groups.values():
        if len(media_types) < 2:
            continue
        schema = content[media_types[0]]["schema"]
        component = str(schema.get("title") or name)
        if schemas.setdefault(component, schema) != schema:
            raise ValueError(f"OpenAPI: component {component} already holds another schema")
        for media_type in media_types:
            content[media_type]["schema"] = {"$ref": f"#/components/schemas/{component}"}


def _for_generators(op: dict[str, Any], schemas: dict[str, Any]) -> None:
    """JSON first and no repeated inline schemas, in the request body and every response."""
    name = _pascal(str(op.get("operationId", "")))
    body = op.get("requestBody", {})
    if "content" in body:
        body["content"] = _json_first(body["content"])
        _share_schemas(body["content"], f"{name}Body", schemas)
    for code, resp in op.get("responses", {}).items():
        if "content" in resp:
            resp["content"] = _json_first(resp["content"])
            _share_schemas(resp["content"], f"{name}{code}", schemas)


def adr_openapi(
    app: FastAPI,
    *,
    base_path: str,
    title: str,
    version: str,
    description: str,
    extra_error_codes: tuple[str, ...] = ("401", "403"),
) -> dict[str, Any]:
    schema = get_openapi(title=title, version=version, description=description, routes=app.routes)
    schema["info"]["contact"] = {
        "name": "Centrale Organisatie Integriteit Defensie",
        "email": "integriteit@mindef.nl",
        "url": "https://www.defensie.nl/onderwerpen/integriteit",
    }
    schema["info"]["license"] = {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"}
    schema["servers"] = [{"url": base_path, "description": "Deze omgeving"}]
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["InvalidParam"] = INVALID_PARAM_SCHEMA
    components.setdefault("headers", {})["API-Version"] = VERSION_HEADER

    paths: dict[str, Any] = {}
    for path, item in schema.get("paths", {}).items():
        if not path.startswith(base_path):
            continue
        for method, op in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = op.setdefault("responses", {})
            responses.pop("422", None)
            secured = bool(op.get("security"))
            codes = {"400", "500", *(extra_error_codes if secured else ())}
            codes |= {c for c in responses if c.startswith(("4", "5"))}
            for code in sorted(codes):
                existing = responses.get(code, {})
                resp = _problem_response(code)
                if existing.get("description") and existing["description"] != "Validation Error":
                    resp["description"] = existing["description"]
                resp["headers"] = {**existing.get("headers", {}), **resp["headers"]}
                responses[code] = resp
            for code, resp in responses.items():
                if code.startswith(("2", "3")):
                    headers = resp.setdefault("headers", {})
                    headers["API-Version"] = {"$ref": "#/components/headers/API-Version"}
                    if code == "201":
                        headers.setdefault(
                            "Location",
                            {
                                "description": "URI van de aangemaakte bron.",
                                "schema": {"type": "string", "format": "uri-reference"},
                            },
                        )
            _for_generators(op, schemas)
        paths[path[len(base_path) :] or "/"] = item
    schema["paths"] = paths
    collapsed: dict[str, Any] = _collapse_nullable(schema)
    return collapsed


def install_adr_openapi(app: FastAPI, *, base_path: str, description: str) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = adr_openapi(
                app,
                base_path=base_path,
                title=app.title,
                version=app.version,
                description=description,
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
