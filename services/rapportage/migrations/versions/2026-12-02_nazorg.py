"""rapportage nazorg: the check-ins of aftercare done with named melders

Counted in the annual report's `nazorg` (done, retaliation reported, overdue). Filled by
the rebuild the service runs at start (`PROJECTIE_VERSIE` 3).

Revision ID: aggregaat_nazorg
Revises: aggregaat_analyse
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "aggregaat_nazorg"
down_revision: str | None = "aggregaat_analyse"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rap_nazorg",
        sa.Column("melding_id", sa.String(200), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("benadeling_gemeld", sa.Boolean(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_nazorg")),
    )
    op.create_index(op.f("ix_rap_nazorg_melding_id"), "rap_nazorg", ["melding_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_rap_nazorg_melding_id"), "rap_nazorg")
    op.drop_table("rap_nazorg")
