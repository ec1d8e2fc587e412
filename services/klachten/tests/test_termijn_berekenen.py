"""The Awb deadline as a pure function: exact dates for each path."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from integriteit_shared.http.problems import Conflict
from klachten.klacht.service import KLACHT, termijn_uiterlijk


def volgende_status(status: str, handeling: str) -> str:
    """The status column after `handeling` (the workflow's state, stored)."""
    assert KLACHT.stored_status is not None
    return KLACHT.stored_status(KLACHT.next_state(status, handeling))


ONTVANGEN = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def test_informeel_zes_weken_na_ontvangst():
    assert termijn_uiterlijk(
        ontvangen_op=ONTVANGEN, cog_behandeling=False, verdaging_weken=None
    ) == date(2024, 4, 15)


def test_cog_tien_weken_na_ontvangst():
    assert termijn_uiterlijk(
        ontvangen_op=ONTVANGEN, cog_behandeling=True, verdaging_weken=None
    ) == date(2024, 5, 13)


@pytest.mark.parametrize(
    ("cog", "weken", "verwacht"),
    [
        (False, 1, date(2024, 4, 22)),
        (False, 4, date(2024, 5, 13)),
        (True, 2, date(2024, 5, 27)),
        (True, 4, date(2024, 6, 10)),
    ],
)
def test_verdaging_telt_op(cog, weken, verwacht):
    assert (
        termijn_uiterlijk(ontvangen_op=ONTVANGEN, cog_behandeling=cog, verdaging_weken=weken)
        == verwacht
    )


def test_ontvangstdatum_is_de_amsterdamse_kalenderdag():
    # 23:30 UTC on 3 March is 00:30 on 4 March in Amsterdam: the term counts from 4 March
    laat = datetime(2024, 3, 3, 23, 30, tzinfo=UTC)
    assert termijn_uiterlijk(ontvangen_op=laat, cog_behandeling=False, verdaging_weken=None) == (
        date(2024, 4, 15)
    )
    # summer time: 22:30 UTC on 30 June is 00:30 on 1 July
    zomer = datetime(2024, 6, 30, 22, 30, tzinfo=UTC)
    assert termijn_uiterlijk(
        ontvangen_op=zomer, cog_behandeling=False, verdaging_weken=None
    ) == date(2024, 8, 12)


@pytest.mark.parametrize(
    ("status", "handeling"),
    [
        ("ingediend", "cog_advies_uitbrengen"),
        ("cog_behandeling", "cog_behandeling_starten"),
        ("cog_behandeling", "afhandelen"),
        ("cog_advies", "cog_behandeling_starten"),
        ("cog_advies", "cog_advies_uitbrengen"),
        ("afgehandeld", "afhandelen"),
        ("afgehandeld", "verdagen"),
        ("afgehandeld", "cog_behandeling_starten"),
    ],
)
def test_overgang_buiten_volgorde_is_409(status, handeling):
    assert handeling not in KLACHT.transitions[status]
    with pytest.raises(Conflict):
        volgende_status(status, handeling)


def test_toegestane_overgangen():
    assert volgende_status("ingediend", "cog_behandeling_starten") == "cog_behandeling"
    assert volgende_status("cog_behandeling", "cog_advies_uitbrengen") == "cog_advies"
    assert volgende_status("cog_advies", "afhandelen") == "afgehandeld"
    assert volgende_status("ingediend", "afhandelen") == "afgehandeld"
    assert volgende_status("cog_behandeling", "verdagen") == "cog_behandeling"
