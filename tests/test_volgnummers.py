"""Sequence numbers and gaps, on both engines (messaging.relay, messaging.herpublicatie).

- Two relays numbering one outbox at once give every row one number, 1..n, no gaps.
- A consumer's view: a hole in the middle, a missing start and a lost tail (known only
  from the producer's announced head) are each a gap with the right range; a gap is
  reported, and asked for, only once it has been open for the set time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from integriteit_dev.testing.databases import TestDatabases
from integriteit_shared.db.session import Database
from integriteit_shared.messaging.herpublicatie import (
    Stand,
    Verzoek,
    Volledigheid,
    contiguous_high,
    decode,
    encode,
    republish_range,
)
from integriteit_shared.messaging.models import InboxMessage, OutboxMessage
from integriteit_shared.messaging.relay import OutboxRelay
from integriteit_shared.settings import ServiceSettings

BRON = "urn:nld:integriteit:systeem:meldpunt"
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(
    request: pytest.FixtureRequest, databases: TestDatabases, sqlite_databases: TestDatabases
) -> AsyncIterator[Database]:
    if request.param == "postgresql" and not databases.is_postgres:
        pytest.skip("TEST_DATABASE_URL is not set")
    dbs = databases if request.param == "postgresql" else sqlite_databases
    database = Database(await dbs.create("rapportage"))
    try:
        yield database
    finally:
        await database.dispose()


async def _outbox_rows(db: Database, n: int, *, sources: tuple[str, ...] = (BRON,)) -> None:
    async with db.transaction() as s:
        await s.execute(
            insert(OutboxMessage),
            [
                {
                    "event_id": f"e{i}",
                    "source": sources[i % len(sources)],
                    "event_type": "t",
                    "topic": "integriteit.meldpunt.v1",
                    "key": b"k",
                    "value": b"{}",
                    "headers": [],
                    "created_at": NOW,
                }
                for i in range(n)
            ],
        )


async def _inbox(db: Database, *sequences: int, source: str = BRON) -> None:
    async with db.transaction() as s:
        await s.execute(
            insert(InboxMessage),
            [
                {
                    "source": source,
                    "event_id": f"{source}-{n}",
                    "event_type": "t",
                    "time": NOW,
                    "subject": None,
                    "topic": "integriteit.meldpunt.v1",
                    "data": "{}",
                    "received_at": NOW,
                    "sequence": n,
                }
                for n in sequences
            ],
        )


async def test_two_relays_numbering_one_outbox_give_each_source_one_number_per_row_without_gaps(
    db: Database,
) -> None:
    # rapportage's outbox holds two sources (its REST ingress publishes KMar's and ECLD's)
    kmar, ecld = "urn:nld:integriteit:systeem:kmar-bps", "urn:nld:integriteit:systeem:ecld"
    await _outbox_rows(db, 450, sources=(kmar, ecld, ecld))
    settings = ServiceSettings(outbox_batch_size=50)
    relays = [OutboxRelay(db, settings), OutboxRelay(db, settings)]
    while sum(await asyncio.gather(*(r.number_rows() for r in relays))):
        pass
    async with db.transaction(writes=False) as s:
        rows = (
            await s.execute(select(OutboxMessage.id, OutboxMessage.source, OutboxMessage.sequence))
        ).all()
    for source, n in ((kmar, 150), (ecld, 300)):
        mine = sorted((row_id, seq) for row_id, src, seq in rows if src == source)
        # 1..n for each source, in id order: the order the rows became visible
        assert [seq for _, seq in mine] == list(range(1, n + 1))
    assert await relays[0].highest_published() == {}  # nothing sent yet


async def test_a_hole_in_the_middle_a_missing_start_and_a_lost_tail_are_each_found(
    db: Database,
) -> None:
    await _inbox(db, 1, 2, 3, 5, 6)
    assert await contiguous_high(db, BRON) == (3, 6)
    await _inbox(db, 2, 3, source="urn:nld:integriteit:systeem:klachten")
    assert await contiguous_high(db, "urn:nld:integriteit:systeem:klachten") == (0, 3)
    await _inbox(db, 1, 2, source="urn:nld:integriteit:systeem:vertrouwenspersonen")
    assert await contiguous_high(db, "urn:nld:integriteit:systeem:vertrouwenspersonen") == (2, 2)

    clock = [100.0]
    v = Volledigheid(db, gat_na_s=30, clock=lambda: clock[0])
    v.stand(Stand(bron="urn:nld:integriteit:systeem:vertrouwenspersonen", hoogste=9))
    gaten = {g.bron: (g.vanaf, g.tot) for g in await v.bijwerken()}
    assert gaten == {
        BRON: (4, 6),
        "urn:nld:integriteit:systeem:klachten": (1, 3),
        "urn:nld:integriteit:systeem:vertrouwenspersonen": (3, 9),  # the tail, from the head
    }
    # not yet reported nor asked for: events may still be on their way
    assert v.lang_open() == [] and v.te_vragen() == []

    clock[0] += 31
    await _inbox(db, 4)  # BRON's hole closes; a new one (from 7) is not open as long
    await v.bijwerken()
    assert {g.bron for g in v.lang_open()} == {
        "urn:nld:integriteit:systeem:klachten",
        "urn:nld:integriteit:systeem:vertrouwenspersonen",
    }
    verzoeken = v.te_vragen()
    assert sorted((q.bron, q.vanaf, q.tot) for q in verzoeken) == [
        ("urn:nld:integriteit:systeem:klachten", 1, 3),
        ("urn:nld:integriteit:systeem:vertrouwenspersonen", 3, 9),
    ]
    assert v.te_vragen() == []  # asked once per period, not on every look
    clock[0] += 31
    assert len(v.te_vragen()) == 2


async def test_a_request_marks_exactly_its_range_unsent(db: Database) -> None:
    await _outbox_rows(db, 10)
    relay = OutboxRelay(db, ServiceSettings())
    await relay.number_rows()
    async with db.transaction() as s:
        await s.execute(OutboxMessage.__table__.update().values(published_at=NOW))
    assert await relay.highest_published() == {BRON: 10}
    assert await republish_range(db, BRON, 4, 6) == 3
    assert await republish_range(db, "urn:nld:integriteit:systeem:klachten", 1, 10) == 0
    async with db.transaction(writes=False) as s:
        unsent = await s.scalars(
            select(OutboxMessage.sequence).where(OutboxMessage.published_at.is_(None))
        )
        assert sorted(unsent) == [4, 5, 6]


def test_control_messages_round_trip_and_anything_else_is_skipped() -> None:
    for message in (Stand(bron=BRON, hoogste=7), Verzoek(bron=BRON, vanaf=3, tot=9)):
        key, value = encode(message)
        assert key == BRON.encode()
        assert decode(value) == message
    for junk in (None, b"", b"not json", b'{"soort":"stand","bron":"x","hoogste":0}', b"[]"):
        assert decode(junk) is None
