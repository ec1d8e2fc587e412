"""mijn klachten: a medewerker's own klacht linked by a keyed hash of their sub

Revision ID: 20261201_mijn
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_mijn"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("klachten") as batch:
        batch.add_column(sa.Column("indiener_koppeling", sa.String(64), nullable=True))
        batch.create_index(op.f("ix_klachten_indiener_koppeling"), ["indiener_koppeling"])


def downgrade() -> None:
    with op.batch_alter_table("klachten") as batch:
        batch.drop_index(op.f("ix_klachten_indiener_koppeling"))
        batch.drop_column("indiener_koppeling")
