"""The request's database transaction, as a FastAPI dependency.

Apart from `app` so that a router the app itself mounts (the audit log) can use it without
an import cycle; `integriteit_shared.http.app` re-exports both names.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.db.session import Database


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the handler returns, else rolled back.

    On SQLite it takes the write lock at its start (see `Database.transaction`), also for a
    GET: reading protected text writes its audit entry, and a read transaction that later
    writes could be refused (SQLITE_BUSY_SNAPSHOT) after another writer's commit."""
    db: Database = request.app.state.db
    async with db.transaction() as session:
        yield session
    request.app.state.relay.notify()


# scope="function": the commit runs when the handler returns, before the response is sent,
# so a failed commit is answered with 500, never with a success for data that was lost.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
