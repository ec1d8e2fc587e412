"""The published AsyncAPI document is the one the event models generate: never stale."""

import json
from pathlib import Path

from integriteit_shared.events.asyncapi import asyncapi_document
from integriteit_shared.events.models import EVENT_TYPES

DOC = Path(__file__).resolve().parents[1] / "docs" / "asyncapi.json"


def test_committed_asyncapi_matches_the_event_models() -> None:
    committed = json.loads(DOC.read_text(encoding="utf-8"))
    assert committed == asyncapi_document(), (
        "run: .venv/bin/integriteit asyncapi > docs/asyncapi.json"
    )


def test_every_event_type_is_documented_on_its_topic() -> None:
    doc = asyncapi_document()
    names = {m["name"] for m in doc["components"]["messages"].values()}
    assert names == set(EVENT_TYPES)
    melding = doc["components"]["schemas"]["MeldingOntvangen"]
    assert set(melding["properties"]) == {
        "meldingId",
        "ontvangenOp",
        "kanaal",
        "defensieonderdeel",
        "hoofdcategorie",
        "subcategorie",
        "anoniem",
        "vermoedenMisstand",
    }
