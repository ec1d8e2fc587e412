"""The meldpunt database schema: the shared tables plus this service's own."""

from integriteit_shared.bewaartermijnen import Bewaarplicht
from integriteit_shared.crypto.audit import AuditEntry
from integriteit_shared.crypto.gegevenssleutels import Gegevenssleutel
from integriteit_shared.db.base import Base
from integriteit_shared.messaging.models import InboxMessage, OutboxMessage
from meldpunt.behandeling.models import MelderInzage, Notitie, Uitsluiting
from meldpunt.bericht.models import Bericht
from meldpunt.bijlage.models import Bijlage
from meldpunt.integriteitsonderzoek.models import Integriteitsonderzoek
from meldpunt.melding.models import Melding, MeldingReferentieTeller
from meldpunt.nazorg.models import NazorgContact
from meldpunt.nevenwerkzaamheid.models import Nevenwerkzaamheid
from meldpunt.tijdlijn.models import MeldingStap
from meldpunt.volgsessie.models import Volgsessie

metadata = Base.metadata

# (table, column) of every field encrypted with integriteit_shared.crypto.field_aad:
# what `integriteit sleutels-roteren meldpunt` moves to the active key.
ENCRYPTED_FIELDS: tuple[tuple[str, str], ...] = (
    ("meldingen", "omschrijving"),
    ("meldingen", "melder"),
    ("meldingen", "behandelaar_adres"),
    ("berichten", "tekst"),
    ("nevenwerkzaamheden", "omschrijving"),
    ("melding_uitsluitingen", "reden"),
    ("melding_notities", "tekst"),
    ("melder_inzagen", "reden"),
    ("bijlagen", "naam"),
    ("bijlagen", "inhoud"),
    ("melding_nazorg", "toelichting"),
    # the data keys (integriteit_shared.crypto.gegevenssleutels): rotating the service key
    # rewraps them; the texts under them stay as they are
    ("gegevenssleutels", "sleutel"),
    ("bewaarplichten", "reden"),
)

__all__ = [
    "ENCRYPTED_FIELDS",
    "AuditEntry",
    "Bericht",
    "Bewaarplicht",
    "Bijlage",
    "Gegevenssleutel",
    "InboxMessage",
    "Integriteitsonderzoek",
    "MelderInzage",
    "Melding",
    "MeldingReferentieTeller",
    "MeldingStap",
    "NazorgContact",
    "Nevenwerkzaamheid",
    "Notitie",
    "OutboxMessage",
    "Uitsluiting",
    "Volgsessie",
    "metadata",
]
