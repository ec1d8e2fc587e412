"""The vertrouwenspersonen database schema: the shared tables plus this service's own."""

from integriteit_shared.bewaartermijnen import Bewaarplicht
from integriteit_shared.crypto.audit import AuditEntry
from integriteit_shared.crypto.gegevenssleutels import Gegevenssleutel
from integriteit_shared.db.base import Base
from integriteit_shared.messaging.models import InboxMessage, OutboxMessage
from vertrouwenspersonen.casus.models import Casus
from vertrouwenspersonen.informeel_gesprek.models import InformeelGesprek
from vertrouwenspersonen.vertrouwenspersoon.models import Vertrouwenspersoon

metadata = Base.metadata

# (table, column) of every field encrypted with integriteit_shared.crypto.field_aad:
# what `integriteit sleutels-roteren vertrouwenspersonen` moves to the active key.
ENCRYPTED_FIELDS: tuple[tuple[str, str], ...] = (
    ("casussen", "notitie"),
    # the data keys (integriteit_shared.crypto.gegevenssleutels): rotation rewraps them
    ("gegevenssleutels", "sleutel"),
    ("bewaarplichten", "reden"),
)

__all__ = [
    "ENCRYPTED_FIELDS",
    "AuditEntry",
    "Bewaarplicht",
    "Casus",
    "Gegevenssleutel",
    "InboxMessage",
    "InformeelGesprek",
    "OutboxMessage",
    "Vertrouwenspersoon",
    "metadata",
]
