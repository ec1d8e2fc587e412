"""The audit chain's anchors: each service publishes its chain head outside its database.

Every `interval_s` (setting `audit_anker_interval_s`), and once more when the service stops,
the head of the chain (volgnummer and HMAC of the newest entry) goes out as an
`AuditKetenkop` event on `integriteit.audit.v1`, through the outbox like every other event.
Rapportage keeps it in its ledger; `integriteit audit-verify` checks the chain against the
latest one. Nothing is published while the chain has not grown.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.crypto.audit import AuditAnchor, chain_head
from integriteit_shared.db.session import Database
from integriteit_shared.events import new_envelope
from integriteit_shared.events.models import AuditKetenkop
from integriteit_shared.messaging.models import InboxMessage
from integriteit_shared.messaging.outbox import publish_envelope
from integriteit_shared.tasks import stop_task

_log = structlog.get_logger("audit")


class AuditAnchorPublisher:
    def __init__(
        self,
        db: Database,
        *,
        source: str,
        interval_s: float,
        notify: Callable[[], None] = lambda: None,
    ) -> None:
        self.database = db
        self.source = source
        self.interval_s = interval_s
        self._notify = notify
        self._last: AuditAnchor | None = None
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="audit-anker")

    async def stop(self) -> None:
        """Stop, publishing the head once more (call after the last entry is chained)."""
        self._stopping.set()
        await stop_task(self._task)
        self._task = None
        with contextlib.suppress(Exception):
            await self.publish_head()

    async def publish_head(self) -> AuditAnchor | None:
        """Queue the chain head for publication unless it was published already."""
        async with self.database.transaction() as session:
            head = await chain_head(session)
            if head is None or head == self._last:
                return None
            event = AuditKetenkop(volgnummer=head.volgnummer, hmac=head.hash)
            await publish_envelope(session, new_envelope(event, source=self.source))
        self._last = head
        self._notify()
        return head

    async def _run(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.interval_s)
            if self._stopping.is_set():
                return
            try:
                await self.publish_head()
            except Exception as exc:  # database away: the next round publishes the head
                _log.warning("audit_anker_failed", error=type(exc).__name__)


async def latest_anchor(session: AsyncSession, source: str) -> AuditAnchor | None:
    """The newest anchor of `source` in a ledger (rapportage's inbox): the highest volgnummer
    among its latest anchors (replicas may publish the same head, or slightly out of order)."""
    rows = (
        await session.execute(
            select(InboxMessage.data)
            .where(
                InboxMessage.event_type == AuditKetenkop.event_type,
                InboxMessage.source == source,
            )
            .order_by(InboxMessage.id.desc())
            .limit(20)
        )
    ).scalars()
    best: AuditAnchor | None = None
    for data in rows:
        event = AuditKetenkop.model_validate_json(data)
        if best is None or event.volgnummer > best.volgnummer:
            best = AuditAnchor(volgnummer=event.volgnummer, hash=event.hmac)
    return best
