"""After a purge at meldpunt, rapportage's annual report is byte for byte the same: the
purge destroys text and personal data, never an event or a date the figures count."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from integriteit_dev.testing.plugin import eventually
from integriteit_shared.bewaartermijnen import bewaartermijnen_toepassen
from integriteit_shared.messaging import InboxMessage, OutboxMessage
from meldpunt.bewaren import BEWAARREGELS
from meldpunt.termijnen import vandaag

MELDING = {
    "kanaal": "mid",
    "defensieonderdeel": "CLSK",
    "hoofdcategorie": "ongewenst_gedrag",
    "subcategorie": "intimidatie",
    "omschrijving": "marker-jaarverslag-omschrijving-5120",
    "anoniem": False,
    "melder": {"naam": "N. Melder", "email": "n.melder@example.org", "telefoon": "0612345678"},
}
STAPPEN = (
    ("ontvangstbevestiging", {}),
    ("afdoening", {"afdoening": "gespreksbegeleiding"}),
    ("terugkoppeling", {}),
    ("afronding", {"conclusie": "geen_schending"}),
)


async def _aantal(service, model) -> int:
    async with service.app.state.db.transaction() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_annual_report_is_byte_identical_after_a_purge(service_factory, tokens):
    meldpunt = await service_factory("meldpunt")
    rapportage = await service_factory("rapportage")
    adviseur = tokens.headers("coid_adviseur", sub="adviseur-1")
    for _ in range(3):
        r = await meldpunt.client.post(f"{meldpunt.base}/meldingen", json=MELDING, headers=adviseur)
        assert r.status_code == 201, r.text
        mid = r.json()["id"]
        for actie, body in STAPPEN:
            r = await meldpunt.client.post(
                f"{meldpunt.base}/meldingen/{mid}/{actie}", json=body, headers=adviseur
            )
            assert r.status_code == 200, r.text
    meldpunt.app.state.relay.notify()
    uitgaand = await _aantal(meldpunt, OutboxMessage)

    async def alles_binnen() -> bool:
        return await _aantal(rapportage, InboxMessage) >= uitgaand

    await eventually(alles_binnen)
    lezer = tokens.headers("rapportage_lezer")
    pad = f"{rapportage.base}/jaarverslagen/{vandaag().year}"
    voor = await rapportage.client.get(pad, headers=lezer)
    assert voor.status_code == 200, voor.text

    gedaan = await bewaartermijnen_toepassen(
        meldpunt.app.state.db,
        meldpunt.settings,
        BEWAARREGELS,
        op=vandaag() + timedelta(days=5 * 365 + 1),
    )
    assert gedaan is not None and len({v.object_id for v in gedaan}) == 3
    assert await _aantal(meldpunt, OutboxMessage) == uitgaand  # the purge sent nothing

    na = await rapportage.client.get(pad, headers=lezer)
    assert na.status_code == 200
    assert na.content == voor.content
    assert na.headers.get("etag") == voor.headers.get("etag")
