"""rapportage analyse: what the events tell of the handling (afdoening, kanaal, conclusie, ...)

The columns and tables the `analyse` section of the annual report is counted from. They
are filled by the rebuild the service runs at start (`PROJECTIE_VERSIE` 3).

Revision ID: aggregaat_analyse
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "aggregaat_analyse"
down_revision: str | None = "inzage_auditlog"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _big_id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _feit(naam: str, *kolommen: sa.Column[object]) -> None:
    op.create_table(
        naam,
        *kolommen,
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{naam}")),
    )


def upgrade() -> None:
    with op.batch_alter_table("rap_meldingen") as batch:
        batch.add_column(sa.Column("kanaal", sa.String(60), nullable=True))
        batch.add_column(sa.Column("anoniem", sa.Boolean(), nullable=True))
    with op.batch_alter_table("rap_melding_stappen") as batch:
        batch.add_column(sa.Column("code", sa.String(60), nullable=True))
    with op.batch_alter_table("rap_klacht_stappen") as batch:
        batch.add_column(sa.Column("wijze", sa.String(60), nullable=True))
        batch.add_column(sa.Column("code", sa.String(60), nullable=True))
    _feit(
        "rap_casus_afsluitingen",
        sa.Column("casus_id", sa.String(200), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("doorverwezen_naar", sa.String(60), nullable=True),
    )
    op.create_index(
        op.f("ix_rap_casus_afsluitingen_casus_id"), "rap_casus_afsluitingen", ["casus_id"]
    )
    _feit(
        "rap_informele_gesprekken",
        sa.Column("defensieonderdeel", sa.String(60), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rap_informele_gesprekken")
    op.drop_index(op.f("ix_rap_casus_afsluitingen_casus_id"), "rap_casus_afsluitingen")
    op.drop_table("rap_casus_afsluitingen")
    with op.batch_alter_table("rap_klacht_stappen") as batch:
        batch.drop_column("code")
        batch.drop_column("wijze")
    with op.batch_alter_table("rap_melding_stappen") as batch:
        batch.drop_column("code")
    with op.batch_alter_table("rap_meldingen") as batch:
        batch.drop_column("anoniem")
        batch.drop_column("kanaal")
