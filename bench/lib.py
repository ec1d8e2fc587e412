"""Benchmark plumbing: wrk runs, RSS sampling, databases, services as processes."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from integriteit_dev.broker import free_port
from integriteit_dev.testing.databases import TestDatabases
from integriteit_dev.testing.processes import ServiceProcess
from integriteit_shared.auth.keys import DevKeys
from integriteit_shared.events import new_envelope, to_kafka
from integriteit_shared.events.models import EventData
from integriteit_shared.messaging.models import InboxMessage

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PG_SERVER = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- wrk ---------------------------------------------------------------------------------


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    requests: int
    errors: int
    seconds: float
    command: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rps": round(self.rps, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p90_ms": round(self.p90_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "max_ms": round(self.max_ms, 2),
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 1),
        }


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    threads: int = 1,
    headers: dict[str, str] | None = None,
    script: str | None = None,
    env: dict[str, str] | None = None,
    workdir: Path,
) -> WrkResult:
    """One wrk run; the Lua `done` hook prints a JSON summary we parse."""
    # one file per thread: two wrk runs side by side (bench/replicas.py) must not share it
    lua = workdir / f"wrk-{script or 'get'}-{threading.get_ident()}.lua"
    parts = [(BENCH / "wrk" / script).read_text()] if script else []
    parts.append((BENCH / "wrk" / "report.lua").read_text())
    lua.write_text("\n".join(parts))
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"]
    cmd += ["--latency", "--timeout", "10s", "-s", str(lua)]
    for k, v in (headers or {}).items():
        cmd += ["-H", f"{k}: {v}"]
    cmd.append(url)
    out = subprocess.run(
        cmd, capture_output=True, text=True, check=True, env={**os.environ, **(env or {})}
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("WRK_JSON "))
    d = json.loads(line.removeprefix("WRK_JSON "))
    secs = d["duration_us"] / 1e6
    errors = sum(d[k] for k in d if k.startswith("err_"))
    shown = [
        "'Authorization: Bearer $TOKEN'"
        if c.startswith("Authorization")
        else f"bench/wrk/{script or 'report.lua'}"
        if c == str(lua)
        else (f"'{c}'" if " " in c else c)
        for c in cmd
    ]
    return WrkResult(
        rps=d["requests"] / secs,
        p50_ms=d["p50_us"] / 1000,
        p90_ms=d["p90_us"] / 1000,
        p99_ms=d["p99_us"] / 1000,
        max_ms=d["max_us"] / 1000,
        requests=d["requests"],
        errors=errors,
        seconds=secs,
        command=" ".join(shown),
    )


# --- memory ------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    """VmRSS of one process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def tree_pss_mb(pid: int) -> float:
    """Proportional set size of a process and all its descendants, in MB.

    PSS divides pages shared between processes (forked workers) among them, so the sum
    is the memory the tree really uses, where summed RSS would count shared pages twice.
    """
    total_kb = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue  # the process ended meanwhile
    return total_kb / 1024


class RssSampler:
    """Peak VmRSS per named process, sampled every 0.2 s in a thread while it runs."""

    def __init__(self) -> None:
        self.pids: dict[str, int] = {}
        self.peak: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, name: str, pid: int) -> None:
        self.pids[name] = pid

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            for name, pid in list(self.pids.items()):
                try:
                    mb = rss_mb(pid)
                except OSError:
                    continue
                self.peak[name] = max(self.peak.get(name, 0.0), mb)


# --- databases and services ---------------------------------------------------------------


class Databases:
    """Fresh migrated databases: PostgreSQL (PG_SERVER) or SQLite files, via the test helper."""

    def __init__(self, workdir: Path) -> None:
        self.pg = TestDatabases(workdir / "pg")
        self.pg.server_url = PG_SERVER
        self.sqlite = TestDatabases(workdir / "sqlite")
        self.sqlite.server_url = None
        (workdir / "pg").mkdir(exist_ok=True)
        (workdir / "sqlite").mkdir(exist_ok=True)

    async def create(self, service: str, *, postgres: bool) -> str:
        return await (self.pg if postgres else self.sqlite).create(service)

    async def drop_all(self) -> None:
        await self.pg.drop_all()


@dataclass
class Stack:
    """Service processes of one scenario, stopped together."""

    workdir: Path
    keys: DevKeys
    bootstrap: str
    procs: dict[str, ServiceProcess] = field(default_factory=dict)

    def start(self, name: str, service: str, database_url: str, **env: str) -> ServiceProcess:
        data = self.workdir / name
        data.mkdir(exist_ok=True)
        assert self.keys.jwks_path is not None
        proc = ServiceProcess(
            service,
            database_url=database_url,
            bootstrap=self.bootstrap,
            jwks_file=self.keys.jwks_path,
            data_dir=data,
            log_file=self.workdir / f"{name}.log",
            extra_env=env,
        )
        proc.start(ready_timeout=90)
        self.procs[name] = proc
        return proc

    def stop(self) -> None:
        for proc in self.procs.values():
            proc.stop()
        self.procs.clear()


def pid_of(proc: ServiceProcess) -> int:
    assert proc.process is not None
    return proc.process.pid


class BareApp:
    """The baseline app under uvicorn, one worker, the same flags as the services."""

    def __init__(self, body_file: Path, log_file: Path) -> None:
        self.port = free_port()
        self.body_file = body_file
        self.log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log_fh = open(self.log_file, "ab")  # noqa: SIM115 - owned by the child
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "bare_app:create",
                "--factory",
                "--app-dir",
                str(BENCH),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            env={**os.environ, "BENCH_BODY_FILE": str(self.body_file)},
            stdout=log_fh,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health/live", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise TimeoutError("bare app did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


# --- events --------------------------------------------------------------------------------


async def produce(bootstrap: str, pairs: Iterable[tuple[EventData, Any]]) -> int:
    """Send events to the broker as their source would (CloudEvents, binary mode)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20)
    await producer.start()
    n = 0
    try:
        for event, registered_at in pairs:
            rec = to_kafka(new_envelope(event, time=registered_at))
            await producer.send(rec.topic, value=rec.value, key=rec.key, headers=rec.headers)
            n += 1
        await producer.flush()
    finally:
        await producer.stop()
    return n


async def ledger_count(database_url: str) -> int:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(InboxMessage)) or 0)
    finally:
        await engine.dispose()


async def wait_for_ledger(database_url: str, n: int, *, within: float = 300) -> float:
    """Seconds until the ledger holds `n` events."""
    start = time.monotonic()
    while await ledger_count(database_url) < n:
        if time.monotonic() - start > within:
            raise TimeoutError(f"ledger did not reach {n} events in {within}s")
        await asyncio.sleep(0.25)
    return time.monotonic() - start


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty sequence."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]
