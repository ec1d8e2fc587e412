"""outbox and inbox: the CloudEvents sequence of each event, so a gap can be seen and healed

Revision ID: 0005
Revises: a16_auditsleutel
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from integriteit_shared.db.migrations import add_event_sequence, drop_event_sequence

revision: str = "0005"
down_revision: str | None = "a16_auditsleutel"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_event_sequence()


def downgrade() -> None:
    drop_event_sequence()
