"""Each event model carries exactly the contract's data fields, and the envelope round-trips."""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import UTC, date, datetime

import pytest
from cloudevents.core.bindings import http as http_binding
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from cloudevents.v1.conversion import to_structured as v1_to_structured
from cloudevents.v1.http import CloudEvent as V1CloudEvent

from integriteit_shared.codes import HOOFDCATEGORIEEN, SUBCATEGORIEEN
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
    "meldpunt.melding-toegewezen": "meldingId, datum",  # never the sub (contract additions)
    "meldpunt.nazorg-uitgevoerd": "meldingId, datum, benadelingGemeld",
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
    # CONTRACT.md's additions: topic integriteit.audit.v1, each service's chain head
    "audit.ketenkop-gepubliceerd": "volgnummer, hmac",
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


def _reden(data: dict[str, object]) -> str:
    env = new_envelope(_melding())
    body = {**to_structured(env), "data": {**env.data, **data}}
    with pytest.raises(InvalidEvent) as refused:
        parse(from_structured(body))
    return refused.value.reason


def _genoemd(reden: str) -> set[str]:
    """The subcategorie codes a reason names."""
    alle = {c for codes_ in SUBCATEGORIEEN.values() for c in codes_}
    return {c for c in alle if re.search(rf"(?<![a-z_]){c}(?![a-z_])", reden)}


@pytest.mark.parametrize("subcategorie", ["pesten", "geen_code", "Jan Jansen"])
def test_wrong_subcategorie_names_the_field_and_only_its_hoofdcategories_codes(
    subcategorie: str,
) -> None:
    """A code of another hoofdcategorie or no code at all: the reason names `subcategorie`
    and the subcategorieën of the event's hoofdcategorie, not all twenty, never the value."""
    reden = _reden({"hoofdcategorie": "overig", "subcategorie": subcategorie})
    assert "subcategorie:" in reden and "'overig'" in reden
    assert _genoemd(reden) == set(SUBCATEGORIEEN["overig"]), reden
    assert subcategorie not in reden.replace("'overig'", "")


def test_unknown_hoofdcategorie_lists_its_own_codes_only() -> None:
    reden = _reden({"hoofdcategorie": "iets", "subcategorie": "ook_iets"})
    assert "hoofdcategorie:" in reden and all(h in reden for h in HOOFDCATEGORIEEN)
    assert "subcategorie:" in reden and _genoemd(reden) <= set(HOOFDCATEGORIEEN), reden


def test_structured_event_with_data_base64_from_the_sdk() -> None:
    """cloudevents 1.x and 2.x write bytes data as `data_base64`."""
    env = new_envelope(_melding())
    attributes = {
        "specversion": "1.0",
        "id": env.id,
        "source": env.source,
        "type": env.type,
        "time": env.time,
        "subject": env.subject,
        "datacontenttype": "application/json",
    }
    payload = json.dumps(dict(env.data)).encode()
    v1_attributes = {**attributes, "time": env.time.isoformat()}  # 1.x takes text
    v1 = json.loads(v1_to_structured(V1CloudEvent(v1_attributes, payload))[1])
    v2 = json.loads(http_binding.to_structured(CloudEvent(attributes, payload), JSONFormat()).body)
    for body in (v1, v2):
        assert "data_base64" in body and "data" not in body
        assert parse(from_structured(body)) == parse(env)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"data_base64": "bm9n IGdlZW4="}, "geen geldige base64"),
        ({"data_base64": base64.b64encode(b"geen json").decode()}, "'data_base64' is geen JSON"),
        ({"data_base64": base64.b64encode(b"[1]").decode()}, "'data_base64' moet een JSON-"),
        ({"data_base64": 5}, "geen geldige base64"),
        ({"data": {}, "data_base64": "e30="}, "samen"),
    ],
)
def test_bad_data_base64_has_a_reason(change: dict[str, object], reason: str) -> None:
    body = {k: v for k, v in to_structured(new_envelope(_melding())).items() if k != "data"}
    with pytest.raises(InvalidEvent, match=reason):
        from_structured({**body, **change})


@pytest.mark.parametrize("header", ["ce_id", "ce_source", "ce_type", "ce_time"])
def test_binary_message_without_a_required_header_is_refused(header: str) -> None:
    record = to_kafka(new_envelope(_melding()))
    headers = [(k, v) for k, v in record.headers if k != header]
    with pytest.raises(InvalidEvent, match=header):
        from_kafka(record.key, record.value, headers)


def test_subcategorie_type_and_table_name_the_same_codes() -> None:
    """The Literal (for types and the OpenAPI component) and the table per hoofdcategorie
    (for the allowed-values check) are written out twice; they must not drift apart."""
    from integriteit_shared.codes import Subcategorie, waarden

    in_table = [c for codes_ in SUBCATEGORIEEN.values() for c in codes_]
    assert sorted(waarden(Subcategorie)) == sorted(in_table)
    assert len(in_table) == len(set(in_table))
