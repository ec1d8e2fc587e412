"""`make run`: broker, four services and a bootstrap step under one honcho process manager.

The broker and each service run under `integriteit_dev.herstart`, which starts a process
again (with back-off) when it dies, so that one crash does not stop the whole stack; the
bootstrap step re-creates the topics when a restarted broker has forgotten them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
from aiokafka.errors import KafkaError
from honcho.manager import Manager

from integriteit_dev.broker import tansu_command, wait_for_port
from integriteit_dev.demo.laden import MARKER, DemoFout, is_geladen, laad_demo
from integriteit_dev.mail import DEV_MAIL_PORT
from integriteit_shared.auth.keys import ensure_dev_keys
from integriteit_shared.db.migrations import migrate
from integriteit_shared.http.app import base_path
from integriteit_shared.http.proxies import uvicorn_proxy_args
from integriteit_shared.messaging.kafka import ensure_topics
from integriteit_shared.service import ServiceRegistration, registered_service, registered_services

# The services' log level under `make run` unless LOG_LEVEL says otherwise. At INFO every
# request is a JSON line (about 14,800 during the demo load), which buries the URLs;
# LOG_LEVEL=DEBUG (or INFO) brings those lines back.
DEV_LOG_LEVEL = "WARNING"
# How often the bootstrap step checks that the topics exist (a restarted dev broker starts
# empty).
TOPICS_CONTROLE_S = 5.0


# Per service, settings of the dev stack only (a variable in the environment still wins).
# Meldpunt: the demo load hashes 300 volgcodes; at the production argon2 cost that was
# about 60 s of CPU, half the load.
DEV_SETTINGS: dict[str, dict[str, str]] = {"meldpunt": {"VOLGCODE_ARGON2": "dev"}}
# Every service: one process, whose relay is woken by its own commits, so its fallback poll
# of the outbox (for rows another replica wrote) can be slow (at 50 ms the four relays
# polling an idle outbox cost about a fifth of a core); and a relay that lingers 0.2 s
# claims its rows in fewer write transactions, which on SQLite otherwise keep the
# requests waiting for the write lock (measured: meldpunt's intake 13 ms a request instead
# of 25 ms one at a time, the demo load 77 s instead of 88 s).
DEV_SETTINGS_ALLE = {"OUTBOX_POLL_INTERVAL_S": "0.5", "OUTBOX_LINGER_S": "0.2"}


def dev_log_level(environ: Mapping[str, str] = os.environ) -> str:
    return (environ.get("LOG_LEVEL") or DEV_LOG_LEVEL).strip().upper()


def _service_env(
    service: ServiceRegistration[Any], data_dir: Path, bootstrap: str
) -> dict[str, str]:
    prefix = service.env_prefix
    extra = {
        f"{prefix}{name}": os.environ.get(f"{prefix}{name}") or value
        for name, value in {**DEV_SETTINGS_ALLE, **DEV_SETTINGS.get(service.name, {})}.items()
    }
    return {
        **extra,
        f"{prefix}DATA_DIR": str(data_dir),
        f"{prefix}KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        f"{prefix}DEV_MODE": "true",
        # a service's own <PREFIX>LOG_LEVEL in the environment still wins
        f"{prefix}LOG_LEVEL": os.environ.get(f"{prefix}LOG_LEVEL") or dev_log_level(),
        # nothing in front of the dev stack: no proxy is trusted, by uvicorn or the limiters
        "TRUSTED_PROXIES": "",
    }


def run_stack(data_dir: Path, *, broker_port: int = 9092, demo: bool = True) -> int:
    data_dir.mkdir(parents=True, exist_ok=True)
    ensure_dev_keys(data_dir / "dev-keys")
    services = registered_services()
    migrate([s.name for s in services], data_dir)
    bootstrap_servers = f"127.0.0.1:{broker_port}"
    python = shlex.quote(sys.executable)

    def bewaakt(naam: str, command: str) -> str:
        return f"exec {python} -m integriteit_dev.herstart {naam} -- {command}"

    manager = Manager()
    manager.add_process(
        "broker",
        bewaakt("broker", shlex.join(tansu_command(broker_port))),
        env={**os.environ, "RUST_LOG": "warn"},
    )
    manager.add_process(
        "mail",
        bewaakt(
            "mail", f"{python} -m integriteit_dev.mail --dir {shlex.quote(str(data_dir / 'mail'))}"
        ),
    )
    for service in services:
        cmd = bewaakt(
            service.name,
            f"{python} -m uvicorn {service.app_factory} --factory --host 127.0.0.1 "
            f"--port {service.port} --no-access-log --log-level warning "
            # the dev stack trusts no proxy: X-Forwarded-For never moves a limiter
            + shlex.join(uvicorn_proxy_args("")),
        )
        manager.add_process(
            service.name,
            cmd,
            env={**os.environ, **_service_env(service, data_dir, bootstrap_servers)},
        )
    manager.add_process(
        "bootstrap",
        f"exec {python} -m integriteit_shared.cli bootstrap",
        env={
            **os.environ,
            "INTEGRITEIT_DATA_DIR": str(data_dir),
            "INTEGRITEIT_BOOTSTRAP": bootstrap_servers,
            "INTEGRITEIT_BROKER_PORT": str(broker_port),
            "INTEGRITEIT_DEMO": "1" if demo else "0",
        },
    )
    manager.loop()
    return manager.returncode or 0


def url_blok(data_dir: str, broker_port: int) -> str:
    """Where everything is: what `make run` prints when the services are ready, and again
    after the demo load."""
    lines = ["", "integriteit draait:"]
    for service in registered_services():
        base = f"http://127.0.0.1:{service.port}{base_path(service.name)}"
        lines.append(f"  {service.name:<20} {base}/docs  (OpenAPI: {base}/openapi.json)")
    lines.append(f"  dashboard            {_dashboard_url()}")
    lines.append(f"  broker               127.0.0.1:{broker_port}")
    lines.append(f"  mail (SMTP)          127.0.0.1:{DEV_MAIL_PORT}  (.venv/bin/integriteit mail)")
    lines.append(f"  data                 {data_dir}")
    lines.append("  token                .venv/bin/integriteit token --rol coid_adviseur")
    lines.append("Stoppen: Ctrl-C")
    return "\n".join(lines)


def _dashboard_url() -> str:
    return f"http://127.0.0.1:{registered_service('rapportage').port}/dashboard"


def demo_laden(data_dir: Path, *, meld: Callable[[str], None]) -> str:
    """Load the demo data once (`demo.laden`); returns the one-line summary."""
    try:
        uitslag = asyncio.run(laad_demo(data_dir, meld=meld))
    except (DemoFout, httpx.HTTPError) as exc:
        meld(f"demodata: niet (volledig) geladen: {exc}")
        return "demodata: bij de volgende start wordt het laden hervat"
    if uitslag is None:
        return f"demodata: al eerder geladen ({data_dir / MARKER})"
    return uitslag.samenvatting()


def toon_en_laad(
    data_dir: Path, broker_port: int, *, demo: bool, uit: Callable[[str], None]
) -> None:
    """The URL block; with `demo` the demo load, its summary and the block again, so that
    the last thing on the screen says where everything is."""
    blok = url_blok(str(data_dir), broker_port)
    if demo and is_geladen(data_dir):
        uit(f"demodata: al eerder geladen ({data_dir / MARKER})")
        demo = False
    uit(blok)
    if demo:
        # the services answer already while the demo data goes in
        uit(demo_laden(data_dir, meld=uit))
        uit(blok)


def bootstrap() -> int:
    """Create the topics, wait for every service to be ready, load the demo data once
    (`demo.laden`; not with INTEGRITEIT_DEMO=0), print where things are."""
    bootstrap_servers = os.environ.get("INTEGRITEIT_BOOTSTRAP", "127.0.0.1:9092")
    broker_port = int(os.environ.get("INTEGRITEIT_BROKER_PORT", "9092"))
    wait_for_port(broker_port, timeout_s=30)
    asyncio.run(ensure_topics(bootstrap_servers))
    deadline = time.monotonic() + 60
    services = registered_services()
    pending = {s.name: s.port for s in services}
    while pending and time.monotonic() < deadline:
        for name, port in sorted(pending.items()):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2)
                if r.status_code == 200:
                    del pending[name]
            except httpx.HTTPError:
                pass
        time.sleep(0.3)
    if pending:
        print(f"niet gereed na 60 s: {', '.join(sorted(pending))}", flush=True)
        return 1
    toon_en_laad(
        Path(os.environ.get("INTEGRITEIT_DATA_DIR", "data")),
        broker_port,
        demo=os.environ.get("INTEGRITEIT_DEMO", "1") not in ("0", "nee", "false"),
        uit=lambda t: print(t, flush=True),
    )
    # stay alive (honcho stops every process when one exits), and give a broker that was
    # restarted empty its topics back
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(TOPICS_CONTROLE_S):
        with contextlib.suppress(KafkaError, OSError):
            asyncio.run(ensure_topics(bootstrap_servers))
    return 0
