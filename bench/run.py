"""`make bench`: the issue-8 benchmarks on this machine; writes bench/results/<date>.json and
regenerates docs/benchmarks.md.

Every service runs as its own uvicorn process (one worker, as `integriteit run` starts it)
with a real broker (tansu) and real PostgreSQL (BENCH_DATABASE_URL, default the local
server); load comes from wrk. Ratios compare against baselines measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import freshness
import replicas
import scale
from integriteit_dev.broker import DevBroker
from integriteit_dev.demo.jaarverslag import events
from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.auth.keys import ensure_dev_keys
from integriteit_shared.messaging.kafka import ensure_topics
from lib import (
    BENCH,
    REPO,
    BareApp,
    Databases,
    RssSampler,
    Stack,
    WrkResult,
    log,
    pid_of,
    produce,
    rss_mb,
    tree_pss_mb,
    wait_for_ledger,
    wrk,
)

RAP = "/api/rapportage/v1"
MP = "/api/meldpunt/v1"
COMMAND = "make bench"
ITEMS = ("read", "freshness", "intake", "other")
SCENARIOS = ("pg", "sqlite", "scale", "replicas")
READ_ROUNDS = 3  # dashboard read: bare and full measured alternately, median ratio
COLD_READS = 15  # cold GETs per ledger size, each with its own peildatum (a cache miss)


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.keys = ensure_dev_keys(workdir / "keys")
        self.tokens = TokenFactory(self.keys)
        self.dbs = Databases(workdir)
        self.rss = RssSampler()
        self.idle: dict[str, float] = {}
        self.items: list[dict[str, Any]] = []
        self.raw: dict[str, Any] = {}

    def h(self, *roles: str, **kw: Any) -> dict[str, str]:
        return self.tokens.headers(*roles, ttl_s=7200, **kw)

    def item(
        self, key: str, name: str, measured: str, target: str, ok: bool | None, cmd: str
    ) -> None:
        self.items.append(
            {
                "key": key,
                "item": name,
                "measured": measured,
                "target": target,
                "pass": ok,
                "command": cmd,
            }
        )
        verdict = "n/a" if ok is None else ("PASS" if ok else "FAIL")
        log(f"{verdict:4} {name}: {measured} (target {target})")

    def broker(self, name: str) -> DevBroker:
        b = DevBroker(log_file=self.workdir / f"tansu-{name}.log")
        b.start()
        asyncio.run(ensure_topics(b.bootstrap))
        return b

    def watch(self, name: str, stack: Stack, proc_name: str) -> None:
        pid = pid_of(stack.procs[proc_name])
        time.sleep(2)  # let start-up settle (relay and consumer connected)
        self.idle[name] = max(self.idle.get(name, 0.0), rss_mb(pid))
        self.rss.watch(name, pid)

    # --- scenario A: PostgreSQL stack --------------------------------------------------------
    def postgres_stack(self) -> None:
        a = self.args
        broker = self.broker("pg")
        stack = Stack(self.workdir / "pg-stack", self.keys, broker.bootstrap)
        stack.workdir.mkdir()
        try:
            urls = {
                s: asyncio.run(self.dbs.create(s, postgres=True))
                for s in ("meldpunt", "rapportage", "klachten", "vertrouwenspersonen")
            }
            for s, url in urls.items():
                stack.start(s, s, url)
            for s in urls:
                self.watch(s, stack, s)
            rap, mp = stack.procs["rapportage"], stack.procs["meldpunt"]

            log("seed: producing the annual report's events to the broker")
            n = asyncio.run(produce(broker.bootstrap, events()))
            took = asyncio.run(wait_for_ledger(urls["rapportage"], n))
            self.raw["seed"] = {"events": n, "ingest_s": round(took, 1)}
            log(f"seed: {n} events in the ledger after {took:.1f}s")

            if "read" in a.items:
                self.dashboard_read(rap.url)
            if "freshness" in a.items:
                self.freshness("postgresql", mp.url, rap.url, a.freshness_seconds)
            if "intake" in a.items:
                self.intake(mp.url, urls["meldpunt"])
            if "other" in a.items:
                self.other_services(stack)
        finally:
            stack.stop()
            broker.stop()

    def dashboard_read(self, rap_url: str) -> None:
        a = self.args
        path = f"{RAP}/jaarverslagen/2024"
        headers = self.h("rapportage_lezer")
        r = httpx.get(rap_url + path, headers=headers, timeout=60)
        r.raise_for_status()
        body_file = self.workdir / "jaarverslag-2024.json"
        body_file.write_bytes(r.content)
        etag = r.headers["etag"]
        bare = BareApp(body_file, self.workdir / "bare.log")
        bare.start()
        # Interleaved rounds (bare, then ours, then ours with If-None-Match, READ_ROUNDS
        # times) and the median of the per-round ratios: the machine's speed drifts over a
        # run, and a drift between one bare and one full measurement moved the ratio by
        # 0.1 from run to run. The 304 rate is compared with the 200 rate of its own round
        # for the same reason (one 304 run against another round's 200s swung 0.8-1.1x).
        rondes: list[tuple[WrkResult, WrkResult, WrkResult]] = []
        try:
            self.rss.watch("bare-app", pid_of_bare(bare))
            # warm-ups: JIT-free Python still has caches (routes, pools, the report cache)
            wrk(bare.url + path, seconds=2, connections=32, workdir=self.workdir)
            wrk(rap_url + path, seconds=2, connections=32, headers=headers, workdir=self.workdir)
            for _ in range(READ_ROUNDS):
                b = wrk(
                    bare.url + path, seconds=a.read_seconds, connections=32, workdir=self.workdir
                )
                f = wrk(
                    rap_url + path,
                    seconds=a.read_seconds,
                    connections=32,
                    headers=headers,
                    workdir=self.workdir,
                )
                c = wrk(
                    rap_url + path,
                    seconds=a.read_seconds,
                    connections=32,
                    headers={**headers, "If-None-Match": etag},
                    workdir=self.workdir,
                )
                rondes.append((b, f, c))
        finally:
            bare.stop()
        ratios = [f.rps / b.rps for b, f, _ in rondes]
        # the round whose ratio is the median gives the figures quoted
        base, full, _ = rondes[sorted(range(len(ratios)), key=ratios.__getitem__)[len(ratios) // 2]]
        ratios_304 = [c.rps / f.rps for _, f, c in rondes]
        _, full_304, cond = rondes[
            sorted(range(len(ratios_304)), key=ratios_304.__getitem__)[len(ratios_304) // 2]
        ]
        self.raw["dashboard_read"] = {
            "body_bytes": len(r.content),
            "rounds": [
                {
                    "bare": b.as_dict(),
                    "jaarverslag_200": f.as_dict(),
                    "jaarverslag_304": c.as_dict(),
                    "ratio": round(f.rps / b.rps, 3),
                    "ratio_304": round(c.rps / f.rps, 3),
                }
                for b, f, c in rondes
            ],
            "bare": base.as_dict(),
            "jaarverslag_200": full.as_dict(),
            "jaarverslag_304": cond.as_dict(),
        }
        ratio = full.rps / base.rps
        self.item(
            "read_ratio",
            "1. Dashboard read: GET /jaarverslagen/2024 (token, 32 conns) vs bare FastAPI",
            f"median of {READ_ROUNDS} interleaved rounds: {full.rps:.0f} vs {base.rps:.0f} req/s "
            f"= {ratio:.2f}x (rounds: {', '.join(f'{x:.2f}x' for x in ratios)}); "
            f"p50 {full.p50_ms:.1f} ms, "
            f"p99 {full.p99_ms:.1f} ms (bare p50 {base.p50_ms:.1f}, p99 {base.p99_ms:.1f})",
            ">= 0.80x",
            ratio >= 0.8,
            full.command,
        )
        self.item(
            "read_304",
            "1b. Dashboard read with If-None-Match -> 304",
            f"median of {READ_ROUNDS} rounds: {cond.rps:.0f} req/s "
            f"({cond.rps / full_304.rps:.2f}x the 200s of its round; rounds: "
            f"{', '.join(f'{x:.2f}x' for x in ratios_304)}); p50 {cond.p50_ms:.1f} ms,"
            f" p99 {cond.p99_ms:.1f} ms; non-304/errors {cond.errors}",
            ">= the 200 rate",
            cond.rps >= full_304.rps * 0.98 and all(c.errors == 0 for _, _, c in rondes),
            cond.command,
        )

    def freshness(self, label: str, mp_url: str, rap_url: str, seconds: int) -> None:
        a = self.args
        res = asyncio.run(
            freshness.measure(
                mp_url,
                rap_url,
                melder_headers=self.h("medewerker", sub="bench-melder"),
                lezer_headers=self.h("rapportage_lezer"),
                rate=a.freshness_rate,
                seconds=seconds,
            )
        )
        self.raw[f"freshness_{label}"] = res.as_dict()
        self.item(
            f"freshness_{label}",
            f"2. Freshness on {label}: 201 of POST /meldingen -> counted by GET /jaarverslagen",
            f"p99 {res.p99_s:.3f} s, p50 {res.p50_s:.3f} s, max {res.max_s:.3f} s "
            f"({res.ok}/{res.sent} created at {a.freshness_rate:g}/s for {seconds} s, "
            f"{res.failed} failed; {res.polls} polls, poll p50 {res.poll_p50_ms:.0f} ms)",
            "p99 <= 1 s",
            res.p99_s <= 1.0 and res.failed == 0 and res.not_counted == 0,
            f"bench/freshness.py: {a.freshness_rate:g} meldingen/s for {seconds} s "
            f"(python bench/run.py --freshness-seconds {seconds})",
        )

    def intake(self, mp_url: str, mp_db: str) -> None:
        a = self.args
        body_file = self.workdir / "melding.json"
        body_file.write_text(json.dumps(freshness.MELDING))
        headers = self.h("medewerker", sub="bench-melder")
        env = {"WRK_BODY_FILE": str(body_file)}
        url = mp_url + f"{MP}/meldingen"
        wrk(
            url,
            seconds=2,
            connections=a.intake_connections,
            headers=headers,
            script="post_json.lua",
            env=env,
            workdir=self.workdir,
        )
        res = wrk(
            url,
            seconds=a.intake_seconds,
            connections=a.intake_connections,
            headers=headers,
            script="post_json.lua",
            env=env,
            workdir=self.workdir,
        )
        start = time.monotonic()
        backlog = asyncio.run(outbox_backlog_after(mp_db, within=60))
        drain = time.monotonic() - start
        self.raw["intake"] = {
            **res.as_dict(),
            "outbox_backlog_after_s": round(drain, 1),
            "outbox_left": backlog,
        }
        self.item(
            "intake",
            "3. Intake: POST /meldingen on PostgreSQL "
            "(encrypted melder + omschrijving, audit entry, outbox)",
            f"{res.rps:.0f} req/s sustained {res.seconds:.0f} s, p50 {res.p50_ms:.1f} ms, "
            f"p99 {res.p99_ms:.1f} ms, errors {res.errors}; outbox drained "
            f"{drain:.1f} s after the load",
            ">= 300/s with p99 <= 100 ms",
            res.rps >= 300 and res.p99_ms <= 100 and res.errors == 0 and backlog == 0,
            res.command,
        )

    def other_services(self, stack: Stack) -> None:
        """Short read load on the two services the scenarios above do not load."""
        for name, path, role in (
            ("klachten", "/api/klachten/v1/klachten", "klachtbehandelaar"),
            ("vertrouwenspersonen", "/api/vertrouwenspersonen/v1/casussen", "cvp"),
        ):
            res = wrk(
                stack.procs[name].url + path,
                seconds=5,
                connections=32,
                headers=self.h(role),
                workdir=self.workdir,
            )
            self.raw[f"load_{name}"] = res.as_dict()

    # --- scenario B: SQLite (dev) ----------------------------------------------------------
    def sqlite_stack(self) -> None:
        broker = self.broker("sqlite")
        stack = Stack(self.workdir / "sqlite-stack", self.keys, broker.bootstrap)
        stack.workdir.mkdir()
        try:
            urls = {
                s: asyncio.run(self.dbs.create(s, postgres=False))
                for s in ("meldpunt", "rapportage")
            }
            for s, url in urls.items():
                stack.start(s, s, url)
            for s in urls:
                self.watch(f"{s} (sqlite)", stack, s)
            n = asyncio.run(produce(broker.bootstrap, events()))
            asyncio.run(wait_for_ledger(urls["rapportage"], n))
            rap, mp = stack.procs["rapportage"], stack.procs["meldpunt"]
            self.freshness("sqlite", mp.url, rap.url, self.args.freshness_seconds)
        finally:
            stack.stop()
            broker.stop()

    # --- scenario C: scale ---------------------------------------------------------------
    def scale(self) -> None:
        """Rebuild speed at the large size, and cold reads of the two sizes: both servers run
        side by side and the requests alternate between them, so that a change in the
        machine's load while they run lands on both sizes and not in the ratio."""
        a = self.args
        broker = self.broker("scale")
        stack = Stack(self.workdir / "scale-stack", self.keys, broker.bootstrap)
        stack.workdir.mkdir()
        try:
            small = self.scale_point("small", a.scale_small)
            large = self.scale_point("large", a.scale_events)
            self.cold_reads(stack, {"small": small, "large": large})
        finally:
            stack.stop()
            broker.stop()
        self.raw["scale"] = {"small": small, "large": large}
        rate = large["events"] / large["rebuild_s"]
        self.item(
            "rebuild",
            f"4a. Full rebuild of the projections from a {large['events']:,}-event ledger",
            f"{rate:,.0f} events/s ({large['rebuild_s']:.1f} s; the process including "
            f"start-up {large['rebuild_wall_s']:.1f} s; memory with its worker processes "
            f"at most {large['rebuild_peak_pss_with_workers_mb']} MB PSS)",
            ">= 20,000 events/s",
            rate >= 20_000,
            f"RAPPORTAGE_DATABASE_URL=... python -m rapportage.rebuild "
            f"(python bench/run.py --scale-events {a.scale_events})",
        )
        ratio = large["cold_ms"] / small["cold_ms"]
        self.item(
            "cold_read",
            f"4b. GET /jaarverslagen/2024 cache-cold at {large['events']:,} vs "
            f"{small['events']:,} events",
            f"{large['cold_ms']:.1f} ms vs {small['cold_ms']:.1f} ms = {ratio:.2f}x",
            "<= 1.3x",
            ratio <= 1.3,
            "GET /jaarverslagen/2024?peildatum=2025-01-NN, a new peildatum per request "
            f"(each a cache miss), median of {COLD_READS} per size; the two servers side "
            "by side, the requests alternating between them (which goes first swaps each "
            "round)",
        )

    def scale_point(self, label: str, n: int) -> dict[str, Any]:
        """A ledger of n events, COPYed in, and its projections rebuilt (timed)."""
        url = asyncio.run(self.dbs.create("rapportage", postgres=True))
        t0 = time.monotonic()
        stride = 9 if n < scale.seed_size() else 1
        asyncio.run(scale.load_ledger(url, n, stride=stride))
        load_s = time.monotonic() - t0
        log(f"scale {label}: {n:,} events COPYed into the ledger in {load_s:.1f}s")
        env = {**os.environ, "RAPPORTAGE_DATABASE_URL": url, "RAPPORTAGE_LOG_LEVEL": "WARNING"}
        t0 = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "rapportage.rebuild"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        peak = peak_tree = 0.0
        while proc.poll() is None:
            with contextlib.suppress(OSError):
                peak = max(peak, rss_mb(proc.pid))
                # the rebuild forks worker processes: their memory counts too
                peak_tree = max(peak_tree, tree_pss_mb(proc.pid))
            time.sleep(0.2)
        rebuild_wall_s = time.monotonic() - t0
        stderr = proc.stderr.read() if proc.stderr else ""
        if proc.returncode != 0:
            raise RuntimeError(f"rebuild failed: {stderr}")
        m = re.search(r"in ([0-9.]+) s", stderr)
        rebuild_s = float(m.group(1)) if m else rebuild_wall_s
        log(
            f"scale {label}: rebuild in {rebuild_s:.1f}s (peak RSS {peak:.0f} MB; "
            f"with its worker processes, peak PSS {peak_tree:.0f} MB)"
        )
        return {
            "events": n,
            "database_url": url,
            "copy_s": round(load_s, 1),
            "rebuild_s": round(rebuild_s, 2),
            "rebuild_wall_s": round(rebuild_wall_s, 2),
            "rebuild_peak_rss_mb": round(peak),
            "rebuild_peak_pss_with_workers_mb": round(peak_tree),
        }

    def cold_reads(self, stack: Stack, points: dict[str, dict[str, Any]]) -> None:
        """COLD_READS cache-cold GETs per size, alternating between the sizes' servers; the
        median of each and the 2024 total go into its point."""
        urls = {}
        for label, point in points.items():
            rap = stack.start(
                f"rapportage-{label}",
                "rapportage",
                point.pop("database_url"),
                RAPPORTAGE_CONSUMER_GROUP=f"bench-{label}",
            )
            self.rss.watch(f"rapportage (scale {label})", pid_of(rap))
            urls[label] = rap.url
        headers = self.h("rapportage_lezer")
        times: dict[str, list[float]] = {label: [] for label in points}
        totaal: dict[str, int] = {}
        clients = {label: httpx.Client(base_url=url, timeout=600) for label, url in urls.items()}
        try:
            # one read each first, of a peildatum not measured: the process's first request
            # opens its connections and loads what it loads lazily, whatever the ledger's size
            for client in clients.values():
                client.get(
                    f"{RAP}/jaarverslagen/2024", params={"peildatum": "2025-02-01"}, headers=headers
                ).raise_for_status()
            order = list(points)
            for day in range(1, COLD_READS + 1):
                for label in order if day % 2 else reversed(order):
                    t = time.perf_counter()
                    r = clients[label].get(
                        f"{RAP}/jaarverslagen/2024",
                        params={"peildatum": f"2025-01-{day:02d}"},
                        headers=headers,
                    )
                    times[label].append((time.perf_counter() - t) * 1000)
                    r.raise_for_status()
                    totaal[label] = r.json()["meldingen"]["totaal"]["2024"]
        finally:
            for c in clients.values():
                c.close()
        for label, point in points.items():
            cold = statistics.median(times[label])
            log(
                f"scale {label}: cold GET median {cold:.1f} ms ({[round(x) for x in times[label]]})"
            )
            point["cold_ms"] = round(cold, 2)
            point["cold_all_ms"] = [round(x, 1) for x in times[label]]
            point["meldingen_totaal_2024"] = totaal[label]

    # --- scenario D: replicas ------------------------------------------------------------
    def replicas(self) -> None:
        """Two rapportage processes on one database vs one (dashboard read), and two
        meldpunt processes vs one (intake), the same total connections (bench/replicas.py)."""
        a = self.args
        broker = self.broker("replicas")
        stack = Stack(self.workdir / "replicas-stack", self.keys, broker.bootstrap)
        stack.workdir.mkdir()
        try:
            rap_db = asyncio.run(self.dbs.create("rapportage", postgres=True))
            mp_db = asyncio.run(self.dbs.create("meldpunt", postgres=True))
            raps = tuple(stack.start(f"rapportage-{i}", "rapportage", rap_db).url for i in (1, 2))
            mps = tuple(stack.start(f"meldpunt-{i}", "meldpunt", mp_db).url for i in (1, 2))
            n = asyncio.run(produce(broker.bootstrap, events()))
            asyncio.run(wait_for_ledger(rap_db, n))
            path = f"{RAP}/jaarverslagen/2024"
            lezer = self.h("rapportage_lezer")
            for url in raps:  # warm-up, as in item 1
                wrk(url + path, seconds=2, connections=32, headers=lezer, workdir=self.workdir)
            reads = replicas.paired(
                lambda url, c: wrk(
                    url + path,
                    seconds=a.read_seconds,
                    connections=c,
                    headers=lezer,
                    workdir=self.workdir,
                ),
                raps,
                32,
            )
            body_file = self.workdir / "melding-replicas.json"
            body_file.write_text(json.dumps(freshness.MELDING))
            melder = self.h("medewerker", sub="bench-melder")

            def intake(url: str, c: int) -> WrkResult:
                return wrk(
                    url + f"{MP}/meldingen",
                    seconds=a.replica_intake_seconds,
                    connections=c,
                    headers=melder,
                    script="post_json.lua",
                    env={"WRK_BODY_FILE": str(body_file)},
                    workdir=self.workdir,
                )

            intakes = replicas.paired(intake, mps, a.intake_connections)
        finally:
            stack.stop()
            broker.stop()
        self.raw["replicas"] = {"read": reads.as_dict(), "intake": intakes.as_dict()}
        self.item(
            "replicas_read",
            "6a. Replicas: GET /jaarverslagen/2024, two rapportage processes on one database "
            "vs one (32 connections in all)",
            reads.summary(),
            ">= 1.30x",
            reads.ratio >= 1.3,
            "wrk -c 32 on one; wrk -c 16 on each of two, side by side (bench/replicas.py)",
        )
        self.item(
            "replicas_intake",
            "6b. Replicas: POST /meldingen, two meldpunt processes on one PostgreSQL vs one "
            f"({a.intake_connections} connections in all)",
            intakes.summary(),
            "reported (a second process should add, not contend)",
            None,
            f"wrk -c {a.intake_connections} on one; -c {a.intake_connections // 2} on each of "
            "two, side by side (bench/replicas.py)",
        )

    # --- memory ----------------------------------------------------------------------------
    def memory(self) -> None:
        for name in sorted(self.idle):
            idle, peak = self.idle[name], self.rss.peak.get(name, self.idle[name])
            self.item(
                f"rss_{name}",
                f"5. RSS {name}",
                f"idle {idle:.0f} MB, loaded peak {peak:.0f} MB",
                "<= 150 MB idle, <= 300 MB loaded",
                idle <= 150 and peak <= 300,
                "VmRSS from /proc/<pid>/status, sampled every 0.2 s during the loads above",
            )
        for name, peak in sorted(self.rss.peak.items()):
            if name.startswith("rapportage (scale"):
                self.item(
                    f"rss_{name}",
                    f"5. RSS {name} (cold reads of its ledger)",
                    f"peak {peak:.0f} MB",
                    "<= 300 MB loaded",
                    peak <= 300,
                    "VmRSS from /proc/<pid>/status",
                )

    def run(self) -> None:
        self.rss.start()
        try:
            if "pg" in self.args.only:
                self.postgres_stack()
            if "sqlite" in self.args.only:
                self.sqlite_stack()
            if "scale" in self.args.only:
                self.scale()
            if "replicas" in self.args.only:
                self.replicas()
        finally:
            self.rss.stop()
            asyncio.run(self.dbs.drop_all())
        self.memory()


def pid_of_bare(bare: BareApp) -> int:
    assert bare.process is not None
    return bare.process.pid


async def outbox_backlog_after(database_url: str, *, within: float) -> int:
    from sqlalchemy import func, select
    from sqlalchemy.ext.asyncio import create_async_engine

    from integriteit_shared.messaging.models import OutboxMessage

    engine = create_async_engine(database_url)
    deadline = time.monotonic() + within
    try:
        while True:
            async with engine.connect() as conn:
                n = int(
                    await conn.scalar(
                        select(func.count())
                        .select_from(OutboxMessage)
                        .where(OutboxMessage.published_at.is_(None))
                    )
                    or 0
                )
            if n == 0 or time.monotonic() > deadline:
                return n
            await asyncio.sleep(0.2)
    finally:
        await engine.dispose()


def write_results(
    bench: Bench, started: datetime, elapsed: float, directory: Path | None = None
) -> Path:
    results = directory or BENCH / "results"
    results.mkdir(exist_ok=True)
    path = results / f"{started:%Y-%m-%d}.json"
    doc = {
        "started": started.isoformat(timespec="seconds"),
        "elapsed_s": round(elapsed),
        "command": COMMAND,
        "argv": sys.argv[1:],
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "items": bench.items,
        "raw": bench.raw,
        "rss_idle_mb": {k: round(v) for k, v in bench.idle.items()},
        "rss_peak_mb": {k: round(v) for k, v in bench.rss.peak.items()},
    }
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return path


def write_docs(bench: Bench, started: datetime, elapsed: float, results: Path) -> None:
    a = bench.args
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`bench/run.py`); do not edit by hand. Last run: "
        f"{started:%Y-%m-%d %H:%M} UTC, {elapsed / 60:.1f} min, on {os.cpu_count()} CPUs "
        f"({platform.platform()}); raw figures in `{results.relative_to(REPO)}`.",
        "",
        "Every service runs as its own uvicorn process (one worker) with the real broker "
        "(tansu) and PostgreSQL; load comes from `wrk` on the same machine. Ratios are "
        "against baselines measured in the same run, because absolute figures drift.",
        "",
        "| Item | Measured | Target | Result | Command |",
        "|---|---|---|---|---|",
    ]
    for it in bench.items:
        verdict = "n/a" if it["pass"] is None else ("pass" if it["pass"] else "**FAIL**")
        cmd = it["command"].replace("|", "\\|")
        lines.append(f"| {it['item']} | {it['measured']} | {it['target']} | {verdict} | `{cmd}` |")
    lines += [
        "",
        "## How it is measured",
        "",
        f"- **Dashboard read**: the seed dataset ({scale.seed_size():,} events, the 2024 report) "
        "is sent through the broker first, so the body is the real report. The baseline is "
        "`bench/bare_app.py` (FastAPI, no middleware, no auth, no database) returning the same "
        f"bytes under uvicorn with one worker. wrk: 1 thread, 32 connections, {a.read_seconds} s "
        f"after a 2 s warm-up; {READ_ROUNDS} rounds of bare, full, then full with "
        "If-None-Match (304), and the median of the rounds' ratios (the machine's speed "
        "drifts within a run): full against bare, 304 against the same round's 200s.",
        f"- **Freshness**: {a.freshness_rate:g} meldingen/s for {a.freshness_seconds} s "
        "(shortened from the issue's 60 s to keep `make bench` within 15 minutes), sent "
        "open-loop; a poller reads the report continuously. The k-th 201 counts as seen at the "
        "first poll answered after it that shows at least k new meldingen (an upper bound).",
        "- **Intake**: wrk posts a non-anonymous melding with a melder (name and e-mail "
        "encrypted, omschrijving encrypted, reference number from the year counter, events "
        "into the outbox, the audit entry of the write queued in the same statement and "
        f"chained in the background) with a medewerker token, {a.intake_connections} connections, "
        f"{a.intake_seconds} s; afterwards the outbox must be empty (the relay kept up). "
        "Anonymous intake is rate-limited per client and hashes the volgcode with Argon2; it is "
        "not part of this figure.",
        "- **Scale**: the seed is copied with new aggregate ids (same dates) and COPYed into "
        "the ledger (`inbox`); `python -m rapportage.rebuild` is timed as a process (it forks "
        "one worker per core; its memory is the PSS of the process and its workers). Cold "
        "reads: a fresh process per size, the two side by side, "
        f"after one read of another peildatum, {COLD_READS} requests each with different "
        "peildatums (each a cache miss), "
        "alternating between the sizes (which goes first swaps each round), the median per "
        "size: a change in the machine's load lands on both sizes, not in their ratio.",
        "- **Replicas**: two processes of a service on one PostgreSQL database against one, "
        "with the same total connections: wrk on the one, or two wrk side by side, one per "
        f"replica (no load balancer in between); {replicas.ROUNDS} alternating rounds, median "
        "ratio. The machine's CPU busy share during the pair runs shows what limits it: on "
        "two cores, the two service processes, PostgreSQL and wrk share them, so a second "
        "replica can add at most what the first left idle.",
        "- **Memory**: VmRSS from `/proc/<pid>/status` after start-up (idle) and its peak, "
        "sampled every 0.2 s, during the loads above (loaded).",
        "",
    ]
    (REPO / "docs" / "benchmarks.md").write_text("\n".join(lines))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--read-seconds", type=int, default=10)
    p.add_argument("--freshness-seconds", type=int, default=30)
    p.add_argument("--freshness-rate", type=float, default=50)
    p.add_argument("--intake-seconds", type=int, default=30)
    p.add_argument("--intake-connections", type=int, default=16)
    p.add_argument("--scale-events", type=int, default=1_000_000)
    p.add_argument("--scale-small", type=int, default=1_000)
    p.add_argument("--replica-intake-seconds", type=int, default=10)
    p.add_argument("--only", nargs="*", default=list(SCENARIOS))
    p.add_argument(
        "--items",
        nargs="*",
        default=list(ITEMS),
        choices=ITEMS,
        help="items of the PostgreSQL scenario to run (default all); e.g. "
        "`--only pg --items read` for the dashboard read alone",
    )
    p.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    args = p.parse_args()
    if shutil.which("wrk") is None:
        print("make bench needs wrk (apt-get install wrk)", file=sys.stderr)
        return 2
    started = datetime.now(UTC)
    t0 = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="integriteit-bench-"))
    log(f"work directory {workdir}")
    bench = Bench(args, workdir)
    try:
        bench.run()
    finally:
        elapsed = time.monotonic() - t0
        partial = set(args.only) != set(SCENARIOS) or set(args.items) != set(ITEMS)
        if partial:  # a partial run never overwrites the full table
            results = write_results(bench, started, elapsed, directory=workdir)
            log(f"partial run: wrote {results} (not docs/benchmarks.md) in {elapsed / 60:.1f} min")
        else:
            results = write_results(bench, started, elapsed)
            write_docs(bench, started, elapsed, results)
            log(f"wrote {results} and docs/benchmarks.md in {elapsed / 60:.1f} min")
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(it["pass"] is not False for it in bench.items) else 1


if __name__ == "__main__":
    raise SystemExit(main())
