"""The state diagrams in docs/toestanden.md are drawn from the transitions tables, and each
table says what its service does: every listed action is allowed, every other one a 409."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from integriteit_shared.http.problems import Conflict
from integriteit_shared.workflow import Workflow, workflows_markdown
from klachten.api import workflows as klachten
from meldpunt.api import workflows as meldpunt
from vertrouwenspersonen.api import workflows as vertrouwenspersonen

DOC = Path(__file__).resolve().parents[1] / "docs" / "toestanden.md"
WORKFLOWS: dict[str, list[Workflow[Any]]] = {
    "meldpunt": meldpunt,
    "vertrouwenspersonen": vertrouwenspersonen,
    "klachten": klachten,
}


def test_committed_state_diagrams_match_the_tables() -> None:
    assert DOC.read_text(encoding="utf-8") == workflows_markdown(WORKFLOWS), (
        "run: .venv/bin/integriteit toestanden > docs/toestanden.md"
    )


@pytest.mark.parametrize("flow", [f for flows in WORKFLOWS.values() for f in flows])
def test_every_state_is_reachable_and_every_other_action_refused(flow: Workflow[Any]) -> None:
    reached = {flow.initial}
    frontier = [flow.initial]
    while frontier:
        for new in flow.transitions[frontier.pop()].values():
            if new not in reached:
                reached.add(new)
                frontier.append(new)
    derived_entry = {s for s in flow.transitions if s not in reached}
    # a state no action leads to is one an object can start in (a melding flagged as a
    # misstand at intake) or that another aggregate's step puts it in; say which
    assert derived_entry <= {"vermoeden", "melding_afgerond"}, derived_entry
    for state, allowed in flow.transitions.items():
        for action in flow.actions:
            if action in allowed:
                assert flow.next_state(state, action) == allowed[action]
            else:
                with pytest.raises(Conflict) as refused:
                    flow.next_state(state, action)
                assert refused.value.extensions["toegestaneHandelingen"] == list(allowed)
