"""Each event model carries exactly the contract's data fields, and the envelope round-trips."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from integriteit_shared.events import (
    EVENT_TYPES,
    InvalidEvent,
    from_kafka,
    from_structured,
    new_envelope,
    parse,
    to_kafka,
    to_structured,
    topics,
)
from integriteit_shared.events.models import BpsMeldingGeregistreerd, MeldingOntvangen

# The Events table of CONTRACT.md, type suffix → data fields.
CONTRACT = {
    "meldpunt.melding-ontvangen": "meldingId, ontvangenOp, kanaal, defensieonderdeel, "
    "hoofdcategorie, subcategorie, anoniem, vermoedenMisstand",
    "meldpunt.melding-gecategoriseerd": "meldingId, hoofdcategorie, subcategorie",
    "meldpunt.melding-ontvangst-bevestigd": "meldingId, datum",
    "meldpunt.melding-terugkoppeling-gegeven": "meldingId, datum",
    "meldpunt.melding-afdoening-bepaald": "meldingId, afdoening, datum",
    "meldpunt.melding-afgerond": "meldingId, conclusie, datum",
    "meldpunt.misstand-vermoeden-geregistreerd": "meldingId, datum",
    "meldpunt.misstand-afgerond": "meldingId, vastgesteld, datum",
    "meldpunt.integriteitsonderzoek-gestart": "onderzoekId, defensieonderdeel, startdatum, "
    "meldingId",
    "meldpunt.integriteitsonderzoek-afgerond": "onderzoekId, einddatum, conclusie",
    "meldpunt.nevenwerkzaamheid-geregistreerd": "nevenwerkzaamheidId, defensieonderdeel, "
    "registratiedatum, betaald",
    "meldpunt.nevenwerkzaamheid-geadviseerd": "nevenwerkzaamheidId, advies, datum",
    "vertrouwenspersonen.vertrouwenspersoon-aangesteld": "vertrouwenspersoonId, "
    "defensieonderdeel, datum",
    "vertrouwenspersonen.vertrouwenspersoon-beeindigd": "vertrouwenspersoonId, datum",
    "vertrouwenspersonen.casus-geregistreerd": "casusId, defensieonderdeel, datum, "
    "hoofdcategorie, subcategorie",
    "vertrouwenspersonen.casus-afgesloten": "casusId, datum, doorverwezenNaar",
    "vertrouwenspersonen.informele-gesprekken-geteld": "defensieonderdeel, datum, aantal",
    "klachten.klacht-ingediend": "klachtId, ontvangenOp, soort, indiener, defensieonderdeel",
    "klachten.klacht-verdaagd": "klachtId, weken",
    "klachten.cog-behandeling-gestart": "klachtId, datum",
    "klachten.cog-advies-uitgebracht": "klachtId, advies, datum",
    "klachten.klacht-afgehandeld": "klachtId, wijze, oordeel, datum",
    "kmar-bps.melding-geregistreerd": "bpsId, registratiedatum, hoofdcategorie, subcategorie",
    "kmar-bps.schending-vastgesteld": "bpsId, datum",
    "kmar-bps.rechtspositioneel-onderzoek-gestart": "onderzoekId, startdatum",
    "kmar-bps.rechtspositioneel-onderzoek-afgerond": "onderzoekId, einddatum, schendingVastgesteld",
    "ecld.opleidingsdeelname-geregistreerd": "opleiding, datum, aantalDeelnemers",
}


def test_every_contract_event_has_exactly_its_fields() -> None:
    assert set(EVENT_TYPES) == {f"nl.integriteit.{t}" for t in CONTRACT}
    for suffix, fields in CONTRACT.items():
        cls = EVENT_TYPES[f"nl.integriteit.{suffix}"]
        wire = {f.alias or name for name, f in cls.model_fields.items()}
        assert wire == {f.strip() for f in fields.split(",")}, suffix


def _melding() -> MeldingOntvangen:
    return MeldingOntvangen(
        melding_id=str(uuid.uuid4()),
        ontvangen_op=datetime(2024, 3, 1, 9, 30, tzinfo=UTC),
        kanaal="mid",
        defensieonderdeel="CLAS",
        hoofdcategorie="zakelijke_integriteit",
        subcategorie="lekken_informatie",
        anoniem=True,
        vermoeden_misstand=False,
    )


def test_kafka_binary_mode_round_trip_with_contract_headers() -> None:
    event = _melding()
    env = new_envelope(event)
    record = to_kafka(env)
    headers = dict(record.headers)
    assert record.topic == topics.MELDPUNT
    assert record.key == event.melding_id.encode()
    assert headers["ce_specversion"] == b"1.0"
    assert headers["ce_source"] == b"urn:nld:integriteit:systeem:meldpunt"
    assert headers["ce_type"] == b"nl.integriteit.meldpunt.melding-ontvangen"
    assert headers["ce_subject"] == event.melding_id.encode()
    assert headers["content-type"] == b"application/json"
    uuid.UUID(headers["ce_id"].decode())
    assert parse(from_kafka(record.key, record.value, record.headers)) == event


def test_structured_round_trip() -> None:
    env = new_envelope(_melding())
    assert parse(from_structured(to_structured(env))) == parse(env)


def test_foreign_source_for_a_type_is_refused() -> None:
    bps = BpsMeldingGeregistreerd(
        bps_id="BPS-1",
        registratiedatum=date(2024, 2, 2),
        hoofdcategorie="ongewenst_gedrag",
        subcategorie="pesten",
    )
    body = to_structured(new_envelope(bps))
    body["source"] = "urn:nld:integriteit:systeem:ecld"
    with pytest.raises(InvalidEvent, match="source"):
        parse(from_structured(body))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"type": "com.example.iets"}, "vreemd type"),
        ({"type": "nl.integriteit.meldpunt.bestaat-niet"}, "onbekend type"),
        ({"id": "geen-uuid"}, "UUID"),
        ({"data": {"meldingId": "x"}}, "ongeldige data"),
    ],
)
def test_invalid_envelopes_have_a_reason(change: dict[str, object], reason: str) -> None:
    body = {**to_structured(new_envelope(_melding())), **change}
    with pytest.raises(InvalidEvent, match=reason):
        parse(from_structured(body))


def test_subcategorie_must_belong_to_hoofdcategorie() -> None:
    data = _melding().wire() | {"subcategorie": "pesten"}
    with pytest.raises(ValueError, match="hoort niet bij"):
        MeldingOntvangen.model_validate(data)


@pytest.mark.parametrize("header", ["ce_id", "ce_source", "ce_type", "ce_time"])
def test_binary_message_without_a_required_header_is_refused(header: str) -> None:
    record = to_kafka(new_envelope(_melding()))
    headers = [(k, v) for k, v in record.headers if k != header]
    with pytest.raises(InvalidEvent, match=header):
        from_kafka(record.key, record.value, headers)
