"""Messaging: transactional outbox + relay, consumer runner with inbox dedupe and DLQ."""

from integriteit_shared.messaging.consumer import ConsumerRunner, Handler, store_in_inbox
from integriteit_shared.messaging.kafka import ensure_topics, make_consumer, make_producer
from integriteit_shared.messaging.models import InboxMessage, OutboxMessage
from integriteit_shared.messaging.outbox import publish, publish_envelope
from integriteit_shared.messaging.relay import OutboxRelay

__all__ = [
    "ConsumerRunner",
    "Handler",
    "InboxMessage",
    "OutboxMessage",
    "OutboxRelay",
    "ensure_topics",
    "make_consumer",
    "make_producer",
    "publish",
    "publish_envelope",
    "store_in_inbox",
]
