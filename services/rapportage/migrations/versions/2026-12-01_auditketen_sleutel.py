"""audit_log keyed: volgnummer and an HMAC under the audit key; existing entries verified and signed

Revision ID: a16_auditsleutel
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from integriteit_shared.db.migrations import key_audit_chain, unkey_audit_chain

revision: str = "a16_auditsleutel"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    key_audit_chain()


def downgrade() -> None:
    unkey_audit_chain()
