"""The rapportage database schema: the shared tables plus this service's own."""

from integriteit_shared.crypto.audit import AuditEntry
from integriteit_shared.db.base import Base
from integriteit_shared.messaging.models import InboxMessage, OutboxMessage
from rapportage.ledger.historie import HistorischeImport
from rapportage.projecties import models as projecties

metadata = Base.metadata

# (table, column) of every field encrypted with integriteit_shared.crypto.field_aad:
# what `integriteit sleutels-roteren rapportage` moves to the active key.
ENCRYPTED_FIELDS: tuple[tuple[str, str], ...] = ()

__all__ = [
    "ENCRYPTED_FIELDS",
    "AuditEntry",
    "HistorischeImport",
    "InboxMessage",
    "OutboxMessage",
    "metadata",
    "projecties",
]
