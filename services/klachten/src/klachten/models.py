"""The klachten database schema: the shared tables plus this service's own."""

from integriteit_shared.crypto.audit import AuditEntry
from integriteit_shared.db.base import Base
from integriteit_shared.messaging.models import InboxMessage, OutboxMessage
from klachten.klacht.models import Klacht

metadata = Base.metadata

__all__ = ["AuditEntry", "InboxMessage", "Klacht", "OutboxMessage", "metadata"]
