"""What each aggregate adds to the indicators, per day from which it holds.

The annual report as of a peildatum is a function of the facts registered on or before
that day. Every indicator is a sum over aggregates (a melding with its categorisations and
steps, a klacht with its steps, an adviser with his appointments, ...), so each aggregate
is reduced to a few counter keys (`HrhdMelding(jaar=2024, defensieonderdeel="CLSK")`: 1).
What an aggregate contributes changes only on the days one of its facts was registered, or
on a day one of its own deadlines passes (a melding whose acknowledgement deadline passed
without one counts as late from the day after). Its contribution is therefore a short
timeline of deltas per day, and the report for peildatum P sums the deltas of all days up
to P: a read that grows with the number of distinct keys and days, not with the number of
events.

Keys keep their parts independent (the year and onderdeel of a melding in one key, its
category in another) so that their number stays small. The decisions about what counts
(earliest receipt, latest categorisation, which deadline) are those listed in
`rapportage.jaarverslag.indicatoren`, which reads these keys back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from integriteit_shared.kalender import amsterdam_date
from rapportage.projecties.register import Bijdrage, Feit, Soort, Tijdlijn, Toestand


def volgorde(feit: Feit) -> tuple[datetime, int, str]:
    """Registration order: time, then a recategorisation after the receipt, then event id."""
    rang = getattr(feit, "volgorde", 0)
    return (feit.registered_at, rang if isinstance(rang, int) else 0, feit.event_id)


def tijdlijn(soort: Soort, feiten: Sequence[Feit]) -> Tijdlijn:
    """The aggregate's contribution as deltas per day: (day, key) -> delta.

    The facts are fed in registration order, a day at a time; after each day, and on each
    deadline day before the next registration, the contribution is compared with the one
    before and what changed is recorded on that day. The sum of the deltas up to a day is
    the aggregate's contribution as of that day.
    """
    if not feiten:
        return {}
    state = soort.nieuwe_toestand()
    if len(feiten) == 1 and not state.peilafhankelijk:
        # the most common aggregate (a casus, a training record): one fact, one day
        state.voeg_toe(feiten[0])
        dag = amsterdam_date(feiten[0].registered_at)
        return {(dag, k): v for k, v in state.bijdrage(dag).items() if v}
    return _per_dag(state, sorted(feiten, key=volgorde) if len(feiten) > 1 else feiten)


def _per_dag(state: Toestand, feiten: Sequence[Feit]) -> Tijdlijn:
    """`tijdlijn` of facts in registration order, fed to a new state."""
    dagen = [amsterdam_date(r.registered_at) for r in feiten]
    n = len(feiten)
    out: Tijdlijn = {}
    vorig: Bijdrage = {}
    i = 0
    while i < n:
        dag = dagen[i]
        while i < n and dagen[i] == dag:
            state.voeg_toe(feiten[i])
            i += 1
        punten = [dag]
        if state.peilafhankelijk:
            volgende = dagen[i] if i < n else None
            punten += sorted(
                {w for w in state.wijzigdagen() if w > dag and (volgende is None or w < volgende)}
            )
        for p in punten:
            nu = state.bijdrage(p)
            if nu == vorig:
                continue
            for k, v in nu.items():
                d = v - vorig.get(k, 0)
                if d:
                    out[(p, k)] = d
            for k, v in vorig.items():
                if k not in nu:
                    out[(p, k)] = -v
            vorig = nu
    return out


def verschil(oud: Tijdlijn, nieuw: Tijdlijn, into: Tijdlijn) -> None:
    """Add `nieuw - oud` to `into`."""
    for k, v in nieuw.items():
        into[k] = into.get(k, 0) + v
    for k, v in oud.items():
        into[k] = into.get(k, 0) - v
