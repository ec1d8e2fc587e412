"""An assignment travels over the real broker to rapportage, which stores it in its ledger
and counts nothing more for it: the annual figures stay the same."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from integriteit_dev.testing.plugin import eventually
from integriteit_shared.messaging import InboxMessage
from meldpunt.termijnen import vandaag


async def test_an_assignment_reaches_the_ledger_and_changes_no_figure(
    service_factory: Any, tokens: Any
) -> None:
    meldpunt = await service_factory("meldpunt")
    rapportage = await service_factory("rapportage")
    coordinator = tokens.headers("coid_coordinator", sub="coordinator-1")
    lezer = tokens.headers("rapportage_lezer")
    body = {
        "kanaal": "mid",
        "defensieonderdeel": "CLSK",
        "hoofdcategorie": "ongewenst_gedrag",
        "subcategorie": "pesten",
        "omschrijving": "Een collega wordt buitengesloten.",
        "anoniem": False,
    }
    r = await meldpunt.client.post(
        f"{meldpunt.base}/meldingen", json=body, headers=tokens.headers("coid_adviseur")
    )
    assert r.status_code == 201
    melding_id = r.json()["id"]
    jaar = vandaag().year

    async def verslag() -> dict[str, Any]:
        r = await rapportage.client.get(f"{rapportage.base}/jaarverslagen/{jaar}", headers=lezer)
        assert r.status_code == 200
        result: dict[str, Any] = r.json()
        return result

    async def geteld() -> bool:
        return bool((await verslag())["meldingen"]["totaal"][str(jaar)] == 1)

    await eventually(geteld)
    voor = await verslag()

    r = await meldpunt.client.post(
        f"{meldpunt.base}/meldingen/{melding_id}/toewijzing",
        json={"behandelaar": "adviseur-1"},
        headers=coordinator,
    )
    assert r.status_code == 200, r.text

    async def in_ledger() -> list[InboxMessage]:
        async with rapportage.app.state.db.transaction() as s:
            return list(
                await s.scalars(
                    select(InboxMessage).where(
                        InboxMessage.event_type == "nl.integriteit.meldpunt.melding-toegewezen"
                    )
                )
            )

    async def aangekomen() -> bool:
        return len(await in_ledger()) == 1

    await eventually(aangekomen)
    [rij] = await in_ledger()
    assert rij.subject == melding_id
    assert "adviseur-1" not in repr(vars(rij))
    na = await verslag()
    assert {k: v for k, v in na.items() if k != "peildatum"} == {
        k: v for k, v in voor.items() if k != "peildatum"
    }
