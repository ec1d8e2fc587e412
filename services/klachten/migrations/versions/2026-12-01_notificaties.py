"""notificatie: planned and sent mail (reminders, message notices, aftercare)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from integriteit_shared.db.migrations import create_notificaties, drop_notificaties

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_notificaties()


def downgrade() -> None:
    drop_notificaties()
