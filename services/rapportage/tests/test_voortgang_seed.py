"""The seed's voortgang on 31 December 2024: its events loaded through the historical import
with their original registration moments.

Every melding of 2022 and 2023 was acknowledged, answered and closed in its own year, so on
31 December 2024 the open meldingen are the 27 of 2024 received in the autumn, all within
both deadlines. The misstanden and the investigation that run on are those of the report's
figures.

The named melders of 2022 and 2023 had every aftercare check-in on time; those of 2024 had
none yet: every check-in of a named melding closed in 2024 that is due by 31 December is
open, and those due by 30 November are overdue (350; the jaarverslag's `nazorg.verlopen`
of 351 is on 1 January 2025, one day later). They are the only overdue cases.
"""

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
    # the 3- and 6-month check-ins of the named meldingen closed in 2024
    "nazorg": {
        "open": 423,
        "perLeeftijd": {"0-7": 18, "8-30": 55, "31-90": 146, "91-180": 155, ">180": 49},
        "overTermijn": {"nazorgcontact": 350},
        "oudsteDagen": 241,
    },
}

# open per onderdeel and kind (None: suppressed)
OPEN_PER_ONDERDEEL: dict[str, dict[str, int | None]] = {
    "BS": {
        "melding": None,
        "misstand": 0,
        "integriteitsonderzoek": None,
        "nazorg": 53,
    },
    "CZSK": {
        "melding": None,
        "misstand": 0,
        "integriteitsonderzoek": 0,
        "nazorg": 54,
    },
    "CLAS": {
        "melding": 5,
        "misstand": None,
        "integriteitsonderzoek": 0,
        "nazorg": 97,
    },
    "CLSK": {
        "melding": None,
        "misstand": None,
        "integriteitsonderzoek": None,
        "nazorg": 53,
    },
    "KMAR": {
        "melding": None,
        "misstand": 0,
        "integriteitsonderzoek": 0,
        "nazorg": 55,
    },
    "COMMIT": {
        "melding": None,
        "misstand": 0,
        "integriteitsonderzoek": 0,
        "nazorg": 54,
    },
    "DOSCO": {
        "melding": 6,
        "misstand": 0,
        "integriteitsonderzoek": 0,
        "nazorg": 57,
    },
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
    # the overdue cases are the 2024 check-ins, longest over first
    lijst = body["achterstallig"]
    assert len(lijst) == 350
    assert {(a["soort"], a["termijn"]) for a in lijst} == {("nazorg", "nazorgcontact")}
    # the longest over: due 4 May (a closing of 4 February), its 30 days ended on 3 June
    assert lijst[0]["uiterlijk"] == "2024-06-03" and lijst[0]["dagenOver"] == 211
    # per onderdeel the overdue check-ins are published: they add up to the Defensie figure
    over = [
        body["perDefensieonderdeel"][od]["nazorg"]["overTermijn"]["nazorgcontact"]
        for od in OPEN_PER_ONDERDEEL
    ]
    assert not any(c["onderdrukt"] for c in over)
    assert sum(c["waarde"] for c in over) == 350
    assert [a["dagenOver"] for a in lijst] == sorted((a["dagenOver"] for a in lijst), reverse=True)
    assert set(lijst[0]) == {
        "id",
        "defensieonderdeel",
        "soort",
        "termijn",
        "uiterlijk",
        "dagenOver",
    }
