"""`python -m rapportage.rebuild`: rebuild every projection from the ledger, then exit."""

from __future__ import annotations

import asyncio
import sys

from integriteit_shared.db.session import Database
from rapportage.config import Settings
from rapportage.ledger.service import herbereken


async def main() -> int:
    db = Database(Settings().database_url)
    try:
        async with db.transaction() as session:
            n = await herbereken(session)
    finally:
        await db.dispose()
    print(f"rapportage: projecties herberekend uit {n} gebeurtenissen", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
