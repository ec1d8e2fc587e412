"""nazorg: a named melding's check-ins with the melder after closing

Revision ID: nazorg_contacten
Revises: 20261201_adres
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "nazorg_contacten"
down_revision: str | None = "bewaar_bewaartermijnen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "melding_nazorg",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("melding_id", sa.String(36), nullable=False),
        sa.Column("maanden", sa.Integer(), nullable=False),
        sa.Column("uiterlijk", sa.Date(), nullable=False),
        sa.Column("datum", sa.Date(), nullable=True),
        sa.Column("benadeling_gemeld", sa.Boolean(), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("door", sa.String(200), nullable=True),
        sa.Column("vastgelegd_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["melding_id"], ["meldingen.id"], name=op.f("fk_melding_nazorg_melding_id_meldingen")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_melding_nazorg")),
        sa.UniqueConstraint(
            "melding_id", "maanden", name=op.f("uq_melding_nazorg_melding_id_maanden")
        ),
    )
    op.create_index(op.f("ix_melding_nazorg_melding_id"), "melding_nazorg", ["melding_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_melding_nazorg_melding_id"), table_name="melding_nazorg")
    op.drop_table("melding_nazorg")
