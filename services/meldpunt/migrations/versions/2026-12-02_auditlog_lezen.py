"""audit_log indexed for its readers: by object, by actor and by period (GET /auditlog)

Revision ID: inzage_auditlog
Revises: 20261201_adres
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from integriteit_shared.db.migrations import index_audit_log, unindex_audit_log

revision: str = "inzage_auditlog"
down_revision: str | None = "20261201_adres"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    index_audit_log()


def downgrade() -> None:
    unindex_audit_log()
