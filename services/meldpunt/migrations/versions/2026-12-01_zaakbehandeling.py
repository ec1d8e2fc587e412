"""zaakbehandeling: behandelaar, uitsluitingen, notities, melder-inzagen, tijdlijn, bijlagen

Revision ID: 20261201_zaak
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_zaak"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _melding_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["melding_id"], ["meldingen.id"], name=op.f(f"fk_{table}_melding_id_meldingen")
    )


def upgrade() -> None:
    with op.batch_alter_table("meldingen") as batch:
        batch.add_column(sa.Column("behandelaar", sa.String(200), nullable=True))
        batch.add_column(sa.Column("melder_koppeling", sa.String(64), nullable=True))
        batch.create_index(op.f("ix_meldingen_behandelaar"), ["behandelaar"])
        batch.create_index(op.f("ix_meldingen_melder_koppeling"), ["melder_koppeling"])
    with op.batch_alter_table("berichten") as batch:
        batch.add_column(_ts("gelezen_op", nullable=True))

    op.create_table(
        "melding_uitsluitingen",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("melding_id", sa.String(36), nullable=False),
        sa.Column("sub", sa.String(200), nullable=False),
        sa.Column("reden", sa.Text(), nullable=False),
        sa.Column("door", sa.String(200), nullable=False),
        _ts("moment"),
        _melding_fk("melding_uitsluitingen"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_melding_uitsluitingen")),
        sa.UniqueConstraint(
            "melding_id", "sub", name=op.f("uq_melding_uitsluitingen_melding_id_sub")
        ),
    )
    op.create_index(
        op.f("ix_melding_uitsluitingen_melding_id"), "melding_uitsluitingen", ["melding_id"]
    )
    op.create_index(op.f("ix_melding_uitsluitingen_sub"), "melding_uitsluitingen", ["sub"])

    op.create_table(
        "melding_notities",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("melding_id", sa.String(36), nullable=False),
        sa.Column("auteur", sa.String(200), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        _ts("moment"),
        _melding_fk("melding_notities"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_melding_notities")),
    )
    op.create_index(op.f("ix_melding_notities_melding_id"), "melding_notities", ["melding_id"])

    op.create_table(
        "melder_inzagen",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("melding_id", sa.String(36), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("reden", sa.Text(), nullable=False),
        sa.Column("request_id", sa.String(200), nullable=True),
        _ts("moment"),
        _melding_fk("melder_inzagen"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_melder_inzagen")),
    )
    op.create_index(op.f("ix_melder_inzagen_melding_id"), "melder_inzagen", ["melding_id"])

    op.create_table(
        "melding_stappen",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("melding_id", sa.String(36), nullable=False),
        _ts("moment"),
        sa.Column("soort", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("codes", sa.Text(), nullable=False),
        _melding_fk("melding_stappen"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_melding_stappen")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_melding_stappen_melding_id"), "melding_stappen", ["melding_id"])

    op.create_table(
        "bijlagen",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("melding_id", sa.String(36), nullable=False),
        sa.Column("naam", sa.Text(), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("grootte", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("inhoud", sa.Text(), nullable=False),
        sa.Column("door", sa.String(200), nullable=False),
        _ts("moment"),
        _melding_fk("bijlagen"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bijlagen")),
    )
    op.create_index(op.f("ix_bijlagen_melding_id"), "bijlagen", ["melding_id"])


def downgrade() -> None:
    for table in ("bijlagen", "melding_stappen", "melder_inzagen", "melding_notities"):
        op.drop_index(op.f(f"ix_{table}_melding_id"), table_name=table)
        op.drop_table(table)
    op.drop_index(op.f("ix_melding_uitsluitingen_sub"), table_name="melding_uitsluitingen")
    op.drop_index(op.f("ix_melding_uitsluitingen_melding_id"), table_name="melding_uitsluitingen")
    op.drop_table("melding_uitsluitingen")
    with op.batch_alter_table("berichten") as batch:
        batch.drop_column("gelezen_op")
    with op.batch_alter_table("meldingen") as batch:
        batch.drop_index(op.f("ix_meldingen_melder_koppeling"))
        batch.drop_index(op.f("ix_meldingen_behandelaar"))
        batch.drop_column("melder_koppeling")
        batch.drop_column("behandelaar")
