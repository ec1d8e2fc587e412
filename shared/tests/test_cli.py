"""`integriteit migrate` and `audit-verify` on a service found through its registration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from integriteit_shared.cli import main


def test_migrate_then_audit_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KLACHTEN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KLACHTEN_DATABASE_URL", raising=False)
    assert main(["migrate", "klachten"]) == 0
    assert (tmp_path / "klachten.db").is_file()
    capsys.readouterr()
    assert main(["audit-verify", "klachten", "--zonder-anker"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "ok": True,
        "checked": 0,
        "first_bad_id": None,
        "reason": None,
        "last_volgnummer": 0,
        "anchor_volgnummer": None,
        "queued": None,
        "anker": "niet gecontroleerd (--zonder-anker)",
    }
    # without an anchor to check against the chain is not fully verified: exit 3
    monkeypatch.setenv("RAPPORTAGE_DATA_DIR", str(tmp_path))
    assert main(["audit-verify", "klachten"]) == 3
    assert json.loads(capsys.readouterr().out)["anker"] == "grootboek van rapportage niet gevonden"


def test_migrate_refuses_a_service_that_is_not_installed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["migrate", "ledenadministratie"])
    assert exc.value.code == 2
    assert "no service 'ledenadministratie' installed" in capsys.readouterr().err


def test_the_dev_install_adds_run_and_demo(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run", "-h"])
    assert exc.value.code == 0
    assert "--zonder-demo" in capsys.readouterr().out
