"""audit_queue: the intake's audit entries, written with the melding and chained after

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from integriteit_shared.db.migrations import create_audit_queue, drop_audit_queue

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_audit_queue()


def downgrade() -> None:
    drop_audit_queue()
