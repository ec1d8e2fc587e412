"""page/pageSize pagination with RFC 8288 Link headers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Page:
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Paginanummer, vanaf 1.")] = 1,
    page_size: Annotated[
        int, Query(alias="pageSize", ge=1, le=100, description="Aantal per pagina (max 100).")
    ] = 20,
) -> Page:
    return Page(page=page, page_size=page_size)


PageDep = Annotated[Page, Depends(page_params)]


async def pagina(session: AsyncSession, query: Select[Any], page: Page) -> tuple[list[Any], int]:
    """One page of an ordered query, and the total count for the Link header."""
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(query.offset(page.offset).limit(page.page_size))
    return list(rows), int(total)


def set_link_header(request: Request, response: Response, page: Page, total: int) -> None:
    last = max(1, math.ceil(total / page.page_size))

    def url(p: int) -> str:
        return str(request.url.include_query_params(page=p, pageSize=page.page_size))

    links = [f'<{url(1)}>; rel="first"']
    if page.page > 1:
        links.append(f'<{url(min(page.page - 1, last))}>; rel="prev"')
    if page.page < last:
        links.append(f'<{url(page.page + 1)}>; rel="next"')
    links.append(f'<{url(last)}>; rel="last"')
    response.headers["Link"] = ", ".join(links)
    response.headers["X-Total-Count"] = str(total)
