"""rate_limit: anonymous intake and volgsessie attempts counted across replicas

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from integriteit_shared.db.migrations import create_rate_limit, drop_rate_limit

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_rate_limit()


def downgrade() -> None:
    drop_rate_limit()
