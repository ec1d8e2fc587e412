"""CloudEvents 1.0 envelope: Kafka binary mode (via the cloudevents SDK) and structured JSON."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.exceptions import BaseCloudEventException
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from pydantic import ValidationError

from integriteit_shared.events.models import EVENT_TYPES, EventData
from integriteit_shared.events.topics import TYPE_PREFIX
from integriteit_shared.schemas import buiten_bereik

_FORMAT = JSONFormat()
CONTENT_TYPE = "application/json"


class InvalidEvent(ValueError):
    """An event that cannot be accepted; `reason` goes to the DLQ header or the 202 body."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Envelope:
    id: str
    source: str
    type: str
    time: datetime
    subject: str | None
    data: Mapping[str, Any]
    # CloudEvents `sequence` extension: per source, one more for each event our own
    # services publish (assigned by the outbox relay), so a consumer can see a gap. None
    # for events from outside (KMar, ECLD) and for events not yet sent.
    sequence: int | None = None
    # when the consumer took it into its ledger (bitemporal: `time` is what the producer
    # reports, this is when the ledger knew it); None until then
    geboekt_op: datetime | None = None

    @property
    def topic(self) -> str:
        cls = EVENT_TYPES.get(self.type)
        if cls is None:
            raise InvalidEvent(f"onbekend type '{self.type}'")
        return cls.topic()

    @property
    def key(self) -> bytes:
        return (self.subject or self.id).encode()


@dataclass(frozen=True)
class KafkaRecord:
    topic: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


def new_envelope(
    event: EventData,
    *,
    time: datetime | None = None,
    event_id: str | None = None,
    source: str | None = None,
) -> Envelope:
    """Wrap event data; `time` is when it was registered (defaults to now, UTC); `source`
    only for a type more than one system publishes (one of its `allowed_sources`)."""
    source = source or event.source()
    if source not in event.allowed_sources():
        raise ValueError(f"source {source!r} may not publish {event.event_type!r}")
    return Envelope(
        id=event_id or str(uuid.uuid4()),
        source=source,
        type=event.event_type,
        time=(time or datetime.now(UTC)).astimezone(UTC),
        subject=event.subject(),
        data=event.wire(),
    )


def _to_cloudevent(env: Envelope) -> CloudEvent:
    attributes: dict[str, Any] = {
        "id": env.id,
        "source": env.source,
        "type": env.type,
        "specversion": "1.0",
        "time": env.time,
        "datacontenttype": CONTENT_TYPE,
    }
    if env.subject is not None:
        attributes["subject"] = env.subject
    if env.sequence is not None:
        attributes["sequence"] = str(env.sequence)
    return CloudEvent(attributes, dict(env.data))


def to_kafka(env: Envelope) -> KafkaRecord:
    msg = ce_kafka.to_binary(_to_cloudevent(env), _FORMAT, key_mapper=lambda _e: env.key)
    key = msg.key if isinstance(msg.key, bytes) else (msg.key or "").encode()
    return KafkaRecord(topic=env.topic, key=key, value=msg.value, headers=list(msg.headers.items()))


def _from_cloudevent(ce: Any, *, data_attr: str = "data") -> Envelope:
    time = ce.get_time()
    if time is None:
        raise InvalidEvent("'time' ontbreekt")
    if time.tzinfo is None:
        raise InvalidEvent("'time' zonder tijdzone")
    if reden := buiten_bereik(time):
        raise InvalidEvent(f"'time' {reden[0].lower()}{reden[1:]}")
    data = ce.get_data()
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise InvalidEvent(f"'{data_attr}' is geen JSON") from exc
    if not isinstance(data, dict):
        raise InvalidEvent(f"'{data_attr}' moet een JSON-object zijn")
    subject = ce.get_subject()
    return Envelope(
        id=ce.get_id(),
        source=ce.get_source(),
        type=ce.get_type(),
        time=time.astimezone(UTC),
        subject=subject,
        data=data,
        sequence=_sequence(ce.get_extension("sequence")),
    )


SEQUENCE_HEADER = "ce_sequence"


def _sequence(value: Any) -> int | None:
    """The `sequence` extension: a decimal string of a positive integer, or absent."""
    if value is None:
        return None
    text = value.decode() if isinstance(value, bytes) else str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 18 or int(text) < 1:
        raise InvalidEvent("'sequence' moet een positief geheel getal zijn")
    return int(text)


def from_kafka(
    key: bytes | None, value: bytes | None, headers: Sequence[tuple[str, bytes]]
) -> Envelope:
    hdrs = {k: v for k, v in headers}
    if "ce_specversion" not in hdrs:
        raise InvalidEvent("geen CloudEvent in binaire modus (ce_specversion ontbreekt)")
    if hdrs["ce_specversion"] != b"1.0":
        raise InvalidEvent("alleen CloudEvents 1.0 wordt ondersteund")
    # The SDK fills in a missing id or time itself; a message without them is not ours.
    for required in ("ce_id", "ce_source", "ce_type", "ce_time"):
        if not hdrs.get(required):
            raise InvalidEvent(f"header '{required}' ontbreekt")
    try:
        ce = ce_kafka.from_binary(
            ce_kafka.KafkaMessage(headers=hdrs, key=key, value=value or b""),
            _FORMAT,
            CloudEvent,
        )
    except (BaseCloudEventException, ValueError, UnicodeDecodeError) as exc:
        raise InvalidEvent(f"ongeldige CloudEvent: {_short(exc)}") from exc
    return _from_cloudevent(ce)


def from_structured(obj: Mapping[str, Any]) -> Envelope:
    """One CloudEvent in structured JSON (the REST ingress).

    The data is a JSON object, in `data` or, base64-encoded, in `data_base64` (what the
    cloudevents SDK writes for data given as bytes).
    """
    if obj.get("specversion") != "1.0":
        raise InvalidEvent("'specversion' moet '1.0' zijn")
    for attr in ("id", "source", "type", "time"):
        if attr not in obj:
            raise InvalidEvent(f"'{attr}' ontbreekt")
    # Context attributes are text (CloudEvents 1.0); the SDK's parsers fail on anything else
    # with an error that differs per Python version, so it is refused here, by name.
    for attr in ("id", "source", "type", "time", "subject", "datacontenttype", "dataschema"):
        if attr in obj and not isinstance(obj[attr], str):
            raise InvalidEvent(f"'{attr}' moet tekst zijn")
    data_attr = _data_attribute(obj)
    try:
        ce = _FORMAT.read(CloudEvent, json.dumps(obj).encode())
    except (BaseCloudEventException, ValueError, TypeError) as exc:
        raise InvalidEvent(f"ongeldige CloudEvent: {_short(exc)}") from exc
    return _from_cloudevent(ce, data_attr=data_attr)


def _data_attribute(obj: Mapping[str, Any]) -> str:
    """Which of `data` and `data_base64` carries the data: exactly one of them must."""
    if "data" in obj and "data_base64" in obj:
        raise InvalidEvent("'data' en 'data_base64' samen; geef er één")
    if "data" in obj:
        return "data"
    if "data_base64" not in obj:
        raise InvalidEvent("'data' ontbreekt")
    encoded = obj["data_base64"]
    try:
        # the SDK decodes leniently (skipping stray characters): check it strictly first
        base64.b64decode(encoded, validate=True)
    except (binascii.Error, TypeError, ValueError) as exc:
        raise InvalidEvent("'data_base64' is geen geldige base64") from exc
    return "data_base64"


def to_structured(env: Envelope) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(_FORMAT.write(_to_cloudevent(env)))
    return body


def parse(env: Envelope) -> EventData:
    """Validate an envelope against its event model: type known, source right, data valid."""
    cls = EVENT_TYPES.get(env.type)
    if cls is None:
        if not env.type.startswith(TYPE_PREFIX):
            raise InvalidEvent(f"vreemd type '{env.type}'")
        raise InvalidEvent(f"onbekend type '{env.type}'")
    if env.source not in cls.allowed_sources():
        raise InvalidEvent(f"source '{env.source}' mag type '{env.type}' niet publiceren")
    try:
        uuid.UUID(env.id)
    except ValueError as exc:
        raise InvalidEvent("'id' moet een UUID zijn") from exc
    try:
        return cls.model_validate(dict(env.data))
    except ValidationError as exc:
        raise InvalidEvent("ongeldige data: " + validation_summary(exc)) from exc


def validation_summary(exc: ValidationError) -> str:
    """Field paths and messages only: never the input values (they might be personal)."""
    parts = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "data"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def _short(exc: Exception) -> str:
    return type(exc).__name__
