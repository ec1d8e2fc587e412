"""`python -m rapportage.rebuild`: rebuild every projection from the ledger, then exit."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time

from integriteit_shared.db.session import Database
from rapportage.config import Settings
from rapportage.ledger.herbouw import herbereken


async def main() -> int:
    db = Database(Settings().database_url)
    gc.freeze()  # what start-up made lives on: collections need not scan it again
    start = time.perf_counter()
    try:
        async with db.transaction() as session:
            # one worker process per core; this one reads nothing and only stores
            n = await herbereken(session, werkers=os.cpu_count() or 1)
    finally:
        await db.dispose()
    s = time.perf_counter() - start
    print(
        f"rapportage: projecties herberekend uit {n} gebeurtenissen in {s:.1f} s ({n / s:.0f}/s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
