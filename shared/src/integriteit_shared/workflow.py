"""State machines as data: one transitions table per aggregate, applied by one function.

Each aggregate (melding, klacht, casus, ...) declares a `Workflow`: the states it can be in,
and per state the actions allowed and the state each leads to (as Amsterdam/signals'
`ALLOWED_STATUS_CHANGES`). A state may be derived from more than the status column (a
melding that is `in_behandeling` and has had its feedback is `teruggekoppeld`), so the
table can say everything that is allowed; `stored_status` maps such a state back to the
status column, and is None for an aggregate without one.

An action the table does not allow is a 409 that names the current state and the actions
that are allowed in it (`toegestaneHandelingen`). The caller must hold the row lock
(`integriteit_shared.db.loading.load_for_change`), so that of two concurrent requests the
second sees the first one's state and is refused.

`mermaid()` draws the table; `docs/toestanden.md` is generated from every service's
workflows, and a test fails when it is stale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from integriteit_shared.http.problems import Conflict

T = TypeVar("T")


class TransitionRefused(Conflict):
    """409: the action is not allowed in the aggregate's current state."""

    def __init__(self, *, aggregate: str, state: str, action: str, allowed: tuple[str, ...]):
        toegestaan = ", ".join(f"'{a}'" for a in allowed) if allowed else "geen"
        super().__init__(
            f"'{action}' kan niet bij een {aggregate} in toestand '{state}'. "
            f"Toegestaan: {toegestaan}.",
            extensions={"toestand": state, "toegestaneHandelingen": list(allowed)},
        )


@dataclass(frozen=True)
class Workflow(Generic[T]):
    aggregate: str
    initial: str
    # state -> {action: new state}; a state with no actions is final
    transitions: Mapping[str, Mapping[str, str]]
    state_of: Callable[[T], str]
    # the status column's value for a state; None: the aggregate keeps no status column
    stored_status: Callable[[str], str] | None = None

    def __post_init__(self) -> None:
        targets = {new for actions in self.transitions.values() for new in actions.values()}
        unknown = (targets | {self.initial}) - set(self.transitions)
        if unknown:
            raise ValueError(f"{self.aggregate}: states without a row: {sorted(unknown)}")

    @property
    def actions(self) -> tuple[str, ...]:
        """Every action of the aggregate, in the order the table first names them."""
        seen: dict[str, None] = {}
        for actions in self.transitions.values():
            seen.update(dict.fromkeys(actions))
        return tuple(seen)

    def allowed_actions(self, state: str) -> tuple[str, ...]:
        return tuple(self.transitions[state])

    def next_state(self, state: str, action: str) -> str:
        """The state after `action`, or a 409 naming what is allowed instead."""
        new = self.transitions[state].get(action)
        if new is None:
            raise TransitionRefused(
                aggregate=self.aggregate,
                state=state,
                action=action,
                allowed=self.allowed_actions(state),
            )
        return new

    def apply(self, obj: T, action: str) -> str:
        """Check `action` against `obj`'s state, set its status column, return the new
        state. The caller sets the step's own fields (dates, outcome) after this."""
        new = self.next_state(self.state_of(obj), action)
        if self.stored_status is not None:
            setattr(obj, "status", self.stored_status(new))  # noqa: B010
        return new

    def mermaid(self) -> str:
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        for state, actions in self.transitions.items():
            if not actions:
                lines.append(f"    {state} --> [*]")
            for action, new in actions.items():
                lines.append(f"    {state} --> {new}: {action}")
        return "\n".join(lines)


def workflows_markdown(workflows: Mapping[str, Sequence[Workflow[Any]]]) -> str:
    """The generated state diagrams document: per service, each workflow as Mermaid."""
    parts = [
        "# Toestanden en overgangen",
        "",
        "Generated from each aggregate's transitions table (`integriteit toestanden`);",
        "a test fails when this file is stale. Any action not drawn is refused with 409",
        "problem+json naming the allowed actions (`toegestaneHandelingen`).",
    ]
    for service, flows in workflows.items():
        parts += ["", f"## {service}"]
        for flow in flows:
            parts += ["", f"### {flow.aggregate}", "", "```mermaid", flow.mermaid(), "```"]
    return "\n".join(parts) + "\n"
