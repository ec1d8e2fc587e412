"""aiokafka clients configured the same way everywhere (see ARCHITECTURE.md's broker notes)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from aiokafka.helpers import create_ssl_context

from integriteit_shared.events import topics
from integriteit_shared.settings import ServiceSettings


def security(settings: ServiceSettings) -> dict[str, Any]:
    """The client's security settings: protocol, SASL mechanism and principal, the CA."""
    protocol = settings.kafka_security_protocol
    kwargs: dict[str, Any] = {"security_protocol": protocol}
    if protocol in ("SSL", "SASL_SSL"):
        cafile = str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None
        kwargs["ssl_context"] = create_ssl_context(cafile=cafile)
    if protocol.startswith("SASL"):
        kwargs["sasl_mechanism"] = settings.kafka_sasl_mechanism
        kwargs["sasl_plain_username"] = settings.kafka_sasl_username
        kwargs["sasl_plain_password"] = settings.kafka_sasl_password
    return kwargs


def make_producer(settings: ServiceSettings, **overrides: Any) -> AIOKafkaProducer:
    # No idempotent/transactional producer: the dev broker lacks it; consumers dedupe.
    kwargs: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap_servers,
        "acks": "all",
        "enable_idempotence": False,
        "request_timeout_ms": 5000,
        "retry_backoff_ms": 200,
        "linger_ms": 2,
        "client_id": f"{settings.service_name}-producer",
        **security(settings),
    }
    kwargs.update(overrides)
    return AIOKafkaProducer(**kwargs)


def make_consumer(
    settings: ServiceSettings, *topic_names: str, group_id: str | None, **overrides: Any
) -> AIOKafkaConsumer:
    kwargs: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap_servers,
        "group_id": group_id,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "fetch_max_wait_ms": settings.kafka_fetch_max_wait_ms,
        "session_timeout_ms": settings.kafka_session_timeout_ms,
        "heartbeat_interval_ms": settings.kafka_heartbeat_interval_ms,
        "max_poll_records": 500,
        # a topic that was missing when the client looked (a broker restarted empty and
        # its topics re-created a moment later) is found within seconds, not 5 minutes
        "metadata_max_age_ms": 10_000,
        "client_id": f"{settings.service_name}-consumer",
        **security(settings),
    }
    kwargs.update(overrides)
    return AIOKafkaConsumer(*topic_names, **kwargs)


async def ensure_topics(
    bootstrap_servers: str,
    names: tuple[str, ...] = topics.ALL,
    *,
    partitions: int = topics.DEV_PARTITIONS,
    replication_factor: int = 1,
    **client: Any,
) -> None:
    """Create the topics that are missing, with `partitions` partitions each (`client`:
    the admin client's security settings, see `security`)."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap_servers, request_timeout_ms=5000, **client
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [n for n in names if n not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # a concurrent creator won
                await admin.create_topics(
                    [
                        NewTopic(
                            name=n,
                            num_partitions=partitions,
                            replication_factor=replication_factor,
                        )
                        for n in missing
                    ]
                )
    finally:
        await admin.close()


async def prepare_topics(settings: ServiceSettings, names: tuple[str, ...]) -> None:
    """Create the missing topics among `names` with the configured partition count, before
    a client of this service sends to or subscribes to them: a broker that creates topics
    on first use (the dev broker does) would otherwise give them its own default count.
    Where this service may not create topics (production ACLs; the kafka-topics step does
    it there) or the broker is away, it goes on: the relay and consumer retry by themselves."""
    with contextlib.suppress(KafkaError, OSError, TimeoutError):
        await asyncio.wait_for(
            ensure_topics(
                settings.kafka_bootstrap_servers,
                names,
                partitions=settings.kafka_partitions,
                **security(settings),
            ),
            10,
        )


class PartitionMismatch(Exception):
    """A topic has another partition count than the settings say: a clear error at start
    (a topic made by hand, or by a broker's auto-create, with the wrong count)."""


async def check_partitions(client: AIOKafkaProducer, names: tuple[str, ...], expected: int) -> None:
    """Raise PartitionMismatch naming each topic whose partition count is not `expected`
    (a topic that does not exist yet is left to whoever creates it)."""
    wrong = []
    for name in names:
        try:
            found = await asyncio.wait_for(client.partitions_for(name), 3)
        except (KafkaError, TimeoutError):
            continue  # not there (yet): nothing to compare
        if found and len(found) != expected:
            wrong.append(f"{name} heeft {len(found)} partities, verwacht {expected}")
    if wrong:
        raise PartitionMismatch(
            "; ".join(wrong) + " (instelling KAFKA_PARTITIONS, of pas het topic aan)"
        )
