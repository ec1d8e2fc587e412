"""GET /dashboard/jaren: the years the dashboard offers are the years with data."""

from __future__ import annotations

import uuid

from integriteit_shared.events import models as ev
from integriteit_shared.kalender import vandaag


def uid() -> str:
    return str(uuid.uuid4())


async def test_every_year_with_data_is_offered_newest_first(rap):
    # older than the six years the page used to list, and with gaps between them
    await rap.zet(
        ev.MeldingOntvangen(
            melding_id=uid(),
            ontvangen_op="2012-03-01T10:00:00Z",
            kanaal="mid",
            defensieonderdeel="CLSK",
            hoofdcategorie="ongewenst_gedrag",
            subcategorie="pesten",
            anoniem=False,
            vermoeden_misstand=False,
        ),
        "2012-03-01T10:01:00Z",
    )
    await rap.zet(
        ev.KlachtIngediend(
            klacht_id=uid(),
            ontvangen_op="2016-05-02T09:00:00Z",
            soort="combinatie",
            indiener="medewerker",
            defensieonderdeel="BS",
        ),
        "2016-05-02T09:01:00Z",
    )
    await rap.zet(
        ev.OpleidingsdeelnameGeregistreerd(
            opleiding="mindbugs", datum="2018-10-10", aantal_deelnemers=12
        ),
        "2018-10-11T08:00:00Z",
    )
    r = await rap.svc.client.get("/dashboard/jaren", headers=rap.h())
    assert r.status_code == 200, r.text
    # last year has no data here: the page opens on the newest year that has
    assert r.json() == {"jaren": [2018, 2016, 2012], "standaard": 2018}


async def test_it_opens_on_the_last_year_something_was_registered_in(rap):
    """Check-ins that fall overdue as time passes make a later year selectable (it has that
    figure) but not the one the page opens on: the demo data ends in 2024, and the page
    must open on 2024's report, not on a year with only overdue check-ins."""
    vorig = vandaag().year - 1
    mid = uid()
    # a named melding received and closed two years ago: its check-ins are due 3, 6 and 12
    # months after the closing, so the later ones fall in last year and are overdue now
    await rap.zet(
        ev.MeldingOntvangen(
            melding_id=mid,
            ontvangen_op=f"{vorig - 1}-01-02T09:00:00Z",
            kanaal="mid",
            defensieonderdeel="CLAS",
            hoofdcategorie="ongewenst_gedrag",
            subcategorie="pesten",
            anoniem=False,
            vermoeden_misstand=False,
        ),
        f"{vorig - 1}-01-02T09:01:00Z",
    )
    await rap.zet(
        ev.MeldingAfgerond(melding_id=mid, conclusie="geen_schending", datum=f"{vorig - 1}-08-01"),
        f"{vorig - 1}-08-01T15:00:00Z",
    )
    r = await rap.svc.client.get("/dashboard/jaren", headers=rap.h())
    assert r.status_code == 200, r.text
    assert r.json() == {"jaren": [vorig, vorig - 1], "standaard": vorig - 1}
    verslag = (await rap.verslag(vorig, vandaag().isoformat()))["nazorg"]["verlopen"]
    assert verslag[str(vorig)] == 2  # 1 February and 1 August of last year


async def test_without_data_last_year_is_offered(rap):
    vorig = vandaag().year - 1
    r = await rap.svc.client.get("/dashboard/jaren", headers=rap.h())
    assert r.status_code == 200, r.text
    assert r.json() == {"jaren": [vorig], "standaard": vorig}


async def test_the_years_need_a_reader_token(rap):
    r = await rap.svc.client.get("/dashboard/jaren")
    assert r.status_code == 401
    r = await rap.svc.client.get("/dashboard/jaren", headers=rap.h("coid_adviseur"))
    assert r.status_code == 403
