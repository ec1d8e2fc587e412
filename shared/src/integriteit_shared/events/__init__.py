"""Events: topics, one model per event type, and the CloudEvents envelope."""

from integriteit_shared.events import topics
from integriteit_shared.events.envelope import (
    Envelope,
    InvalidEvent,
    KafkaRecord,
    from_kafka,
    from_structured,
    new_envelope,
    parse,
    to_kafka,
    to_structured,
)
from integriteit_shared.events.models import EVENT_TYPES, EventData

__all__ = [
    "EVENT_TYPES",
    "Envelope",
    "EventData",
    "InvalidEvent",
    "KafkaRecord",
    "from_kafka",
    "from_structured",
    "new_envelope",
    "parse",
    "to_kafka",
    "to_structured",
    "topics",
]
