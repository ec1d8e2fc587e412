"""The argon2 cost of volgcode hashes: production cost by default, a cheap one in dev only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from integriteit_dev import stack
from integriteit_shared.service import registered_service
from meldpunt.config import Settings
from meldpunt.volgsessie import codes

from .conftest import Api


@pytest.fixture(autouse=True)
def _productieprofiel() -> Iterator[None]:
    yield
    codes.gebruik_profiel("rfc9106")


def test_the_dev_cost_is_refused_outside_dev_mode() -> None:
    with pytest.raises(ValidationError, match="volgcode_argon2"):
        Settings(dev_mode=False, volgcode_argon2="dev")


def test_make_run_gives_meldpunt_the_dev_cost(tmp_path: Path) -> None:
    env = stack._service_env(registered_service("meldpunt"), tmp_path, "127.0.0.1:1")
    assert env["MELDPUNT_VOLGCODE_ARGON2"] == "dev"
    assert "MELDPUNT_VOLGCODE_ARGON2" not in stack._service_env(
        registered_service("klachten"), tmp_path, "127.0.0.1:1"
    )


async def test_by_default_a_volgcode_is_hashed_at_the_rfc9106_cost(api: Api) -> None:
    m = await api.anoniem_melden()
    row = await api.melding_row(m["id"])
    assert row.volgcode_hash is not None
    assert row.volgcode_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


async def test_in_dev_a_cheap_hash_still_opens_the_volgsessie(
    service_factory: Any, tokens: Any
) -> None:
    api = Api(await service_factory("meldpunt", volgcode_argon2="dev"), tokens)
    m = await api.anoniem_melden()
    row = await api.melding_row(m["id"])
    assert row.volgcode_hash is not None
    assert row.volgcode_hash.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    r = await api.post("/volgsessies", {"volgcode": m["volgcode"]})
    assert r.status_code == 201, r.text
    fout = m["volgcode"][:-1] + ("B" if m["volgcode"].endswith("A") else "A")
    r = await api.post("/volgsessies", {"volgcode": fout})
    assert r.status_code != 201
