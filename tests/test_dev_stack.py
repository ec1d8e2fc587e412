"""`make run`: quiet by default, and its last lines say where everything is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from integriteit_dev import stack
from integriteit_dev.demo.laden import MARKER, Uitslag
from integriteit_shared.service import registered_service

# One request through the real app factory, configured from the environment as under
# `make run`; prints what the service logged.
_EEN_VERZOEK = """
from starlette.testclient import TestClient
from integriteit_shared.service import registered_service
app = registered_service("klachten").create_app(None)
assert TestClient(app).get("/health/live").status_code == 200
"""


def _logregels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, log_level: str | None
) -> list[dict[str, object]]:
    """The JSON log lines of one request to klachten started with `make run`'s env (in a
    process of its own: structlog keeps the first configuration it was used with)."""
    for k in [k for k in os.environ if k.endswith("LOG_LEVEL")]:
        monkeypatch.delenv(k)
    if log_level is not None:
        monkeypatch.setenv("LOG_LEVEL", log_level)
    env = stack._service_env(registered_service("klachten"), tmp_path, "127.0.0.1:1")
    uit = subprocess.run(
        [sys.executable, "-c", _EEN_VERZOEK],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    return [json.loads(r) for r in uit.splitlines() if r.startswith("{")]


def test_services_under_make_run_log_no_requests_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert stack.dev_log_level({}) == "WARNING"
    regels = _logregels(tmp_path, monkeypatch, None)
    assert [r for r in regels if r.get("event") == "request"] == []


def test_log_level_debug_brings_the_request_lines_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert stack.dev_log_level({"LOG_LEVEL": "debug"}) == "DEBUG"
    regels = _logregels(tmp_path, monkeypatch, "debug")
    verzoeken = [r for r in regels if r.get("event") == "request"]
    assert len(verzoeken) == 1
    assert verzoeken[0]["route"] == "/health/live" and verzoeken[0]["status"] == 200


def test_the_url_block_follows_the_demo_load_and_its_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def nep_laad_demo(data_dir: Path, *, meld: object) -> Uitslag:
        return Uitslag(
            verzoeken=8363,
            gebeurtenissen=8785,
            per_sectie={"meldingen": 1500, "casussen": 2669},
            in_rapportage=8785,
            verwacht_in_rapportage=8785,
            totaal_seconden=41.6,
        )

    monkeypatch.setattr(stack, "laad_demo", nep_laad_demo)
    regels: list[str] = []
    stack.toon_en_laad(tmp_path, 9092, demo=True, uit=regels.append)
    blok = stack.url_blok(str(tmp_path), 9092)
    assert "http://127.0.0.1:8004/dashboard" in blok
    assert regels == [
        blok,
        "demodata geladen in 42 s: 8363 verzoeken, 4169 dossiers, 8785 gebeurtenissen, "
        "alle verwerkt door de rapportage",
        blok,
    ]

    # loaded before: one line saying so, then the block once
    (tmp_path / MARKER).write_text("{}", encoding="utf-8")
    regels.clear()
    stack.toon_en_laad(tmp_path, 9092, demo=True, uit=regels.append)
    assert regels == [f"demodata: al eerder geladen ({tmp_path / MARKER})", blok]
