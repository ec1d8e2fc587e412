"""The fact rows each event type establishes, from the handlers the aggregate modules register.

Importing this module imports every aggregate module, so that `FACT_HANDLERS` names every
event type of the contract: a new type must be given a handler in its aggregate's module,
or be declared there to establish none (`REGISTER.geen_feiten`).
"""

from __future__ import annotations

from datetime import datetime

from integriteit_shared.events import EventData
from integriteit_shared.events import models as ev
from rapportage.projecties import (  # noqa: F401 - each registers its aggregate kind
    bps_melding,
    casus,
    informele_gesprekken,
    klacht,
    melding,
    misstand,
    nazorg,
    nevenwerkzaamheid,
    onderzoek,
    opleiding,
    rp_onderzoek,
    vertrouwenspersoon,
)
from rapportage.projecties.register import REGISTER, Feit

# an anchor of a service's audit chain: kept in the ledger, counted nowhere
REGISTER.geen_feiten(ev.AuditKetenkop)

FACT_HANDLERS = REGISTER.handlers


def feiten(event_id: str, registered_at: datetime, event: EventData) -> list[Feit]:
    """The fact rows one event establishes (none for events no indicator uses)."""
    handler = FACT_HANDLERS.get(type(event))
    return [] if handler is None else handler(event, event_id, registered_at)
