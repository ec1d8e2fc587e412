"""The development mail server: real SMTP (aiosmtpd), each message kept as an `.eml` file.

`make run` starts it on 127.0.0.1:8025 with `data/mail/` as its directory, where the
services' mail settings point by default; the tests start one on a free port. A message
is stored under its `Message-ID`, so a repeat of the same message (a sender that crashed
between sending and marking it sent) replaces the file instead of adding one; the number
of times each id arrived is counted in `ontvangen.log`. `integriteit mail` lists and shows
what arrived.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import email.policy
import hashlib
import os
import signal
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

DEV_MAIL_PORT = 8025
LOG_NAME = "ontvangen.log"


def _file_name(message_id: str) -> str:
    # a Message-ID may hold characters a file name should not: name the file by its hash
    return hashlib.sha256(message_id.encode()).hexdigest()[:32] + ".eml"


class EmlOpslag:
    """aiosmtpd handler: every accepted message to `directory`, named by its Message-ID."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        message_id = str(parsed.get("Message-ID") or "").strip()
        if not message_id:
            return "550 5.6.0 Message-ID ontbreekt"
        target = self.directory / _file_name(message_id)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(content)
        os.replace(tmp, target)  # a reader never sees half a message
        with (self.directory / LOG_NAME).open("a") as log:
            log.write(f"{message_id}\n")
        return "250 OK"


@dataclass
class Ontvangen:
    path: Path
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


def ontvangen(directory: Path) -> list[Ontvangen]:
    """What arrived, oldest first."""
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("*.eml"), key=lambda p: (p.stat().st_mtime, p.name)):
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        found.append(Ontvangen(path, parsed))
    return found


def aantal_ontvangen(directory: Path) -> dict[str, int]:
    """How often each Message-ID arrived (a repeat is stored once, but counted here)."""
    log = directory / LOG_NAME
    counts: dict[str, int] = {}
    if log.exists():
        for line in log.read_text().splitlines():
            counts[line] = counts.get(line, 0) + 1
    return counts


class MailServer:
    """aiosmtpd's Controller (its own thread and event loop) on `host:port`."""

    def __init__(self, directory: Path, *, host: str = "127.0.0.1", port: int) -> None:
        self.directory = directory
        self.host = host
        self.port = port
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(EmlOpslag(self.directory), hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> MailServer:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """`python -m integriteit_dev.mail --dir data/mail [--port 8025]`, until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--port", type=int, default=DEV_MAIL_PORT)
    args = parser.parse_args(argv)
    server = MailServer(args.dir, port=args.port)
    server.start()

    async def wait() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()

    try:
        asyncio.run(wait())
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
