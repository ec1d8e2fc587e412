"""`make run` keeps going when one process dies: the supervisor each process runs under.

Real processes: a child that crashes, one killed with SIGKILL, and the supervisor stopped
the way honcho stops it (SIGTERM).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from integriteit_dev.herstart import Terugval

# Each start appends its pid to the file; the first start crashes with code 3.
CHILD = """
import os, sys, time
path = sys.argv[1]
with open(path, "a") as f:
    f.write(f"{os.getpid()}\\n")
if len(open(path).read().split()) == 1:
    sys.exit(3)
time.sleep(120)
"""


def _starts(path: Path) -> list[int]:
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _wait_for(path: Path, n: int, timeout_s: float = 20.0) -> list[int]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        starts = _starts(path)
        if len(starts) >= n:
            return starts
        time.sleep(0.05)
    raise AssertionError(f"{n} starts expected, saw {_starts(path)}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is gone for our purposes
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


@pytest.fixture
def supervised(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    starts = tmp_path / "starts"
    supervisor = [sys.executable, "-m", "integriteit_dev.herstart", "dienst", "--"]
    proc = subprocess.Popen(
        [*supervisor, sys.executable, "-c", CHILD, str(starts)],
        stderr=subprocess.PIPE,
        text=True,
    )
    yield proc, starts
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_a_crashed_process_is_started_again_and_said_so(
    supervised: tuple[subprocess.Popen[str], Path],
) -> None:
    proc, starts = supervised
    first, second = _wait_for(starts, 2)
    assert first != second
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0
    assert proc.stderr is not None
    assert "dienst: gestopt met code 3; opnieuw gestart over 1 s" in proc.stderr.read()


def test_a_killed_process_is_started_again_and_sigterm_stops_both(
    supervised: tuple[subprocess.Popen[str], Path],
) -> None:
    proc, starts = supervised
    running = _wait_for(starts, 2)[-1]
    os.kill(running, signal.SIGKILL)
    restarted = _wait_for(starts, 3)[-1]
    assert restarted != running and _alive(restarted)

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0
    deadline = time.monotonic() + 10
    while _alive(restarted) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(restarted), "the supervised process outlived its supervisor"
    assert proc.stderr is not None
    assert "gestopt door SIGKILL" in proc.stderr.read()


def test_back_off_doubles_while_crashing_quickly_and_resets_after_a_healthy_run() -> None:
    terugval = Terugval(eerste_s=1, langste_s=30, gezond_na_s=30)
    waits = [terugval.na_einde(0.1) for _ in range(7)]
    assert waits == [1, 2, 4, 8, 16, 30, 30]
    assert terugval.na_einde(45) == 1
    assert terugval.na_einde(0.1) == 2
