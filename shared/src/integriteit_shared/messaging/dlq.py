"""Dead letters without personal data in clear: the refused record is sealed.

A refused event can carry what it should not (an unexpected `"naam": ...` is the very
reason it was refused), and anyone who may read `integriteit.dlq.v1` would read it. So the
dead letter's value is the whole original record (key, value and headers) encrypted with
the consuming service's field key (`FieldCipher`, AES-256-GCM), bound to where the record
came from (topic, partition, offset). Only that service's key ring can read it back, for
instance to process it again once the reason is fixed.

In clear stay what is needed to find and sort dead letters and holds no personal data: the
`dlq_*` headers (reason, origin, consumer group, the key id in `dlq_key_id`) and the
CloudEvents attributes `ce_specversion`, `ce_id`, `ce_source` and `ce_type`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass

from integriteit_shared.crypto.fields import FieldCipher
from integriteit_shared.events import topics

CLEAR_HEADERS = ("ce_specversion", "ce_id", "ce_source", "ce_type")
KEY_ID_HEADER = "dlq_key_id"


@dataclass(frozen=True)
class DeadLetter:
    """A refused record as it was consumed, and why and where it was refused."""

    topic: str
    partition: int
    offset: int
    reason: str
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes | None]]


@dataclass(frozen=True)
class SealedRecord:
    value: bytes
    headers: list[tuple[str, bytes | None]]


def _aad(topic: str, partition: int, offset: int) -> str:
    return f"{topics.DLQ}:{topic}:{partition}:{offset}"


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _unb64(data: str | None) -> bytes | None:
    return None if data is None else base64.b64decode(data, validate=True)


def seal(cipher: FieldCipher, letter: DeadLetter, *, group: str) -> SealedRecord:
    """The record for the dead-letter topic: original sealed, reason and origin in clear."""
    original = {
        "key": _b64(letter.key),
        "value": _b64(letter.value),
        "headers": [[name, _b64(value)] for name, value in letter.headers],
    }
    token = cipher.encrypt(
        json.dumps(original), aad=_aad(letter.topic, letter.partition, letter.offset)
    )
    headers = [(name, value) for name, value in letter.headers if name in CLEAR_HEADERS]
    headers += [
        ("dlq_reason", letter.reason.encode()),
        ("dlq_topic", letter.topic.encode()),
        ("dlq_partition", str(letter.partition).encode()),
        ("dlq_offset", str(letter.offset).encode()),
        ("dlq_group", group.encode()),
        (KEY_ID_HEADER, cipher.active_kid.encode()),
    ]
    return SealedRecord(value=token.encode("ascii"), headers=headers)


def unseal(
    cipher: FieldCipher, value: bytes, headers: Sequence[tuple[str, bytes | None]]
) -> DeadLetter:
    """The original record of a dead letter; `DecryptionError` without the right key."""
    hdrs = {name: raw.decode() for name, raw in headers if name.startswith("dlq_") and raw}
    topic, partition, offset = (
        hdrs["dlq_topic"],
        int(hdrs["dlq_partition"]),
        int(hdrs["dlq_offset"]),
    )
    token = value.decode("ascii")
    original = json.loads(cipher.decrypt(token, aad=_aad(topic, partition, offset)))
    return DeadLetter(
        topic=topic,
        partition=partition,
        offset=offset,
        reason=hdrs["dlq_reason"],
        key=_unb64(original["key"]),
        value=_unb64(original["value"]),
        headers=[(name, _unb64(raw)) for name, raw in original["headers"]],
    )
