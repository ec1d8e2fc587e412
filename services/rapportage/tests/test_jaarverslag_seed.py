"""The seed's tables reproduced: the report's events, loaded through the historical import
with their original registration moments, give its figures at peildatum 2025-01-01."""

from __future__ import annotations

from typing import Any

from integriteit_dev.demo.jaarverslag import EXPECTED_2024, events


def pick(body: dict[str, Any], path: str) -> Any:
    node: Any = body
    for part in path.split("."):
        node = node[part]
    return node


async def test_seed_reproduces_the_annual_report(rap):
    # the seed is history: loaded with its own registration moments, by the audited import
    pairs = events()
    await rap.importeer(pairs)
    assert await rap.ledger_count() == len(pairs)
    v = await rap.verslag(2024, "2025-01-01")
    for path, expected in EXPECTED_2024.items():
        got = pick(v, path)
        if path.endswith(".top3.ongewenst_gedrag") or path.endswith(".top3.zakelijke_integriteit"):
            got = [item["subcategorie"] for item in got]
        assert got == expected, path
    # the figures the contract example shows for 2024 (Fig. 2 split, Fig. 7 categories)
    assert v["meldingen"]["top3"]["ongewenst_gedrag"][0] == {
        "subcategorie": "intimidatie",
        "aantal": 90,
    }
    assert v["vertrouwenspersonen"]["perHoofdcategorie"]["overig"]["2024"] == 387
    assert all(
        n["groeiProcent"] is not None and n["groeiProcent"] > 0
        for n in v["vertrouwenspersonen"]["netwerk"].values()
    )
    assert v["opleidingen"]["deelnemers"]["uitspreken_bespreken_aanspreken"] == {
        "2024": 166,
        "2023": 125,
        "2022": 0,
    }
