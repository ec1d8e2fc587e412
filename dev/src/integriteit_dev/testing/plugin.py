"""pytest plugin: `broker`, `databases`, `sqlite_databases`, `tokens`, `service_factory`,
`mail_server` fixtures."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from pathlib import Path
from typing import Any

import pytest

from integriteit_dev.broker import DevBroker, free_port
from integriteit_dev.mail import MailServer
from integriteit_dev.testing.databases import TestDatabases
from integriteit_dev.testing.services import (
    RunningService,
    TokenFactory,
    make_settings,
    run_service,
)
from integriteit_shared.auth.keys import DevKeys, ensure_dev_keys
from integriteit_shared.messaging.kafka import ensure_topics


@pytest.fixture(scope="session")
def dev_keys(tmp_path_factory: pytest.TempPathFactory) -> DevKeys:
    return ensure_dev_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def tokens(dev_keys: DevKeys) -> TokenFactory:
    """`tokens("coid_adviseur", onderdeel="CLSK")` mints a token the test services accept."""
    return TokenFactory(dev_keys)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[DevBroker]:
    """A fresh tansu process on a free port (starts in well under a second)."""
    b = DevBroker(log_file=tmp_path / "tansu.log")
    b.start()
    asyncio.run(ensure_topics(b.bootstrap))
    try:
        yield b
    finally:
        b.stop()


@pytest.fixture(scope="session")
async def databases(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TestDatabases]:
    dbs = TestDatabases(tmp_path_factory.mktemp("db"))
    try:
        yield dbs
    finally:
        await dbs.drop_all()


@pytest.fixture(scope="session")
async def sqlite_databases(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[TestDatabases]:
    """SQLite databases even when TEST_DATABASE_URL names a server: for tests that show a
    rule on both engines."""
    yield TestDatabases(Path(tmp_path_factory.mktemp("sqlite")), sqlite=True)


@pytest.fixture
def mail_server(tmp_path: Path) -> Iterator[MailServer]:
    """The development mail server (real SMTP) on a free port, keeping what arrives under
    `mail_server.directory`."""
    with MailServer(tmp_path / "mail", port=free_port()) as server:
        yield server


ServiceFactory = Callable[..., Awaitable[RunningService]]


@pytest.fixture
async def service_factory(
    databases: TestDatabases, dev_keys: DevKeys, broker: DevBroker, tmp_path: Path
) -> AsyncIterator[ServiceFactory]:
    """`await service_factory("meldpunt", **settings)`: the real app on a fresh database."""
    async with AsyncExitStack() as stack:

        async def start(
            service: str, *, database_url: str | None = None, **overrides: Any
        ) -> RunningService:
            url = database_url or await databases.create(service)
            assert dev_keys.jwks_path is not None
            settings = make_settings(
                service,
                database_url=url,
                bootstrap=broker.bootstrap,
                jwks_file=dev_keys.jwks_path,
                data_dir=tmp_path,
                **overrides,
            )
            cm: AbstractAsyncContextManager[RunningService] = run_service(service, settings)
            return await stack.enter_async_context(cm)

        yield start


async def eventually(
    check: Callable[[], Awaitable[bool]], *, within: float = 20, interval: float = 0.05
) -> None:
    """Wait until `check()` is true: for asynchronous outcomes (relay, consumer)."""
    deadline = time.monotonic() + within
    while True:
        if await check():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await asyncio.sleep(interval)
