"""Keep one process of `make run` alive: start it again when it dies, with back-off.

honcho (the process manager of `make run`) stops every process when one exits and has no
restart policy of its own, so each process runs under this small supervisor:

    python -m integriteit_dev.herstart NAME -- COMMAND...

A process that ends by itself, or is killed, is started again after 1 s, then 2, 4, ...
up to 30 s while it keeps dying quickly; a run that lasted `GEZOND_NA_S` resets the
back-off. Each restart is said on stderr (honcho prefixes it with the process name).
SIGINT and SIGTERM are passed on to the process and end the supervisor when it exits.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

GEZOND_NA_S = 30.0
EERSTE_WACHTTIJD_S = 1.0
LANGSTE_WACHTTIJD_S = 30.0


@dataclass
class Terugval:
    """Exponential back-off between restarts, reset by a run that stayed up long enough."""

    eerste_s: float = EERSTE_WACHTTIJD_S
    langste_s: float = LANGSTE_WACHTTIJD_S
    gezond_na_s: float = GEZOND_NA_S
    _volgende_s: float = 0.0

    def na_einde(self, looptijd_s: float) -> float:
        """The wait before the next start, for a run that lasted `looptijd_s`."""
        if looptijd_s >= self.gezond_na_s or self._volgende_s == 0.0:
            self._volgende_s = self.eerste_s
        else:
            self._volgende_s = min(self._volgende_s * 2, self.langste_s)
        return self._volgende_s


def _einde(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"gestopt door {signal.Signals(-returncode).name}"
        except ValueError:
            return f"gestopt door signaal {-returncode}"
    return f"gestopt met code {returncode}"


def bewaak(
    naam: str,
    command: Sequence[str],
    *,
    terugval: Terugval | None = None,
    meld: Callable[[str], None] = lambda t: print(t, file=sys.stderr, flush=True),
) -> int:
    """Run `command` until SIGINT/SIGTERM, starting it again whenever it ends."""
    terugval = terugval or Terugval()
    stop = threading.Event()
    proces: subprocess.Popen[bytes] | None = None

    def _stop(signum: int, _frame: object) -> None:
        stop.set()
        if proces is not None and proces.poll() is None:
            proces.send_signal(signum)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    while True:
        begin = time.monotonic()
        proces = subprocess.Popen(list(command))  # noqa: S603 - the stack's own commands
        returncode = proces.wait()
        if stop.is_set():
            return 0
        wacht_s = terugval.na_einde(time.monotonic() - begin)
        meld(f"{naam}: {_einde(returncode)}; opnieuw gestart over {wacht_s:g} s")
        if stop.wait(wacht_s):
            return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 3 or args[1] != "--":
        print("gebruik: python -m integriteit_dev.herstart NAAM -- COMMANDO...", file=sys.stderr)
        return 2
    return bewaak(args[0], args[2:])


if __name__ == "__main__":
    raise SystemExit(main())
