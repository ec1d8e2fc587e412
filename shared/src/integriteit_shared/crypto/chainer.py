"""Background task that appends queued audit entries (`queue_audit`) to the hash chain."""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from integriteit_shared.crypto.audit import AuditKeys, chain_queued
from integriteit_shared.db.session import Database
from integriteit_shared.tasks import stop_task

_log = structlog.get_logger("audit")

INTERVAL_S = 0.25  # an entry waits at most about this long before it is chained
BATCH = 500


class AuditChainer:
    """Chains the queue every INTERVAL_S, and once more when the service stops.

    Several replicas may run one each: appends are serialised by the chain's lock, and
    each round takes the queued rows it read under that lock.
    """

    def __init__(self, db: Database, *, keys: AuditKeys | None = None) -> None:
        self.database = db
        self.keys = keys
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="audit-chainer")

    async def stop(self) -> None:
        self._stopping.set()
        await stop_task(self._task)
        self._task = None

    async def chain_all(self) -> int:
        """Chain everything queued now; returns how many entries were appended."""
        total = 0
        while True:
            async with self.database.transaction() as session:
                n = await chain_queued(session, limit=BATCH, keys=self.keys)
            total += n
            if n < BATCH:
                return total

    async def _run(self) -> None:
        while True:
            try:
                await self.chain_all()
            except Exception as exc:  # database away for a moment: the queue keeps them
                _log.warning("audit_chain_failed", error=type(exc).__name__)
            if self._stopping.is_set():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=INTERVAL_S)
