"""GET /voortgang: the open cases on a peildatum, by age and legal deadline."""

from __future__ import annotations

import uuid
from typing import Any

from integriteit_shared.events import models as ev

URL = "/api/rapportage/v1/voortgang"


def uid() -> str:
    return str(uuid.uuid4())


def melding(melding_id: str, ontvangen: str, onderdeel: str = "CLSK", **kw: Any):
    data: dict[str, Any] = {
        "melding_id": melding_id,
        "ontvangen_op": ontvangen,
        "kanaal": "mid",
        "defensieonderdeel": onderdeel,
        "hoofdcategorie": "ongewenst_gedrag",
        "subcategorie": "pesten",
        "anoniem": False,
        "vermoeden_misstand": False,
    }
    data.update(kw)
    return ev.MeldingOntvangen.model_validate(data)


def klacht(klacht_id: str, ontvangen: str, onderdeel: str = "BS") -> ev.KlachtIngediend:
    return ev.KlachtIngediend(
        klacht_id=klacht_id,
        ontvangen_op=ontvangen,
        soort="onbehoorlijkheid",
        indiener="medewerker",
        defensieonderdeel=onderdeel,
    )


async def stand(rap: Any, peildatum: str, rol: str = "beheerder", **params: str) -> dict[str, Any]:
    """The voortgang as the regiefunctie (`beheerder`) sees it, or as another role."""
    r = await rap.svc.client.get(URL, params={"peildatum": peildatum, **params}, headers=rap.h(rol))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def achterstallig(body: dict[str, Any], zaak_id: str) -> list[tuple[str, str, int]]:
    return [
        (a["termijn"], a["uiterlijk"], a["dagenOver"])
        for a in body["achterstallig"]
        if a["id"] == zaak_id
    ]


async def test_melding_acknowledged_on_day_8_is_overdue_that_day_and_not_once_acknowledged(rap):
    mid = uid()
    # received 1 March (day 0); the acknowledgement is due by 8 March (day 7)
    await rap.zet(melding(mid, "2024-03-01T09:00:00Z"), "2024-03-01T09:01:00Z")

    dag7 = await stand(rap, "2024-03-08")
    assert dag7["soorten"]["melding"]["overTermijn"]["ontvangstbevestiging"] == 0
    assert achterstallig(dag7, mid) == []

    dag8 = await stand(rap, "2024-03-09")
    assert dag8["soorten"]["melding"]["overTermijn"]["ontvangstbevestiging"] == 1
    assert achterstallig(dag8, mid) == [("ontvangstbevestiging", "2024-03-08", 1)]
    assert dag8["achterstallig"][0] == {
        "id": mid,
        "defensieonderdeel": "CLSK",
        "soort": "melding",
        "termijn": "ontvangstbevestiging",
        "uiterlijk": "2024-03-08",
        "dagenOver": 1,
    }

    # acknowledged later that same day 8: from then on not overdue, feedback due 9 June
    await rap.zet(
        ev.MeldingOntvangstBevestigd(melding_id=mid, datum="2024-03-09"), "2024-03-09T15:00:00Z"
    )
    na = await stand(rap, "2024-03-09")
    assert na["soorten"]["melding"]["overTermijn"] == {
        "ontvangstbevestiging": 0,
        "terugkoppeling": 0,
    }
    assert achterstallig(na, mid) == []

    # feedback 3 months after the acknowledgement: due 9 June, overdue from 10 June
    assert achterstallig(await stand(rap, "2024-06-09"), mid) == []
    assert achterstallig(await stand(rap, "2024-06-10"), mid) == [
        ("terugkoppeling", "2024-06-09", 1)
    ]
    # closed: no longer open, so nothing overdue
    await rap.zet(
        ev.MeldingAfgerond(melding_id=mid, conclusie="geen_schending", datum="2024-06-20"),
        "2024-06-20T10:00:00Z",
    )
    dicht = await stand(rap, "2024-06-21")
    assert dicht["soorten"]["melding"]["open"] == 0
    assert achterstallig(dicht, mid) == []


async def test_open_meldingen_by_age_bucket_and_oldest_age(rap):
    ontvangen = {
        "0": "2024-06-30",
        "7": "2024-06-23",
        "8": "2024-06-22",
        "30": "2024-05-31",
        "31": "2024-05-30",
        "90": "2024-04-01",
        "91": "2024-03-31",
        "180": "2024-01-02",
        "181": "2024-01-01",
    }
    for datum in ontvangen.values():
        await rap.zet(melding(uid(), f"{datum}T10:00:00Z"), f"{datum}T10:00:00Z")
    body = await stand(rap, "2024-06-30")
    m = body["soorten"]["melding"]
    assert m["open"] == 9
    assert m["perLeeftijd"] == {"0-7": 2, "8-30": 2, "31-90": 2, "91-180": 2, ">180": 1}
    assert m["oudsteDagen"] == 181
    assert body["soorten"]["klacht"] == {
        "open": 0,
        "perLeeftijd": {"0-7": 0, "8-30": 0, "31-90": 0, "91-180": 0, ">180": 0},
        "overTermijn": {"klachttermijn": 0},
        "oudsteDagen": None,
    }


async def test_klacht_with_cog_and_3_weeks_adjournment_has_a_13_week_term(rap):
    kid = uid()
    await rap.zet(klacht(kid, "2024-01-08T09:00:00Z"), "2024-01-08T09:01:00Z")
    # 6 weeks at first: due 19 February
    assert achterstallig(await stand(rap, "2024-02-20"), kid) == [
        ("klachttermijn", "2024-02-19", 1)
    ]
    await rap.zet(
        ev.CogBehandelingGestart(klacht_id=kid, datum="2024-02-01"), "2024-02-01T10:00:00Z"
    )
    await rap.zet(ev.KlachtVerdaagd(klacht_id=kid, weken=3), "2024-02-02T10:00:00Z")
    # 10 + 3 = 13 weeks: due 8 April, overdue from 9 April
    termijn = "2024-04-08"
    assert achterstallig(await stand(rap, termijn), kid) == []
    body = await stand(rap, "2024-04-09")
    assert achterstallig(body, kid) == [("klachttermijn", termijn, 1)]
    assert body["soorten"]["klacht"]["overTermijn"] == {"klachttermijn": 1}
    # and a peildatum before the COG and the adjournment were registered: the 6 weeks
    assert achterstallig(await stand(rap, "2024-01-31"), kid) == []
    await rap.zet(
        ev.KlachtAfgehandeld(
            klacht_id=kid, wijze="besluit", oordeel="ongegrond", datum="2024-04-15"
        ),
        "2024-04-15T10:00:00Z",
    )
    assert (await stand(rap, "2024-04-16"))["soorten"]["klacht"]["open"] == 0


async def test_investigation_spanning_the_year_end_is_open_on_31_december(rap):
    oid = uid()
    await rap.zet(
        ev.IntegriteitsonderzoekGestart(
            onderzoek_id=oid, defensieonderdeel="CZSK", startdatum="2024-11-01", melding_id=None
        ),
        "2024-11-01T10:00:00Z",
    )
    await rap.zet(
        ev.IntegriteitsonderzoekAfgerond(
            onderzoek_id=oid, einddatum="2025-01-20", conclusie="geen_schending"
        ),
        "2025-01-20T10:00:00Z",
    )
    oud = await stand(rap, "2024-12-31")
    assert oud["soorten"]["integriteitsonderzoek"]["open"] == 1
    assert oud["soorten"]["integriteitsonderzoek"]["perLeeftijd"]["31-90"] == 1
    assert oud["soorten"]["integriteitsonderzoek"]["oudsteDagen"] == 60
    assert oud["soorten"]["integriteitsonderzoek"]["overTermijn"] == {}
    assert (await stand(rap, "2025-01-20"))["soorten"]["integriteitsonderzoek"]["open"] == 0


async def test_peildatum_before_an_event_excludes_it(rap):
    mid, nid = uid(), uid()
    # 23:30 UTC on 31 December is 1 January in Amsterdam: not yet registered on 31 December
    await rap.zet(
        melding(mid, "2024-12-31T23:30:00Z", vermoeden_misstand=True), "2024-12-31T23:30:00Z"
    )
    await rap.zet(
        ev.NevenwerkzaamheidGeregistreerd(
            nevenwerkzaamheid_id=nid,
            defensieonderdeel="DOSCO",
            registratiedatum="2024-12-20",
            betaald=True,
        ),
        # registered late: known only from 10 January, though dated 20 December
        "2025-01-10T08:00:00Z",
    )
    voor = await stand(rap, "2024-12-31")
    assert {s: v["open"] for s, v in voor["soorten"].items()} == dict.fromkeys(
        ("melding", "misstand", "integriteitsonderzoek", "klacht", "nevenwerkzaamheid", "nazorg"), 0
    )
    na = await stand(rap, "2025-01-10")
    assert na["soorten"]["melding"]["open"] == 1
    assert na["soorten"]["misstand"]["open"] == 1
    assert na["soorten"]["nevenwerkzaamheid"]["open"] == 1
    assert na["soorten"]["nevenwerkzaamheid"]["perLeeftijd"]["8-30"] == 1  # 21 days
    await rap.zet(
        ev.NevenwerkzaamheidGeadviseerd(
            nevenwerkzaamheid_id=nid, advies="positief", datum="2025-01-12"
        ),
        "2025-01-12T08:00:00Z",
    )
    assert (await stand(rap, "2025-01-11"))["soorten"]["nevenwerkzaamheid"]["open"] == 1
    assert (await stand(rap, "2025-01-12"))["soorten"]["nevenwerkzaamheid"]["open"] == 0


async def test_per_onderdeel_small_counts_are_suppressed(rap):
    # CLSK 6 open meldingen, all 0-7 days; BS 2 open, one 0-7 and one 8-30
    for _ in range(6):
        await rap.zet(melding(uid(), "2024-06-28T10:00:00Z", "CLSK"), "2024-06-28T10:00:00Z")
    await rap.zet(melding(uid(), "2024-06-28T10:00:00Z", "BS"), "2024-06-28T10:00:00Z")
    await rap.zet(melding(uid(), "2024-06-10T10:00:00Z", "BS"), "2024-06-10T10:00:00Z")
    body = await stand(rap, "2024-06-30")
    assert body["soorten"]["melding"]["open"] == 8  # Defensie-wide: never suppressed
    per = body["perDefensieonderdeel"]
    assert set(per) == {"BS", "CZSK", "CLAS", "CLSK", "KMAR", "COMMIT", "DOSCO"}
    bs, clsk = per["BS"]["melding"], per["CLSK"]["melding"]
    assert bs["open"] == {"waarde": None, "onderdrukt": True}
    assert bs["oudsteDagen"] is None
    assert bs["perLeeftijd"]["0-7"] == {"waarde": None, "onderdrukt": True}
    # BS's 2 would follow from the Defensie total 8 minus the others: an empty onderdeel is
    # hidden as its complement (the cheapest), CLSK's 6 is published
    assert per["CZSK"]["melding"]["open"] == {"waarde": None, "onderdrukt": True}
    assert per["CZSK"]["melding"]["perLeeftijd"]["0-7"]["onderdrukt"] is True
    assert clsk["open"] == {"waarde": 6, "onderdrukt": False}
    assert clsk["perLeeftijd"]["0-7"] == {"waarde": 6, "onderdrukt": False}
    assert clsk["oudsteDagen"] == 2
    assert per["CLAS"]["melding"]["open"] == {"waarde": 0, "onderdrukt": False}
    # the BS melding of 10 June is overdue for acknowledgement: a count of 1, suppressed
    assert bs["overTermijn"]["ontvangstbevestiging"] == {"waarde": None, "onderdrukt": True}
    assert body["soorten"]["melding"]["overTermijn"]["ontvangstbevestiging"] == 1

    alleen = await stand(rap, "2024-06-30", defensieonderdeel="BS")
    assert list(alleen["perDefensieonderdeel"]) == ["BS"]
    assert alleen["perDefensieonderdeel"]["BS"] == per["BS"]  # the same pattern
    assert alleen["defensieonderdeel"] == "BS"
    assert {a["defensieonderdeel"] for a in alleen["achterstallig"]} == {"BS"}
    assert (await stand(rap, "2024-06-30", defensieonderdeel="CLSK"))["achterstallig"] == []

    # the regiefunctie sees the overdue BS melding; a rapportage_lezer does not, since
    # counted it would give the suppressed 1; the rest of the answer is the same
    assert [a["defensieonderdeel"] for a in body["achterstallig"]] == ["BS"]
    lezer = await stand(rap, "2024-06-30", rol="rapportage_lezer")
    assert lezer["achterstallig"] == []
    assert {k: v for k, v in lezer.items() if k != "achterstallig"} == {
        k: v for k, v in body.items() if k != "achterstallig"
    }


async def test_only_readers_and_beheerders_see_voortgang(rap):
    for rol, verwacht in (
        ("rapportage_lezer", 200),
        ("beheerder", 200),
        ("behandelaar", 403),
        ("medewerker", 403),
    ):
        r = await rap.svc.client.get(URL, headers=rap.h(rol))
        assert r.status_code == verwacht, (rol, r.text)
    r = await rap.svc.client.get(URL, headers=rap.h("behandelaar"))
    assert r.headers["content-type"].startswith("application/problem+json")
    assert (await rap.svc.client.get(URL)).status_code == 401


async def test_bad_parameters_are_reported_together(rap):
    r = await rap.svc.client.get(
        URL, params={"peildatum": "31-12-2024", "defensieonderdeel": "NAVO"}, headers=rap.h()
    )
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    tekst = r.text
    assert "peildatum" in tekst and "defensieonderdeel" in tekst


async def test_etag_gives_304_until_an_event_changes_the_figures(rap):
    await rap.zet(melding(uid(), "2024-03-01T09:00:00Z"), "2024-03-01T09:01:00Z")
    r = await rap.svc.client.get(URL, params={"peildatum": "2024-03-20"}, headers=rap.h())
    etag = r.headers["etag"]
    assert etag.startswith('"')
    r2 = await rap.svc.client.get(
        URL, params={"peildatum": "2024-03-20"}, headers=rap.h() | {"If-None-Match": etag}
    )
    assert r2.status_code == 304 and r2.content == b"" and r2.headers["etag"] == etag
    await rap.zet(klacht(uid(), "2024-03-02T09:00:00Z"), "2024-03-02T09:01:00Z")
    r3 = await rap.svc.client.get(
        URL, params={"peildatum": "2024-03-20"}, headers=rap.h() | {"If-None-Match": etag}
    )
    assert r3.status_code == 200 and r3.headers["etag"] != etag
    assert r3.json()["soorten"]["klacht"]["open"] == 1


# --- nazorg: a check-in overdue by 30 days ------------------------------------------------------

GEEN = {"0-7": 0, "8-30": 0, "31-90": 0, "91-180": 0, ">180": 0}


async def gesloten_op_naam(
    rap: Any, afgerond: str, geregistreerd: str | None = None, **kw: Any
) -> str:
    """A CLSK melding closed on `afgerond`: a named melder's check-ins are due 3, 6 and 12
    months later (NAZORG_MAANDEN)."""
    mid = uid()
    await rap.zet(melding(mid, "2024-01-02T09:00:00Z", **kw), "2024-01-02T09:01:00Z")
    await rap.zet(
        ev.MeldingAfgerond(melding_id=mid, conclusie="geen_schending", datum=afgerond),
        f"{geregistreerd or afgerond}T15:00:00Z",
    )
    return mid


async def nazorgcontact(rap: Any, mid: str, datum: str, geregistreerd: str | None = None) -> None:
    await rap.zet(
        ev.NazorgUitgevoerd(melding_id=mid, datum=datum, benadeling_gemeld=False),
        f"{geregistreerd or datum}T12:00:00Z",
    )


async def test_a_check_in_shows_once_overdue_by_more_than_30_days(rap):
    # closed 10 January: the first check-in is due 10 April, its 30 days end on 10 May
    mid = await gesloten_op_naam(rap, "2024-01-10")
    voor = await stand(rap, "2024-04-09")
    assert voor["soorten"]["nazorg"]["open"] == 0  # not due yet: nothing to do

    dag29 = await stand(rap, "2024-05-09")
    assert dag29["soorten"]["nazorg"] == {
        "open": 1,
        "perLeeftijd": {**GEEN, "8-30": 1},
        "overTermijn": {"nazorgcontact": 0},
        "oudsteDagen": 29,
    }
    assert achterstallig(dag29, mid) == []
    assert achterstallig(await stand(rap, "2024-05-10"), mid) == []  # 30 days: still in time

    dag31 = await stand(rap, "2024-05-11")
    assert dag31["soorten"]["nazorg"]["overTermijn"] == {"nazorgcontact": 1}
    assert dag31["soorten"]["nazorg"]["perLeeftijd"]["31-90"] == 1
    # the melding's own deadlines were met by its closing: only the check-in is overdue
    assert dag31["achterstallig"] == [
        {
            "id": mid,
            "defensieonderdeel": "CLSK",
            "soort": "nazorg",
            "termijn": "nazorgcontact",
            "uiterlijk": "2024-05-10",
            "dagenOver": 1,
        }
    ]
    assert dag31["perDefensieonderdeel"]["CLSK"]["nazorg"]["overTermijn"] == {
        "nazorgcontact": {"waarde": None, "onderdrukt": True}
    }


async def test_a_check_in_done_by_the_peildatum_is_not_overdue(rap):
    mid = await gesloten_op_naam(rap, "2024-01-10")
    # done late, on 20 May, and registered that day
    await nazorgcontact(rap, mid, "2024-05-20")
    assert achterstallig(await stand(rap, "2024-05-19"), mid) == [
        ("nazorgcontact", "2024-05-10", 9)
    ]
    na = await stand(rap, "2024-05-25")
    assert achterstallig(na, mid) == []
    assert na["soorten"]["nazorg"]["open"] == 0
    # the next one, due 10 July, is overdue from 10 August on
    assert achterstallig(await stand(rap, "2024-08-09"), mid) == []
    assert achterstallig(await stand(rap, "2024-08-10"), mid) == [
        ("nazorgcontact", "2024-08-09", 1)
    ]


async def test_a_peildatum_before_the_event_does_not_know_it(rap):
    # a check-in dated 1 May but registered only on 20 May: on 15 May rapportage did not
    # know it, so the April check-in stood overdue then
    mid = await gesloten_op_naam(rap, "2024-01-10")
    await nazorgcontact(rap, mid, "2024-05-01", geregistreerd="2024-05-20")
    assert achterstallig(await stand(rap, "2024-05-15"), mid) == [
        ("nazorgcontact", "2024-05-10", 5)
    ]
    assert achterstallig(await stand(rap, "2024-05-20"), mid) == []
    # a closing dated 10 January but registered on 1 June: before that, no check-in planned
    # as far as rapportage knew (the melding was open, past its own deadlines)
    laat = await gesloten_op_naam(rap, "2024-01-10", geregistreerd="2024-06-01")
    voor = await stand(rap, "2024-05-31")
    assert [t for t in achterstallig(voor, laat) if t[0] == "nazorgcontact"] == []
    assert voor["soorten"]["nazorg"]["open"] == 0
    assert achterstallig(await stand(rap, "2024-06-01"), laat) == [
        ("nazorgcontact", "2024-05-10", 22)
    ]


async def test_every_overdue_check_in_of_a_melding_is_listed_and_anonymous_have_none(rap):
    mid = await gesloten_op_naam(rap, "2024-01-10")
    await gesloten_op_naam(rap, "2024-01-10", anoniem=True)
    body = await stand(rap, "2024-12-31")
    # April's and July's, each with its own age; January 2025's not due yet
    assert body["soorten"]["nazorg"] == {
        "open": 2,
        "perLeeftijd": {**GEEN, "91-180": 1, ">180": 1},
        "overTermijn": {"nazorgcontact": 2},
        "oudsteDagen": 265,
    }
    assert achterstallig(body, mid) == [
        ("nazorgcontact", "2024-05-10", 235),
        ("nazorgcontact", "2024-08-09", 144),
    ]
    assert len(body["achterstallig"]) == 2
    # a count of 2 in CLSK is suppressed: a rapportage_lezer does not see the cases
    assert (await stand(rap, "2024-12-31", rol="rapportage_lezer"))["achterstallig"] == []
