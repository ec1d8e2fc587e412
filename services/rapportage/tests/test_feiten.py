"""The fact handlers: every event type of the contract is decided on, none forgotten."""

from __future__ import annotations

from integriteit_shared.events.models import EVENT_TYPES
from rapportage.projecties.feiten import FACT_HANDLERS


def test_every_event_type_has_a_fact_handler() -> None:
    missing = {t.event_type for t in EVENT_TYPES.values()} - {t.event_type for t in FACT_HANDLERS}
    assert not missing, f"no fact handler (or `_no_facts`) for {sorted(missing)}"
    assert len(FACT_HANDLERS) == len(EVENT_TYPES)
