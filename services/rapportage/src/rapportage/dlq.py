"""`integriteit dlq-herverwerken [--type …] [--vanaf …]`: rapportage's dead letters again.

Rapportage is the service that consumes the topics, so its dead letters are sealed with its
key ring and its inbox is the ledger; `integriteit_shared.messaging.herverwerken` does the
work and says why a letter goes back onto its original topic rather than into the ledger.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime

from aiokafka.errors import KafkaError

from integriteit_shared.commands import Command
from integriteit_shared.messaging.herverwerken import OPNIEUW, herverwerk_dienst
from rapportage.config import Settings


def _moment(value: str) -> datetime:
    """An ISO date or date-time; without a zone it is UTC."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--type", help="only letters of this CloudEvents type (ce_type)")
    parser.add_argument(
        "--vanaf",
        type=_moment,
        help="only letters written to the dead-letter topic from then on (ISO date or "
        "date-time, UTC unless it names a zone)",
    )
    parser.add_argument(
        "--wacht",
        type=float,
        default=30.0,
        help="seconds to wait for the ledger to hold what was offered again (default 30)",
    )


def _run(args: argparse.Namespace) -> int:
    try:
        uitslag = asyncio.run(
            herverwerk_dienst(
                Settings(), event_type=args.type, vanaf=args.vanaf, wacht_s=args.wacht
            )
        )
    except (KafkaError, OSError, TimeoutError) as exc:
        print(f"dlq-herverwerken: broker niet bruikbaar: {exc!r}", file=sys.stderr)
        return 2
    print(json.dumps(uitslag.rapport(), ensure_ascii=False, indent=2))
    # 1: something was offered again that the ledger did not hold within --wacht
    return 0 if uitslag.verwerkt == uitslag.aantal(OPNIEUW) else 1


DLQ_HERVERWERKEN = Command(
    help="offer rapportage's dead letters that pass validation now to their topic again",
    run=_run,
    configure=_configure,
)
