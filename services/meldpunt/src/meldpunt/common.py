"""Small pieces every meldpunt domain shares: the camelCase base model and date checks."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import Request
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from meldpunt.termijnen import vandaag


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class CamelInput(BaseModel):
    """Request bodies: unknown fields are refused (a typo must not pass silently)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", str_strip_whitespace=True
    )


def niet_in_toekomst(value: date | None) -> date | None:
    if value is not None and value > vandaag():
        raise ValueError("Mag niet in de toekomst liggen.")
    return value


def moment_niet_in_toekomst(value: datetime | None) -> datetime | None:
    if value is not None and value > datetime.now(UTC):
        raise ValueError("Mag niet in de toekomst liggen.")
    return value


def request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def location(request: Request, path: str) -> str:
    """An absolute path under this API's base for the Location header."""
    return f"{request.scope.get('root_path', '')}/api/meldpunt/v1{path}"
