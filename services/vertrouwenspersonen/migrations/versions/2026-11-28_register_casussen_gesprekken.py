"""register van vertrouwenspersonen, casussen, informele gesprekken

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
        "vertrouwenspersonen",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("defensieonderdeel", sa.String(10), nullable=False),
        sa.Column("aanstellingsdatum", sa.Date(), nullable=False),
        sa.Column("beeindigingsdatum", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vertrouwenspersonen")),
    )
    op.create_index(
        op.f("ix_vertrouwenspersonen_defensieonderdeel"),
        "vertrouwenspersonen",
        ["defensieonderdeel"],
    )
    op.create_table(
        "casussen",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("eigenaar", sa.String(200), nullable=False),
        sa.Column("defensieonderdeel", sa.String(10), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("hoofdcategorie", sa.String(50), nullable=False),
        sa.Column("subcategorie", sa.String(50), nullable=False),
        sa.Column("notitie", sa.Text(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("afsluitdatum", sa.Date(), nullable=True),
        sa.Column("doorverwezen_naar", sa.String(50), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casussen")),
    )
    op.create_index(op.f("ix_casussen_eigenaar"), "casussen", ["eigenaar"])
    op.create_index(op.f("ix_casussen_defensieonderdeel"), "casussen", ["defensieonderdeel"])
    op.create_index(op.f("ix_casussen_datum"), "casussen", ["datum"])
    op.create_table(
        "informele_gesprekken",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("defensieonderdeel", sa.String(10), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_informele_gesprekken")),
    )
    op.create_index(
        op.f("ix_informele_gesprekken_defensieonderdeel"),
        "informele_gesprekken",
        ["defensieonderdeel"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_informele_gesprekken_defensieonderdeel"), table_name="informele_gesprekken"
    )
    op.drop_table("informele_gesprekken")
    op.drop_index(op.f("ix_casussen_datum"), table_name="casussen")
    op.drop_index(op.f("ix_casussen_defensieonderdeel"), table_name="casussen")
    op.drop_index(op.f("ix_casussen_eigenaar"), table_name="casussen")
    op.drop_table("casussen")
    op.drop_index(
        op.f("ix_vertrouwenspersonen_defensieonderdeel"), table_name="vertrouwenspersonen"
    )
    op.drop_table("vertrouwenspersonen")
