"""A dead letter is sealed with the service's field key: nothing of the record in clear
but the reason, its origin and the event's id, source and type."""

from __future__ import annotations

import pytest

from integriteit_shared.crypto.fields import DecryptionError, FieldCipher, generate_key_setting
from integriteit_shared.messaging.dlq import DeadLetter, seal, unseal

MARKER = b"Jan Jansen"
CIPHER = FieldCipher.from_setting(generate_key_setting("rap1"))


def _letter(**kw: object) -> DeadLetter:
    values: dict[str, object] = {
        "topic": "kmar.bps.v1",
        "partition": 2,
        "offset": 41,
        "reason": "ongeldige data: naam: Extra inputs are not permitted",
        "key": MARKER,
        "value": b'{"bpsId": "B1", "naam": "' + MARKER + b'"}',
        "headers": [
            ("ce_id", b"d1c9e2a0-0000-4000-8000-000000000001"),
            ("ce_type", b"nl.integriteit.kmar-bps.melding-geregistreerd"),
            ("ce_subject", MARKER),
            ("x-leeg", None),
        ],
    }
    values.update(kw)
    return DeadLetter(**values)  # type: ignore[arg-type]


def test_sealed_dead_letter_opens_to_the_original_record() -> None:
    letter = _letter()
    sealed = seal(CIPHER, letter, group="rapportage")
    assert MARKER not in sealed.value
    assert all(MARKER not in (value or b"") for _, value in sealed.headers)
    clear = dict(sealed.headers)
    assert clear["dlq_key_id"] == b"rap1" and clear["dlq_group"] == b"rapportage"
    assert clear["dlq_reason"] == letter.reason.encode()
    assert clear["ce_type"] == b"nl.integriteit.kmar-bps.melding-geregistreerd"
    assert "ce_subject" not in clear
    assert unseal(CIPHER, sealed.value, sealed.headers) == letter


def test_a_record_without_key_or_value_is_sealed_too() -> None:
    letter = _letter(key=None, value=None, headers=[])
    sealed = seal(CIPHER, letter, group="g")
    assert unseal(CIPHER, sealed.value, sealed.headers) == letter


def test_only_the_key_ring_and_the_original_place_open_it() -> None:
    sealed = seal(CIPHER, _letter(), group="g")
    with pytest.raises(DecryptionError):
        unseal(FieldCipher.from_setting(generate_key_setting("rap1")), sealed.value, sealed.headers)
    moved = [(k, b"42" if k == "dlq_offset" else v) for k, v in sealed.headers]
    with pytest.raises(DecryptionError):
        unseal(CIPHER, sealed.value, moved)
