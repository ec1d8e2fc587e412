"""The legal clocks, as pure functions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from meldpunt.termijnen import add_months, amsterdam_date, bereken_termijnen


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 15), 3, date(2024, 4, 15)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),  # clamped to February's end
        (date(2023, 11, 30), 3, date(2024, 2, 29)),  # leap year
        (date(2024, 10, 31), 1, date(2024, 11, 30)),
        (date(2024, 12, 31), 2, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_termijnen_without_and_with_acknowledgement() -> None:
    t = bereken_termijnen(date(2024, 1, 1))
    assert t.ontvangstbevestiging_uiterlijk == date(2024, 1, 8)
    assert t.terugkoppeling_uiterlijk == date(2024, 4, 8)  # 3 months after day 7
    t = bereken_termijnen(date(2024, 1, 1), date(2024, 1, 3))
    assert t.terugkoppeling_uiterlijk == date(2024, 4, 3)  # 3 months after the acknowledgement


def test_receipt_date_is_the_dutch_calendar_date() -> None:
    # 23:30 UTC on 31 December is already New Year in Amsterdam
    assert amsterdam_date(datetime(2024, 12, 31, 23, 30, tzinfo=UTC)) == date(2025, 1, 1)
