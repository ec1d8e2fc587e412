"""rapportage tellingen: de indicatoren als tellers per dag, en de versie van de projectie

The report is read from per-day counters instead of from every fact row. The counters are
filled by the rebuild that the service runs at start when `rap_versie.projectie` is older
than the code's (`rapportage.projecties.service.PROJECTIE_VERSIE`). The time and date
indexes on the fact tables served the old reads only and are dropped.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FEITEN = (
    "rap_meldingen",
    "rap_bps_meldingen",
    "rap_categoriseringen",
    "rap_schendingen",
    "rap_melding_stappen",
    "rap_misstanden",
    "rap_onderzoeken",
    "rap_rp_onderzoeken",
    "rap_nevenwerkzaamheden",
    "rap_adviezen",
    "rap_klachten",
    "rap_klacht_stappen",
    "rap_casussen",
    "rap_vertrouwenspersonen",
    "rap_opleidingen",
)
DATUM_INDEXEN = (
    ("rap_meldingen", "ontvangen_datum"),
    ("rap_bps_meldingen", "registratiedatum"),
    ("rap_nevenwerkzaamheden", "registratiedatum"),
    ("rap_klachten", "ontvangen_datum"),
    ("rap_casussen", "datum"),
    ("rap_opleidingen", "datum"),
)


def _big() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("rap_versie") as batch:
        batch.add_column(sa.Column("projectie", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "rap_tellingen",
        sa.Column("dag", sa.Date(), nullable=False),
        sa.Column("sleutel", sa.String(200), nullable=False),
        sa.Column("aantal", _big(), nullable=False),
        sa.PrimaryKeyConstraint("dag", "sleutel", name=op.f("pk_rap_tellingen")),
    )
    op.create_table(
        "rap_totalen",
        sa.Column("sleutel", sa.String(200), nullable=False),
        sa.Column("aantal", _big(), nullable=False),
        sa.PrimaryKeyConstraint("sleutel", name=op.f("pk_rap_totalen")),
    )
    for table in FEITEN:
        op.drop_index(op.f(f"ix_{table}_registered_at"), table_name=table)
    for table, column in DATUM_INDEXEN:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)


def downgrade() -> None:
    for table, column in DATUM_INDEXEN:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])
    for table in FEITEN:
        op.create_index(op.f(f"ix_{table}_registered_at"), table, ["registered_at"])
    op.drop_table("rap_totalen")
    op.drop_table("rap_tellingen")
    with op.batch_alter_table("rap_versie") as batch:
        batch.drop_column("projectie")
