"""Each service as a real process on a fresh database, for property-based API tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis

from integriteit_dev.broker import DevBroker
from integriteit_dev.testing.processes import ServiceProcess
from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.auth.keys import DevKeys
from integriteit_shared.auth.roles import Rol
from integriteit_shared.db.migrations import upgrade
from integriteit_shared.http.app import base_path
from integriteit_shared.messaging.kafka import ensure_topics
from integriteit_shared.service import registered_service


@pytest.fixture(scope="session")
def fuzz_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevBroker]:
    import asyncio

    b = DevBroker(log_file=tmp_path_factory.mktemp("fuzz") / "tansu.log")
    b.start()
    asyncio.run(ensure_topics(b.bootstrap))
    yield b
    b.stop()


def _running(
    service: str, tmp: Path, broker: DevBroker, dev_keys: DevKeys
) -> Iterator[ServiceProcess]:
    db = tmp / f"{service}.db"
    url = f"sqlite+aiosqlite:///{db}"
    upgrade(registered_service(service).migrations, url)
    assert dev_keys.jwks_path is not None
    proc = ServiceProcess(
        service,
        database_url=url,
        bootstrap=broker.bootstrap,
        jwks_file=dev_keys.jwks_path,
        data_dir=tmp,
        log_file=tmp / f"{service}.log",
        # fuzzing sends many anonymous requests; the limiter has its own tests
        extra_env={
            "MELDPUNT_ANONIEME_MELDINGEN_LIMIET": "1000000",
            "MELDPUNT_VOLGSESSIE_POGINGEN_LIMIET": "1000000",
        },
    )
    proc.start()
    yield proc
    proc.stop()


def all_roles_headers(tokens: TokenFactory) -> dict[str, str]:
    """A token with every role and no onderdeel: every operation is reachable."""
    return tokens.headers(*[r.value for r in Rol], sub="fuzzer")


def schema_for(proc: ServiceProcess) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_url(f"{proc.url}{base_path(proc.service)}/openapi.json")
    schema.config.update(base_url=f"{proc.url}{base_path(proc.service)}")
    return schema


def _fixture(service: str):  # type: ignore[no-untyped-def]
    @pytest.fixture(scope="session")
    def fixture(  # type: ignore[no-untyped-def]
        tmp_path_factory, fuzz_broker, dev_keys
    ):
        tmp = tmp_path_factory.mktemp(f"fuzz-{service}")
        for proc in _running(service, tmp, fuzz_broker, dev_keys):
            yield schema_for(proc)

    return fixture


meldpunt_schema = _fixture("meldpunt")
vertrouwenspersonen_schema = _fixture("vertrouwenspersonen")
klachten_schema = _fixture("klachten")
rapportage_schema = _fixture("rapportage")
