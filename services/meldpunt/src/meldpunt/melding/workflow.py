"""The melding's handling and its misstand track, each as one transitions table."""

from __future__ import annotations

from integriteit_shared.workflow import Workflow
from meldpunt.melding.models import Melding

# Fed back while in behandeling: the state the afronding needs (the melder hears the
# outcome before the file closes). Its status column stays `in_behandeling`.
TERUGGEKOPPELD = "teruggekoppeld"


def melding_toestand(melding: Melding) -> str:
    if melding.status == "in_behandeling" and melding.terugkoppeling_datum is not None:
        return TERUGGEKOPPELD
    return melding.status


MELDING: Workflow[Melding] = Workflow(
    aggregate="melding",
    initial="ontvangen",
    transitions={
        "ontvangen": {
            "ontvangstbevestiging": "ontvangst_bevestigd",
            "categorisering": "ontvangen",
        },
        "ontvangst_bevestigd": {
            "afdoening": "in_behandeling",
            "categorisering": "ontvangst_bevestigd",
        },
        "in_behandeling": {
            "terugkoppeling": TERUGGEKOPPELD,
            "categorisering": "in_behandeling",
        },
        TERUGGEKOPPELD: {"afronding": "afgerond", "categorisering": TERUGGEKOPPELD},
        "afgerond": {},
    },
    state_of=melding_toestand,
    stored_status=lambda toestand: "in_behandeling" if toestand == TERUGGEKOPPELD else toestand,
)


def misstand_toestand(melding: Melding) -> str:
    if melding.vermoeden_misstand:
        return "afgerond" if melding.misstand_afronding_datum is not None else "vermoeden"
    # a closed melding is no longer taken up as a misstand
    return "melding_afgerond" if melding.status == "afgerond" else "geen"


MISSTAND: Workflow[Melding] = Workflow(
    aggregate="misstand",
    initial="geen",
    transitions={
        "geen": {"vermoeden": "vermoeden"},
        "vermoeden": {"afronding": "afgerond"},
        "afgerond": {},
        "melding_afgerond": {},
    },
    state_of=misstand_toestand,
)
