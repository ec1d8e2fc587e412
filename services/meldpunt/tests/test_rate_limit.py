"""Rate limits counted in the database: shared by replicas, refused hits not counted."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from integriteit_shared.http.problems import TooManyRequests
from integriteit_shared.http.ratelimit import DatabaseLimiter, RateLimitTeller

from .conftest import Api


async def test_limit_slides_over_the_window_and_refusals_do_not_count(api: Api) -> None:
    now = [1000.0]  # 40 s into a 60 s window
    limiter = DatabaseLimiter(
        api.svc.app.state.db, name="proef", limit=2, window_s=60, secret=b"s", clock=lambda: now[0]
    )
    await limiter.hit("a")
    now[0] += 10
    await limiter.hit("a")
    await limiter.hit("b")  # another client has its own count
    for _ in range(3):  # trying on is refused, and not counted
        with pytest.raises(TooManyRequests) as exc:
            await limiter.hit("a")
    # the two hits weigh half at 30 s into the next window: then one more fits
    assert exc.value.headers["Retry-After"] == "40"
    now[0] += 39
    with pytest.raises(TooManyRequests):
        await limiter.hit("a")
    now[0] += 1
    await limiter.hit("a")
    now[0] += 120  # both windows passed
    await limiter.hit("a")
    await limiter.hit("a")


async def test_replicas_share_the_anonymous_intake_limit(service_factory: Any, tokens: Any) -> None:
    a = Api(await service_factory("meldpunt", anonieme_meldingen_limiet=2), tokens)
    b = Api(
        await service_factory(
            "meldpunt", database_url=a.svc.settings.database_url, anonieme_meldingen_limiet=2
        ),
        tokens,
    )
    await a.anoniem_melden()
    await b.anoniem_melden()
    for replica in (a, b):
        r = await replica.post("/meldingen", replica.body(anoniem=True, melder=None))
        assert r.status_code == 429, r.text
        assert int(r.headers["Retry-After"]) > 0
    # the client address is stored only as an HMAC
    async with a.svc.app.state.db.transaction() as s:
        sleutels = (await s.scalars(select(RateLimitTeller.sleutel))).all()
    assert sleutels and all(len(k) == 64 and "127.0.0.1" not in k for k in sleutels)
    assert all(k != "testclient" for k in sleutels)
