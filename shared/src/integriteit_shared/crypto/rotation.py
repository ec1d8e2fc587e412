"""Key rotation without downtime: move a service's encrypted fields to the active key.

Put a new key first in `<PREFIX>_ENCRYPTION_KEYS` (keep the old ones after it) and restart
the service: new writes use the new key, old values still decrypt. Then run
`integriteit sleutels-roteren <service>`; once it reports nothing left, the old key can go.
"""

from __future__ import annotations

from collections.abc import Callable

from integriteit_shared.crypto.fields import FieldCipher, field_aad, reencrypt_column
from integriteit_shared.db.base import Base
from integriteit_shared.db.session import Database


async def rotate_fields(
    db: Database, cipher: FieldCipher, fields: tuple[tuple[str, str], ...]
) -> dict[str, int]:
    """Re-encrypt every (table, column) in `fields`; returns rows changed per field."""
    changed: dict[str, int] = {}

    def aad_for(table: str, column: str) -> Callable[[object], str]:
        return lambda row_id: field_aad(table, column, row_id)

    for table, column in fields:
        # a writing session: on SQLite each batch's transaction takes the write lock at its
        # BEGIN, so a service committing between the batch's read and its updates makes it
        # wait its turn instead of failing on a stale snapshot ("database is locked")
        async with db.sessionmaker() as session:
            changed[f"{table}.{column}"] = await reencrypt_column(
                session,
                table=Base.metadata.tables[table],
                id_column="id",
                column=column,
                aad_fn=aad_for(table, column),
                cipher=cipher,
                commit_each_batch=True,  # short locks: the service keeps working meanwhile
            )
    return changed
