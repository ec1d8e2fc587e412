"""X-Forwarded-For does not move a rate limit unless the peer is a trusted proxy (issue 16).

The attack: 40 volgcode guesses, each with a fresh X-Forwarded-For, got 40 x 404 and no 429,
because uvicorn believed the header from 127.0.0.1. Replayed against meldpunt as a real
uvicorn process (how `make run` and the image start it) and in-process with a trusted proxy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from integriteit_dev.broker import DevBroker
from integriteit_dev.testing.databases import TestDatabases
from integriteit_dev.testing.processes import ServiceProcess
from integriteit_shared.auth.keys import DevKeys
from integriteit_shared.http.proxies import uvicorn_proxy_args

VOLGSESSIES = "/api/meldpunt/v1/volgsessies"


def gok(i: int) -> dict[str, str]:
    return {"volgcode": f"ABCDE-FGHJK-LMNPQ-RSTUV-{i:05d}"}


async def test_fresh_forwarded_for_values_do_not_reset_the_volgcode_limit(
    databases: TestDatabases, dev_keys: DevKeys, broker: DevBroker, tmp_path: Path
) -> None:
    assert dev_keys.jwks_path is not None
    proc = ServiceProcess(
        "meldpunt",
        database_url=await databases.create("meldpunt"),
        bootstrap=broker.bootstrap,
        jwks_file=dev_keys.jwks_path,
        data_dir=tmp_path,
        log_file=tmp_path / "meldpunt.log",
        extra_env={"MELDPUNT_VOLGSESSIE_POGINGEN_LIMIET": "3", "TRUSTED_PROXIES": ""},
    )
    proc.start()
    try:
        async with httpx.AsyncClient(base_url=proc.url) as client:
            statussen = [
                (
                    await client.post(
                        VOLGSESSIES, json=gok(i), headers={"X-Forwarded-For": f"10.0.0.{i}"}
                    )
                ).status_code
                for i in range(6)
            ]
    finally:
        proc.stop()
    assert statussen == [404, 404, 404, 429, 429, 429]


@pytest.mark.parametrize("vertrouwd", ["", "192.0.2.0/24"])
async def test_the_limiter_believes_forwarded_for_only_from_a_trusted_proxy(
    service_factory: Any, vertrouwd: str
) -> None:
    meldpunt = await service_factory(
        "meldpunt", volgsessie_pogingen_limiet=2, trusted_proxies=vertrouwd
    )
    # the in-process client's peer address is 127.0.0.1: never in 192.0.2.0/24
    statussen = [
        (
            await meldpunt.client.post(
                VOLGSESSIES, json=gok(i), headers={"X-Forwarded-For": f"198.51.100.{i}"}
            )
        ).status_code
        for i in range(4)
    ]
    assert statussen == [404, 404, 429, 429]


async def test_behind_a_trusted_proxy_each_client_has_its_own_limit(service_factory: Any) -> None:
    meldpunt = await service_factory(
        "meldpunt", volgsessie_pogingen_limiet=2, trusted_proxies="127.0.0.0/8"
    )

    async def poging(client: str, i: int) -> int:
        # a client's own X-Forwarded-For entry in front of the proxy's is not believed
        kop = {"X-Forwarded-For": f"203.0.113.{i}, {client}"}
        return int((await meldpunt.client.post(VOLGSESSIES, json=gok(i), headers=kop)).status_code)

    assert [await poging("198.51.100.1", i) for i in range(3)] == [404, 404, 429]
    assert [await poging("198.51.100.2", i) for i in range(3)] == [404, 404, 429]


def test_uvicorn_believes_no_proxy_headers_without_trusted_proxies() -> None:
    assert uvicorn_proxy_args("") == ["--no-proxy-headers"]
    assert uvicorn_proxy_args(" 10.0.0.1, 10.0.1.0/24 ") == [
        "--proxy-headers",
        "--forwarded-allow-ips",
        "10.0.0.1,10.0.1.0/24",
    ]
    dockerfile = (Path(__file__).parents[2] / "deploy" / "service.Dockerfile").read_text()
    assert all(
        f in dockerfile for f in ("--no-proxy-headers", "--forwarded-allow-ips", "TRUSTED_PROXIES")
    )
