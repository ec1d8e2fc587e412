"""docs/privacy.md lists every field of every event: a new field cannot leave unnoticed."""

from __future__ import annotations

import re
from pathlib import Path

from integriteit_shared.events.models import EVENT_TYPES, EventData

PAGINA = Path(__file__).resolve().parents[1] / "docs" / "privacy.md"
RIJ = re.compile(r"^\| `(?P<type>nl\.integriteit\.[a-z.-]+)` \| (?P<velden>[^|]*) \|$")


def gedocumenteerd() -> dict[str, set[str]]:
    """The table "Velden van de gebeurtenissen": event type -> the fields it names."""
    out: dict[str, set[str]] = {}
    for regel in PAGINA.read_text(encoding="utf-8").splitlines():
        m = RIJ.match(regel.strip())
        if m:
            assert m["type"] not in out, f"{m['type']} staat twee keer in docs/privacy.md"
            out[m["type"]] = {v.strip() for v in m["velden"].split(",") if v.strip()}
    return out


def modellen() -> dict[str, type[EventData]]:
    """Every event model: the registered ones and any subclass that names an event type."""
    out = dict(EVENT_TYPES)
    te_doen = list(EventData.__subclasses__())
    while te_doen:
        cls = te_doen.pop()
        te_doen += cls.__subclasses__()
        if isinstance(getattr(cls, "event_type", None), str):
            out.setdefault(cls.event_type, cls)
    return out


def test_elk_veld_van_elke_gebeurtenis_staat_op_de_privacypagina() -> None:
    pagina = gedocumenteerd()
    ontbreekt: dict[str, set[str]] = {}
    verouderd: dict[str, set[str]] = {}
    alle = modellen()
    for event_type, model in alle.items():
        # the names on the wire (lowerCamelCase), as in the events themselves
        velden = {info.alias or naam for naam, info in model.model_fields.items()}
        genoemd = pagina.get(event_type, set())
        if velden - genoemd:
            ontbreekt[event_type] = velden - genoemd
        if genoemd - velden:
            verouderd[event_type] = genoemd - velden
    assert ontbreekt == {}, "niet in docs/privacy.md"
    assert verouderd == {}, "in docs/privacy.md maar geen veld (meer)"
    assert set(pagina) == set(alle), "gebeurtenissen op de pagina die niet bestaan"
