"""The AsyncAPI 3.0 document of every topic, generated from the one model per event type."""

from __future__ import annotations

from typing import Any

from integriteit_shared.events import topics
from integriteit_shared.events.models import EVENT_TYPES, EventData

_TOPIC_DESCRIPTIONS = {
    topics.MELDPUNT: "Meldingen, misstanden, integriteitsonderzoeken en nevenwerkzaamheden.",
    topics.VERTROUWENSPERSONEN: (
        "Register van vertrouwenspersonen, casussen en informele gesprekken."
    ),
    topics.KLACHTEN: "Klachten onder de Klachtenregeling Defensie.",
    topics.KMAR_BPS: "KMar's eigen registratiesysteem (BPS); ook via POST /gebeurtenissen.",
    topics.ECLD_OPLEIDINGEN: "Deelname aan opleidingen (ECLD); ook via POST /gebeurtenissen.",
    topics.AUDIT: (
        "De kop van het auditlog van elke dienst (volgnummer en HMAC), periodiek en bij het "
        "stoppen; rapportage bewaart ze als ankers voor `integriteit audit-verify`."
    ),
}


def _message_name(cls: type[EventData]) -> str:
    return cls.__name__


def _key_description(cls: type[EventData]) -> str:
    return f"the {cls.subject_field}" if cls.subject_field else "the event id"


def asyncapi_document(version: str = "1.0.0") -> dict[str, Any]:
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    by_topic: dict[str, list[type[EventData]]] = {}
    for cls in EVENT_TYPES.values():
        by_topic.setdefault(cls.topic(), []).append(cls)

    for topic, classes in by_topic.items():
        channel_id = topic.replace(".", "_")
        channels[channel_id] = {
            "address": topic,
            "description": _TOPIC_DESCRIPTIONS.get(topic, ""),
            "messages": {
                _message_name(c): {"$ref": f"#/components/messages/{_message_name(c)}"}
                for c in classes
            },
        }
        operations[f"publiceer_{channel_id}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "summary": f"{classes[0].system} publiceert op {topic}",
        }
        for cls in classes:
            schema = cls.model_json_schema(
                by_alias=True, ref_template="#/components/schemas/{model}"
            )
            for name, sub in schema.pop("$defs", {}).items():
                schemas[name] = sub
            schemas[_message_name(cls)] = schema
            messages[_message_name(cls)] = {
                "name": cls.event_type,
                "title": cls.__name__,
                "contentType": "application/json",
                "description": (
                    f"CloudEvent type `{cls.event_type}`, source `{cls.source()}`; "
                    f"Kafka key and ce_subject: {_key_description(cls)}."
                ),
                "headers": {"$ref": "#/components/schemas/CloudEventsKafkaHeaders"},
                "payload": {"$ref": f"#/components/schemas/{_message_name(cls)}"},
                "bindings": {"kafka": {"key": {"type": "string"}}},
            }
    schemas["CloudEventsKafkaHeaders"] = {
        "type": "object",
        "description": "CloudEvents 1.0 Kafka binary mode. No personal data, ever.",
        "required": ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time"],
        "properties": {
            "ce_specversion": {"type": "string", "const": "1.0"},
            "ce_id": {"type": "string", "format": "uuid"},
            "ce_source": {"type": "string", "pattern": "^urn:nld:integriteit:systeem:"},
            "ce_type": {"type": "string", "pattern": "^nl\\.integriteit\\."},
            "ce_time": {"type": "string", "format": "date-time"},
            "ce_subject": {"type": "string"},
            "ce_sequence": {
                "type": "string",
                "pattern": "^[1-9][0-9]*$",
                "description": (
                    "CloudEvents `sequence` extension on the events of our own services: per "
                    "source one more for each event, so that a consumer sees a gap (see "
                    "integriteit.herpublicatie.v1). A repeat carries the same number."
                ),
            },
            "content-type": {"type": "string", "const": "application/json"},
        },
    }
    channels["integriteit_dlq_v1"] = {
        "address": topics.DLQ,
        "description": (
            "Dead letters. The value is the refused record (key, value and headers) encrypted "
            "with the consuming service's field key, a FieldCipher token bound to its origin; "
            "in clear only `ce_specversion`, `ce_id`, `ce_source`, `ce_type` and `dlq_reason`, "
            "`dlq_topic`, `dlq_partition`, `dlq_offset`, `dlq_group`, `dlq_key_id`."
        ),
    }
    channels["integriteit_herpublicatie_v1"] = {
        "address": topics.HERPUBLICATIE,
        "description": (
            "Control messages, keyed by source, plain JSON (not CloudEvents). "
            '`{"soort": "stand", "bron", "hoogste"}`: a producer has sent its sequences 1 up '
            'to `hoogste` (every few seconds). `{"soort": "verzoek", "bron", "vanaf", "tot"}`: '
            "a consumer misses that range of `bron`; its relay sends it again. No personal "
            "data, no event content."
        ),
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "integriteit events",
            "version": version,
            "description": (
                "The events the integriteit services publish and rapportage consumes. Generated "
                "from integriteit_shared.events.models: one model per event type."
            ),
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
