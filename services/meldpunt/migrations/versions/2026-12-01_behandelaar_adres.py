"""meldingen.behandelaar_adres: where the behandelaar's reminders go (encrypted)

Revision ID: 20261201_adres
Revises: 20261201_zaak
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_adres"
down_revision: str | None = "20261201_zaak"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("meldingen", sa.Column("behandelaar_adres", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meldingen") as batch:
        batch.drop_column("behandelaar_adres")
