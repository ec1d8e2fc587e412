"""The rapportage database schema: the shared tables plus this service's own."""

from integriteit_shared.crypto.audit import AuditEntry
from integriteit_shared.db.base import Base
from integriteit_shared.messaging.models import InboxMessage, OutboxMessage
from rapportage.projecties import models as projecties

metadata = Base.metadata

__all__ = ["AuditEntry", "InboxMessage", "OutboxMessage", "metadata", "projecties"]
