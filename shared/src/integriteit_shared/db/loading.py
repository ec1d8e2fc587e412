"""Load the object a request is about to change: scoped (404) and locked.

Every route that changes an object loads it through a dependency that calls
`load_for_change`. On PostgreSQL the row is read `FOR UPDATE`: a concurrent request on the
same object waits until this transaction ends and then reads its result, so of twenty
identical transitions one passes and the others are refused by the workflow table. On
SQLite the request's transaction began `IMMEDIATE` (`Database.transaction`), which
serialises writers the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.http.problems import NotFound

M = TypeVar("M")


def _always(_obj: Any) -> bool:
    return True


async def load_for_change(
    session: AsyncSession,
    model: type[M],
    ident: str,
    *,
    visible: Callable[[M], bool] = _always,
) -> M:
    """The row with primary key `ident`, locked for this transaction; 404 when it does not
    exist or `visible` says the caller may not see it (outside their scope)."""
    key = inspect(model).primary_key[0]
    query = (
        select(model)
        .where(key == ident)
        .with_for_update()
        # a row already in the session is read again under the lock, not served stale
        .execution_options(populate_existing=True)
    )
    obj = await session.scalar(query)
    if obj is None or not visible(obj):
        raise NotFound()
    return obj
