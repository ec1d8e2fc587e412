"""What this service's domain packages share: the schema base and the date rules."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.pagination import Page
from integriteit_shared.kalender import AMSTERDAM, vandaag

T = TypeVar("T")

__all__ = ["AMSTERDAM", "vandaag"]


def _niet_in_toekomst(value: date) -> date:
    if value > vandaag():
        raise ValueError("Mag niet in de toekomst liggen.")
    return value


# A business date that has already happened (today or earlier, Amsterdam time).
Verleden = Annotated[date, AfterValidator(_niet_in_toekomst)]


def nieuw_id() -> str:
    return str(uuid.uuid4())


def eigen_onderdeel(principal: Principal, onderdeel: str) -> bool:
    """May this caller write for `onderdeel`? A token without an onderdeel is Defensie-wide."""
    return principal.defensieonderdeel is None or principal.defensieonderdeel == onderdeel


class Schema(BaseModel):
    """Output: lowerCamelCase JSON."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Invoer(BaseModel):
    """Input: lowerCamelCase JSON; unknown fields are refused (no names sneak in)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


async def pagina(session: AsyncSession, query: Select[T], page: Page) -> tuple[list[T], int]:
    """One page of an ordered query, and the total count for the Link header."""
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(query.offset(page.offset).limit(page.page_size))
    return list(rows), int(total)
