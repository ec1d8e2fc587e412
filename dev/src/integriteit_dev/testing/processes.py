"""Services as real OS processes (uvicorn), for tests that kill and restart them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from integriteit_dev.broker import free_port
from integriteit_shared.http.proxies import uvicorn_proxy_args
from integriteit_shared.service import registered_service


class ServiceProcess:
    """One service under uvicorn with its settings in the environment; kill -9 and restart."""

    def __init__(
        self,
        service: str,
        *,
        database_url: str,
        bootstrap: str,
        jwks_file: Path,
        data_dir: Path,
        log_file: Path,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.service = service
        self.registration = registered_service(service)
        self.port = free_port()
        prefix = self.registration.env_prefix
        self.env = {
            **os.environ,
            f"{prefix}DATABASE_URL": database_url,
            f"{prefix}KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            f"{prefix}JWT_PUBLIC_KEY_FILE": str(jwks_file),
            f"{prefix}DATA_DIR": str(data_dir),
            f"{prefix}LOG_LEVEL": "WARNING",
            **(extra_env or {}),
        }
        self.log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, ready_timeout: float = 60) -> None:
        log = open(self.log_file, "ab")  # noqa: SIM115 - owned by the child process
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                self.registration.app_factory,
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-access-log",
                "--log-level",
                "warning",
                *uvicorn_proxy_args(self.env.get("TRUSTED_PROXIES", "")),
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.service} exited; see {self.log_file}")
            try:
                if httpx.get(f"{self.url}/health/live", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{self.service} not live after {ready_timeout}s")

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flush; what a crash or OOM kill looks like."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
