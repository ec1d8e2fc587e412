"""klachten

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "klachten",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("soort", sa.String(30), nullable=False),
        sa.Column("indiener", sa.String(20), nullable=False),
        sa.Column("defensieonderdeel", sa.String(10), nullable=False),
        sa.Column("omschrijving", sa.Text(), nullable=False),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ingediend_door", sa.String(200), nullable=False),
        sa.Column("termijn_uiterlijk", sa.Date(), nullable=False),
        sa.Column("cog_behandeling_datum", sa.Date(), nullable=True),
        sa.Column("cog_advies", sa.String(30), nullable=True),
        sa.Column("cog_advies_datum", sa.Date(), nullable=True),
        sa.Column("afhandeling_datum", sa.Date(), nullable=True),
        sa.Column("afhandeling_wijze", sa.String(20), nullable=True),
        sa.Column("afhandeling_oordeel", sa.String(30), nullable=True),
        sa.Column("verdaging_weken", sa.Integer(), nullable=True),
        sa.Column("verdaging_reden", sa.Text(), nullable=True),
        sa.Column("verdaagd_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_klachten")),
    )
    for column in ("status", "soort", "defensieonderdeel", "termijn_uiterlijk"):
        op.create_index(op.f(f"ix_klachten_{column}"), "klachten", [column])


def downgrade() -> None:
    for column in ("status", "soort", "defensieonderdeel", "termijn_uiterlijk"):
        op.drop_index(op.f(f"ix_klachten_{column}"), table_name="klachten")
    op.drop_table("klachten")
