"""bewaartermijnen: a data key per record (crypto-shredding) and legal holds

Revision ID: bewaar_bewaartermijnen
Revises: inzage_auditlog
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from integriteit_shared.db.migrations import (
    create_bewaarplichten,
    create_gegevenssleutels,
    drop_bewaartabellen,
)

revision: str = "bewaar_bewaartermijnen"
down_revision: str | None = "inzage_auditlog"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_gegevenssleutels()
    create_bewaarplichten()


def downgrade() -> None:
    drop_bewaartabellen()
