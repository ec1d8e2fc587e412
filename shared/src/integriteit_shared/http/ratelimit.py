"""A rate limiter per client, counted in the service's database so that replicas share it.

ARCHITECTURE.md runs every service as N stateless replicas: a limit counted in one
process's memory would let a client try N times as often, which matters most for the
volgcode (the anonymous melder's only secret). Counts live in `rate_limit`, per key and
fixed window; the limit is applied to the sliding estimate over the last `window_s`
(this window's count plus the previous one's, weighted by how much of it still falls in
the last `window_s`). Keys are stored as an HMAC of the limiter's name and the client
address under a secret, never as the address itself, and rows older than the previous
window are removed.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import random
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import BigInteger, Integer, String, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.db.base import Base
from integriteit_shared.db.session import Database
from integriteit_shared.http.problems import TooManyRequests

OPRUIMEN_KANS = 0.02  # share of hits that also remove rows of windows no longer counted


class RateLimitTeller(Base):
    __tablename__ = "rate_limit"

    sleutel: Mapped[str] = mapped_column(String(64), primary_key=True)
    venster: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True
    )
    aantal: Mapped[int] = mapped_column(Integer)


class DatabaseLimiter:
    """At most about `limit` hits per `window_s` seconds per client key, across replicas.

    A refused hit is not counted, so a client that keeps trying is let in again as soon
    as its earlier hits age out.
    """

    def __init__(
        self,
        db: Database,
        *,
        name: str,
        limit: int,
        window_s: float,
        secret: bytes,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be >= 1 and window_s > 0")
        self.database = db
        self.name = name
        self.limit = limit
        self.window_s = window_s
        self._secret = secret
        self._clock = clock

    def sleutel(self, key: str) -> str:
        mac = hmac.new(self._secret, f"{self.name}|{key}".encode(), hashlib.sha256)
        return mac.hexdigest()[:64]

    async def hit(self, key: str) -> None:
        """Count one attempt, or raise TooManyRequests (429 with Retry-After) when over."""
        now = self._clock()
        venster = int(now // self.window_s)
        fractie = (now % self.window_s) / self.window_s
        sleutel = self.sleutel(key)
        table = RateLimitTeller.__table__
        async with self.database.transaction() as session:
            dialect = (await session.connection()).dialect.name
            insert_fn: Any = pg_insert if dialect == "postgresql" else sqlite_insert
            stmt = (
                insert_fn(table)
                .values(sleutel=sleutel, venster=venster, aantal=1)
                .on_conflict_do_update(
                    index_elements=[table.c.sleutel, table.c.venster],
                    set_={"aantal": table.c.aantal + 1},
                )
                .returning(table.c.aantal)
            )
            nu = int((await session.execute(stmt)).scalar_one())
            vorig = int(
                await session.scalar(
                    select(table.c.aantal).where(
                        table.c.sleutel == sleutel, table.c.venster == venster - 1
                    )
                )
                or 0
            )
            if vorig * (1 - fractie) + nu > self.limit:
                # raising rolls the count back: a refused attempt is not counted
                raise TooManyRequests(self._wacht(vorig, nu - 1, fractie))
            if random.random() < OPRUIMEN_KANS:  # noqa: S311 - housekeeping, not a secret
                await session.execute(
                    delete(RateLimitTeller).where(RateLimitTeller.venster < venster - 1)
                )

    def _wacht(self, vorig: int, nu: int, fractie: float) -> int:
        """Seconds until one more hit fits: the previous window's weight must shrink."""
        ruimte = self.limit - 1 - nu  # what the previous window may still weigh
        if ruimte >= 0 and vorig > 0:
            doel = 1 - ruimte / vorig  # the fraction of this window at which it fits
            return max(1, math.ceil((doel - fractie) * self.window_s))
        # this window alone is full: in the next one it weighs as `nu` did here
        rest = (1 - fractie) * self.window_s
        doel = 1 - (self.limit - 1) / nu if nu else 0.0
        return max(1, math.ceil(rest + max(0.0, doel) * self.window_s))
