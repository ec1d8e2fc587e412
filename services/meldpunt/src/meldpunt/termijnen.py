"""The legal clocks of a melding: defined once in `integriteit_shared.kalender`, which
rapportage measures against too; re-exported here for meldpunt's own modules."""

from __future__ import annotations

from integriteit_shared.kalender import (
    AMSTERDAM,
    ONTVANGSTBEVESTIGING_DAGEN,
    TERUGKOPPELING_MAANDEN,
    Termijnen,
    add_months,
    amsterdam_date,
    bereken_termijnen,
    vandaag,
)

__all__ = [
    "AMSTERDAM",
    "ONTVANGSTBEVESTIGING_DAGEN",
    "TERUGKOPPELING_MAANDEN",
    "Termijnen",
    "add_months",
    "amsterdam_date",
    "bereken_termijnen",
    "vandaag",
]
