"""The seed's voortgang on 31 December 2024: its events loaded through the historical import
with their original registration moments.

Every melding of 2022 and 2023 was acknowledged, answered and closed in its own year, so on
31 December 2024 the open meldingen are the 27 of 2024 received in the autumn, all within
both deadlines: no deadline is overdue. The misstanden and the investigation that run on
are those of the report's figures."""

from __future__ import annotations

from typing import Any

from integriteit_dev.demo.jaarverslag import events

LEEG = {"0-7": 0, "8-30": 0, "31-90": 0, "91-180": 0, ">180": 0}

SOORTEN_2024_12_31: dict[str, Any] = {
    "melding": {
        "open": 27,
        "perLeeftijd": {**LEEG, "31-90": 27},
        "overTermijn": {"ontvangstbevestiging": 0, "terugkoppeling": 0},
        "oudsteDagen": 73,
    },
    # four 2022 meldingen and one 2023 melding taken up as a misstand, three closed in 2024
    "misstand": {
        "open": 2,
        "perLeeftijd": {**LEEG, ">180": 2},
        "overTermijn": {},
        "oudsteDagen": 1094,
    },
    "integriteitsonderzoek": {
        "open": 1,
        "perLeeftijd": {**LEEG, "91-180": 1},
        "overTermijn": {},
        "oudsteDagen": 91,
    },
    "klacht": {
        "open": 0,
        "perLeeftijd": LEEG,
        "overTermijn": {"klachttermijn": 0},
        "oudsteDagen": None,
    },
    "nevenwerkzaamheid": {"open": 0, "perLeeftijd": LEEG, "overTermijn": {}, "oudsteDagen": None},
}

# open per onderdeel and kind (None: suppressed)
OPEN_PER_ONDERDEEL: dict[str, dict[str, int | None]] = {
    "BS": {"melding": None, "misstand": 0, "integriteitsonderzoek": None},
    "CZSK": {"melding": None, "misstand": 0, "integriteitsonderzoek": 0},
    "CLAS": {"melding": 5, "misstand": None, "integriteitsonderzoek": 0},
    "CLSK": {"melding": None, "misstand": None, "integriteitsonderzoek": None},
    "KMAR": {"melding": None, "misstand": 0, "integriteitsonderzoek": 0},
    "COMMIT": {"melding": None, "misstand": 0, "integriteitsonderzoek": 0},
    "DOSCO": {"melding": 6, "misstand": 0, "integriteitsonderzoek": 0},
}


async def test_seed_voortgang_on_31_december_2024(rap):
    await rap.importeer(events())
    r = await rap.svc.client.get(
        "/api/rapportage/v1/voortgang", params={"peildatum": "2024-12-31"}, headers=rap.h()
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["peildatum"] == "2024-12-31"
    assert body["soorten"] == SOORTEN_2024_12_31
    for od, verwacht in OPEN_PER_ONDERDEEL.items():
        for soort, n in verwacht.items():
            assert body["perDefensieonderdeel"][od][soort]["open"] == {
                "waarde": n,
                "onderdrukt": n is None,
            }, (od, soort)
        for soort in ("klacht", "nevenwerkzaamheid"):
            assert body["perDefensieonderdeel"][od][soort]["open"]["waarde"] == 0
    # no deadline overdue: the list is empty
    assert body["achterstallig"] == []
