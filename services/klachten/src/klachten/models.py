"""The klachten database schema: the shared tables plus this service's own."""

from integriteit_shared.bewaartermijnen import Bewaarplicht
from integriteit_shared.crypto.audit import AuditEntry
from integriteit_shared.crypto.gegevenssleutels import Gegevenssleutel
from integriteit_shared.db.base import Base
from integriteit_shared.messaging.models import InboxMessage, OutboxMessage
from klachten.klacht.models import Klacht

metadata = Base.metadata

# (table, column) of every field encrypted with integriteit_shared.crypto.field_aad:
# what `integriteit sleutels-roteren klachten` moves to the active key.
ENCRYPTED_FIELDS: tuple[tuple[str, str], ...] = (
    ("klachten", "omschrijving"),
    ("klachten", "verdaging_reden"),
    # the data keys (integriteit_shared.crypto.gegevenssleutels): rotation rewraps them
    ("gegevenssleutels", "sleutel"),
    ("bewaarplichten", "reden"),
)

__all__ = [
    "ENCRYPTED_FIELDS",
    "AuditEntry",
    "Bewaarplicht",
    "Gegevenssleutel",
    "InboxMessage",
    "Klacht",
    "OutboxMessage",
    "metadata",
]
