"""rap_historische_imports: history loaded with its original registration moments

The peildatum now cuts on the ledger moment (`inbox.received_at`); only this audited import
books events at their own `time`. The projections are rebuilt at the next start
(PROJECTIE_VERSIE 2), now from `received_at`.

Revision ID: a16_historische_imports
Revises: a16_auditsleutel
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a16_historische_imports"
down_revision: str | None = "a16_auditsleutel"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rap_historische_imports",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("moment", sa.DateTime(timezone=True), nullable=False),
        sa.Column("door", sa.String(), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.Column("dubbel", sa.Integer(), nullable=False),
        sa.Column("vroegste", sa.DateTime(timezone=True), nullable=False),
        sa.Column("laatste", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_historische_imports")),
    )


def downgrade() -> None:
    op.drop_table("rap_historische_imports")
