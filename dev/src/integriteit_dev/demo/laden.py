"""Load the demo dataset (`demo.jaarverslag`) once, through the services' public APIs.

Every seed event becomes what its real user would do: the COID adviser registers meldingen
(with their past `ontvangenOp`), takes them through acknowledgement, afdoening, feedback and
closing, and records the check-ins with a named melder after it; the COID investigator runs
integriteitsonderzoeken; the central adviser (cvp) keeps the register of vertrouwenspersonen,
who register their own anonymous casussen; the klachtbehandelaar registers klachten received
on paper and the COG secretary records the COG advice; KMar's BPS and ECLD deliver their
events as structured CloudEvents to `POST /api/rapportage/v1/gebeurtenissen`. The figures of
`GET /jaarverslagen/2024` (default peildatum: today) are then those of `EXPECTED_2024`.

Where the public API cannot take a seed event literally, it is mapped so the report's figures
stay the same:
- ids are the services' own (the seed's UUIDs name the dossiers in the journal only);
- a melding the seed gives feedback or closes first gets an afdoening (on the day of its
  acknowledgement; the API needs it before feedback), and a melding the seed closes without
  feedback, or before its feedback, gets its feedback on the closing day (the API closes a
  melding only after feedback). Closing dates stay the seed's, so `mediaanDagenTotAfronding`
  is unchanged; `terugkoppelingBinnen3MaandenProcent` is computed over the added feedback too;
- a melding with a suspected misstand at intake also emits `misstand-vermoeden-geregistreerd`
  (same day); the misstand counts once, in the year of receipt, as in the seed.

Once: `<data dir>/demo-geladen.json` is written when everything is in; while it exists nothing
is loaded again (delete it, or the whole data dir, to load afresh). Interrupted: every
successful call is appended to `<data dir>/demo-journaal.jsonl` (dossier, step, the id the
service gave), so the next start resumes where the last one stopped, dossier by dossier and
step by step. The one gap: a call the service committed but whose answer never arrived before
the interruption. A repeated transition then answers 409 and counts as done; a repeated
registration creates the aggregate twice (one melding, casus, ... too many). The KMar/ECLD
events carry fixed CloudEvent ids, so the ingress counts a repeat as `dubbel`, never twice.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

from integriteit_dev.demo.jaarverslag import Pair, events
from integriteit_shared.auth.keys import DevKeys, ensure_dev_keys
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.tokens import mint_token
from integriteit_shared.events import models as ev
from integriteit_shared.events.envelope import new_envelope, to_structured
from integriteit_shared.service import registered_services
from integriteit_shared.settings import DEFAULT_AUDIENCE, DEV_ISSUER

MARKER = "demo-geladen.json"
JOURNAAL = "demo-journaal.jsonl"
INGRESS_BATCH = 250  # at most 1000; smaller keeps the SQLite write lock short
POGINGEN = 8
# Dossiers in flight per service, and requests in flight over all of them. Each service is
# one process on SQLite: a few requests at once keep it busy while another waits for the
# database, more only queue for its write lock.
PARALLEL = 6
MAX_VERZOEKEN = 24
# Meldpunt takes 11,563 of the 14,763 calls and is the last to finish: more of its dossiers
# at once (measured when it took 5,163 of 8,363: demo load 77 s with 6, 66 s with 10).
PARALLEL_PER_DIENST: dict[str, int] = {"meldpunt": 10}
NS_INGRESS = uuid.UUID("0d6c8f3a-6f0e-4c1b-9a55-2e6b8d3c2024")

SECTIES = (
    "meldingen",
    "integriteitsonderzoeken",
    "nevenwerkzaamheden",
    "vertrouwenspersonen",
    "casussen",
    "klachten",
    "kmar_ecld",
)

# token key -> (roles, defensieonderdeel claim, sub)
Identiteit = tuple[tuple[str, ...], str | None, str]
IDENTITEITEN: dict[str, Identiteit] = {
    "adviseur": ((Rol.coid_adviseur,), None, "demo-coid-adviseur"),
    "onderzoeker": ((Rol.coid_onderzoeker,), None, "demo-coid-onderzoeker"),
    "cvp": ((Rol.cvp,), None, "demo-cvp"),
    "klachtbehandelaar": ((Rol.klachtbehandelaar,), None, "demo-klachtbehandelaar"),
    "cog": ((Rol.cog_secretaris,), None, "demo-cog-secretaris"),
    "kmar": ((Rol.kmar_bps,), None, "demo-kmar-bps"),
    "ecld": ((Rol.ecld,), None, "demo-ecld"),
    "beheerder": ((Rol.beheerder,), None, "demo-beheerder"),
}
ONDERDELEN = ("BS", "CZSK", "CLAS", "CLSK", "KMAR", "COMMIT", "DOSCO")
for _o in ONDERDELEN:  # casussen belong to the adviser who registers them: one per onderdeel
    IDENTITEITEN[f"vp-{_o}"] = ((Rol.vertrouwenspersoon,), _o, f"demo-vertrouwenspersoon-{_o}")


class DemoFout(RuntimeError):
    """A call the loader expected to succeed did not."""


@dataclass(frozen=True)
class Stap:
    """One API call of a dossier. `{id}` in `pad` is the id the first step's answer gave."""

    dienst: str
    pad: str
    rol: str
    body: Any
    status: int = 200
    gebeurtenissen: int = 1  # events the call emits (ingress: the accepted ones)

    @property
    def url(self) -> str:
        return f"/api/{self.dienst}/v1{self.pad}"


@dataclass
class Dossier:
    """One aggregate (or one ingress batch): its steps run in order."""

    sleutel: str
    sectie: str
    stappen: list[Stap]

    @property
    def dienst(self) -> str:
        return self.stappen[0].dienst


# --- the dataset as API calls ---------------------------------------------------------------


def _dag(d: date) -> str:
    return d.isoformat()


def _moment(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _melding(events_: list[ev.EventData]) -> list[Stap]:
    ontvangen = events_[0]
    assert isinstance(ontvangen, ev.MeldingOntvangen)
    stappen = [
        Stap(
            "meldpunt",
            "/meldingen",
            "adviseur",
            {
                "kanaal": ontvangen.kanaal,
                "defensieonderdeel": ontvangen.defensieonderdeel,
                "hoofdcategorie": ontvangen.hoofdcategorie,
                "subcategorie": ontvangen.subcategorie,
                "omschrijving": "Synthetische demomelding (jaarverslag 2024).",
                "anoniem": ontvangen.anoniem,
                "vermoedenMisstand": ontvangen.vermoeden_misstand,
                "ontvangenOp": _moment(ontvangen.ontvangen_op),
            },
            status=201,
            gebeurtenissen=2 if ontvangen.vermoeden_misstand else 1,
        )
    ]
    rest = events_[1:]
    tk = next((e for e in rest if isinstance(e, ev.MeldingTerugkoppelingGegeven)), None)
    af = next((e for e in rest if isinstance(e, ev.MeldingAfgerond)), None)
    # the API closes a melding only after feedback: never later than the closing day
    tk_datum: date | None = tk.datum if tk else None
    if af is not None:
        tk_datum = af.datum if tk_datum is None else min(tk_datum, af.datum)
    body: dict[str, Any]
    for e in rest:
        if isinstance(e, ev.MeldingGecategoriseerd):
            body = {"hoofdcategorie": e.hoofdcategorie, "subcategorie": e.subcategorie}
            stappen.append(Stap("meldpunt", "/meldingen/{id}/categorisering", "adviseur", body))
        elif isinstance(e, ev.MeldingOntvangstBevestigd):
            stappen.append(
                Stap(
                    "meldpunt",
                    "/meldingen/{id}/ontvangstbevestiging",
                    "adviseur",
                    {"datum": _dag(e.datum)},
                )
            )
            if tk_datum is not None:
                afdoening = "gespreksbegeleiding"
                if af is not None and af.conclusie == "schending_vastgesteld":
                    afdoening = "excuses"
                stappen.append(
                    Stap(
                        "meldpunt",
                        "/meldingen/{id}/afdoening",
                        "adviseur",
                        {"afdoening": afdoening, "datum": _dag(e.datum)},
                    )
                )
                stappen.append(
                    Stap(
                        "meldpunt",
                        "/meldingen/{id}/terugkoppeling",
                        "adviseur",
                        {"datum": _dag(tk_datum)},
                    )
                )
        elif isinstance(e, ev.MeldingAfgerond):
            body = {"conclusie": e.conclusie, "datum": _dag(e.datum)}
            stappen.append(Stap("meldpunt", "/meldingen/{id}/afronding", "adviseur", body))
        elif isinstance(e, ev.MisstandAfgerond):
            body = {"vastgesteld": e.vastgesteld, "datum": _dag(e.datum)}
            stappen.append(Stap("meldpunt", "/meldingen/{id}/misstand-afronding", "adviseur", body))
        elif isinstance(e, ev.NazorgUitgevoerd):
            body = {"datum": _dag(e.datum), "benadelingGemeld": e.benadeling_gemeld}
            stappen.append(Stap("meldpunt", "/meldingen/{id}/nazorg", "adviseur", body, status=201))
        elif isinstance(e, ev.MeldingTerugkoppelingGegeven):
            pass  # placed right after the acknowledgement (see above)
        else:  # pragma: no cover - the dataset has no other melding events
            raise DemoFout(f"onverwachte gebeurtenis {type(e).__name__}")
    return stappen


def _onderzoek(events_: list[ev.EventData]) -> list[Stap]:
    gestart = events_[0]
    assert isinstance(gestart, ev.IntegriteitsonderzoekGestart)
    stappen = [
        Stap(
            "meldpunt",
            "/integriteitsonderzoeken",
            "onderzoeker",
            {
                "defensieonderdeel": gestart.defensieonderdeel,
                "startdatum": _dag(gestart.startdatum),
            },
            status=201,
        )
    ]
    for e in events_[1:]:
        assert isinstance(e, ev.IntegriteitsonderzoekAfgerond)
        body = {"einddatum": _dag(e.einddatum), "conclusie": e.conclusie}
        stappen.append(
            Stap("meldpunt", "/integriteitsonderzoeken/{id}/afronding", "onderzoeker", body)
        )
    return stappen


def _nevenwerkzaamheid(events_: list[ev.EventData]) -> list[Stap]:
    reg = events_[0]
    assert isinstance(reg, ev.NevenwerkzaamheidGeregistreerd)
    stappen = [
        Stap(
            "meldpunt",
            "/nevenwerkzaamheden",
            "adviseur",
            {
                "defensieonderdeel": reg.defensieonderdeel,
                "omschrijving": "Synthetische demo-nevenwerkzaamheid.",
                "betaald": reg.betaald,
                "registratiedatum": _dag(reg.registratiedatum),
            },
            status=201,
        )
    ]
    for e in events_[1:]:
        assert isinstance(e, ev.NevenwerkzaamheidGeadviseerd)
        body = {"advies": e.advies, "datum": _dag(e.datum)}
        stappen.append(Stap("meldpunt", "/nevenwerkzaamheden/{id}/advies", "adviseur", body))
    return stappen


def _vertrouwenspersoon(events_: list[ev.EventData]) -> list[Stap]:
    aangesteld = events_[0]
    assert isinstance(aangesteld, ev.VertrouwenspersoonAangesteld)
    stappen = [
        Stap(
            "vertrouwenspersonen",
            "/vertrouwenspersonen",
            "cvp",
            {
                "defensieonderdeel": aangesteld.defensieonderdeel,
                "aanstellingsdatum": _dag(aangesteld.datum),
            },
            status=201,
        )
    ]
    for e in events_[1:]:
        assert isinstance(e, ev.VertrouwenspersoonBeeindigd)
        stappen.append(
            Stap(
                "vertrouwenspersonen",
                "/vertrouwenspersonen/{id}/beeindiging",
                "cvp",
                {"datum": _dag(e.datum)},
            )
        )
    return stappen


def _casus(events_: list[ev.EventData]) -> list[Stap]:
    casus = events_[0]
    assert isinstance(casus, ev.CasusGeregistreerd) and len(events_) == 1
    return [
        Stap(
            "vertrouwenspersonen",
            "/casussen",
            f"vp-{casus.defensieonderdeel}",
            {
                "defensieonderdeel": casus.defensieonderdeel,
                "datum": _dag(casus.datum),
                "hoofdcategorie": casus.hoofdcategorie,
                "subcategorie": casus.subcategorie,
            },
            status=201,
        )
    ]


def _klacht(events_: list[ev.EventData]) -> list[Stap]:
    klacht = events_[0]
    assert isinstance(klacht, ev.KlachtIngediend)
    stappen = [
        Stap(
            "klachten",
            "/klachten",
            "klachtbehandelaar",
            {
                "soort": klacht.soort,
                "indiener": klacht.indiener,
                "defensieonderdeel": klacht.defensieonderdeel,
                "omschrijving": "Synthetische demoklacht (jaarverslag 2024).",
                "ontvangenOp": _moment(klacht.ontvangen_op),
            },
            status=201,
        )
    ]
    for e in events_[1:]:
        if isinstance(e, ev.CogBehandelingGestart):
            stappen.append(
                Stap(
                    "klachten",
                    "/klachten/{id}/cog-behandeling",
                    "klachtbehandelaar",
                    {"datum": _dag(e.datum)},
                )
            )
        elif isinstance(e, ev.CogAdviesUitgebracht):
            body = {"advies": e.advies, "datum": _dag(e.datum)}
            stappen.append(Stap("klachten", "/klachten/{id}/cog-advies", "cog", body))
        elif isinstance(e, ev.KlachtAfgehandeld):
            body = {"wijze": e.wijze, "oordeel": e.oordeel, "datum": _dag(e.datum)}
            stappen.append(
                Stap("klachten", "/klachten/{id}/afhandeling", "klachtbehandelaar", body)
            )
        else:  # pragma: no cover - the dataset has no other klacht events
            raise DemoFout(f"onverwachte gebeurtenis {type(e).__name__}")
    return stappen


AGGREGATEN: dict[type[ev.EventData], tuple[str, Callable[[list[ev.EventData]], list[Stap]]]] = {
    ev.MeldingOntvangen: ("meldingen", _melding),
    ev.IntegriteitsonderzoekGestart: ("integriteitsonderzoeken", _onderzoek),
    ev.NevenwerkzaamheidGeregistreerd: ("nevenwerkzaamheden", _nevenwerkzaamheid),
    ev.VertrouwenspersoonAangesteld: ("vertrouwenspersonen", _vertrouwenspersoon),
    ev.CasusGeregistreerd: ("casussen", _casus),
    ev.KlachtIngediend: ("klachten", _klacht),
}
INGRESS_ROL = {"kmar-bps": "kmar", "ecld": "ecld"}


def _ingress_id(event: ev.EventData) -> str:
    """A fixed CloudEvent id per event: a repeated delivery is `dubbel`, never counted twice."""
    inhoud = json.dumps(event.wire(), sort_keys=True)
    return str(uuid.uuid5(NS_INGRESS, f"{event.event_type}:{inhoud}"))


def dossiers(pairs: Iterable[Pair] | None = None) -> list[Dossier]:
    """The dataset (default: all of `jaarverslag.events()`) as dossiers of API calls."""
    per_aggregaat: dict[str, tuple[str, list[ev.EventData]]] = {}
    ingress: dict[str, list[dict[str, Any]]] = {"kmar-bps": [], "ecld": []}
    for event, registered_at in pairs if pairs is not None else events():
        if event.system in ingress:
            env = new_envelope(event, time=registered_at, event_id=_ingress_id(event))
            ingress[event.system].append(to_structured(env))
            continue
        key = event.subject()
        soort = AGGREGATEN.get(type(event))
        if soort is not None:
            per_aggregaat[f"{soort[0]}:{key}"] = (soort[0], [event])
            continue
        # a later step of an aggregate registered before
        sectie = next((s for s in SECTIES if f"{s}:{key}" in per_aggregaat), None)
        if sectie is None:
            raise DemoFout(f"{type(event).__name__} zonder eerdere registratie")
        per_aggregaat[f"{sectie}:{key}"][1].append(event)
    result: list[Dossier] = []
    bouwers = {sectie: bouw for sectie, bouw in AGGREGATEN.values()}
    for sleutel, (sectie, evs) in per_aggregaat.items():
        result.append(Dossier(sleutel, sectie, bouwers[sectie](evs)))
    for systeem, items in ingress.items():
        for start in range(0, len(items), INGRESS_BATCH):
            batch = items[start : start + INGRESS_BATCH]
            result.append(
                Dossier(
                    f"kmar_ecld:{systeem}:{start}",
                    "kmar_ecld",
                    [
                        Stap(
                            "rapportage",
                            "/gebeurtenissen",
                            INGRESS_ROL[systeem],
                            batch,
                            status=202,
                            gebeurtenissen=len(batch),
                        )
                    ],
                )
            )
    return result


# --- the journal -----------------------------------------------------------------------------


@dataclass
class Voortgang:
    """Per dossier: how many steps are done, and the id the service gave."""

    stappen: int = 0
    id: str | None = None


class Journaal:
    """Append-only record of the successful calls, so an interrupted load resumes."""

    def __init__(self, pad: Path | None) -> None:
        self.pad = pad
        self.stand: dict[str, Voortgang] = {}
        if pad is not None and pad.exists():
            for regel in pad.read_text(encoding="utf-8").splitlines():
                try:
                    r = json.loads(regel)
                except ValueError:
                    continue  # a half-written last line of an interrupted run
                v = self.stand.setdefault(r["d"], Voortgang())
                v.stappen = max(v.stappen, int(r["s"]) + 1)
                v.id = r.get("id") or v.id
        self._fh = pad.open("a", encoding="utf-8") if pad is not None else None

    def noteer(self, dossier: str, stap: int, id_: str | None) -> None:
        v = self.stand.setdefault(dossier, Voortgang())
        v.stappen, v.id = stap + 1, id_ or v.id
        if self._fh is not None:
            self._fh.write(json.dumps({"d": dossier, "s": stap, "id": id_}) + "\n")
            self._fh.flush()

    def sluit(self) -> None:
        if self._fh is not None:
            self._fh.close()


# --- running -----------------------------------------------------------------------------------


class Tokens:
    def __init__(self, keys: DevKeys, ttl_s: int = 4 * 3600) -> None:
        self._keys, self._ttl = keys, ttl_s
        self._cache: dict[str, str] = {}

    def kop(self, rol: str) -> dict[str, str]:
        if rol not in self._cache:
            roles, onderdeel, sub = IDENTITEITEN[rol]
            self._cache[rol] = mint_token(
                private_key=self._keys.private_key,
                kid=self._keys.kid,
                sub=sub,
                roles=list(roles),
                issuer=DEV_ISSUER,
                audience=DEFAULT_AUDIENCE,
                defensieonderdeel=onderdeel,
                ttl_s=self._ttl,
            )
        return {"Authorization": f"Bearer {self._cache[rol]}"}


@dataclass
class Uitslag:
    verzoeken: int = 0
    gebeurtenissen: int = 0  # events this run made the services emit
    overgeslagen: int = 0  # dossiers already complete in the journal
    per_sectie: dict[str, int] = field(default_factory=dict)
    seconden: float = 0.0
    piek: int = 0  # the most requests that were in flight at once
    # `laad_demo` only: events in the rapportage ledger at the end, and what it waited for
    in_rapportage: int = 0
    verwacht_in_rapportage: int = 0
    totaal_seconden: float = 0.0  # the calls and the wait for rapportage

    def samenvatting(self) -> str:
        """One line for the end of `make run`'s demo load."""
        dossiers = sum(self.per_sectie.values())
        regel = (
            f"demodata geladen in {self.totaal_seconden:.0f} s: {self.verzoeken} verzoeken, "
            f"{dossiers} dossiers, {self.gebeurtenissen} gebeurtenissen"
        )
        if self.in_rapportage < self.verwacht_in_rapportage:
            return (
                f"{regel}; de rapportage heeft er {self.in_rapportage} van "
                f"{self.verwacht_in_rapportage}, de rest volgt"
            )
        return f"{regel}, alle verwerkt door de rapportage"


def _probleem(r: httpx.Response) -> str:
    try:
        body = r.json()
    except ValueError:
        return r.text[:300]
    return json.dumps(body, ensure_ascii=False)[:600]


class Verzoeken:
    """At most `maximum` requests in flight over all services; counts the peak."""

    def __init__(self, maximum: int, uitslag: Uitslag) -> None:
        self._plekken = asyncio.Semaphore(maximum)
        self._bezig = 0
        self._uitslag = uitslag

    async def post(
        self, client: httpx.AsyncClient, url: str, body: Any, headers: dict[str, str]
    ) -> httpx.Response:
        async with self._plekken:
            self._bezig += 1
            self._uitslag.piek = max(self._uitslag.piek, self._bezig)
            try:
                return await client.post(url, json=body, headers=headers)
            finally:
                self._bezig -= 1


async def _voer_uit(
    client: httpx.AsyncClient,
    verzoeken: Verzoeken,
    tokens: Tokens,
    dossier: Dossier,
    journaal: Journaal,
    uitslag: Uitslag,
) -> None:
    stand = journaal.stand.get(dossier.sleutel, Voortgang())
    hervat = stand.stappen > 0
    id_ = stand.id
    for i, stap in enumerate(dossier.stappen):
        if i < stand.stappen:
            continue
        url = stap.url.replace("{id}", id_ or "")
        for poging in range(POGINGEN):
            r = await verzoeken.post(client, url, stap.body, tokens.kop(stap.rol))
            # 500: the request's transaction was rolled back (on SQLite mostly "database is
            # locked" while another transaction writes), so trying again cannot double it
            if r.status_code not in (429, 500, 503) or poging == POGINGEN - 1:
                break
            wacht = r.headers.get("Retry-After")
            await asyncio.sleep(min(5.0, float(wacht) if wacht else 0.1 * 2**poging))
        uitslag.verzoeken += 1
        if r.status_code == 409 and hervat and "{id}" in stap.pad:
            # resuming: the service had done this step, the journal missed its answer
            journaal.noteer(dossier.sleutel, i, None)
            hervat = False
            continue
        hervat = False
        if r.status_code != stap.status:
            raise DemoFout(
                f"{dossier.sleutel}, stap {i + 1} (POST {url}): {r.status_code} {_probleem(r)}"
            )
        if i == 0 and stap.status == 201:
            id_ = str(r.json()["id"])
        if stap.dienst == "rapportage":
            body = r.json()
            if body.get("afgewezen"):
                raise DemoFout(f"{dossier.sleutel}: afgewezen {body['afgewezen'][:3]}")
            uitslag.gebeurtenissen += int(body.get("geaccepteerd", 0))
        else:
            uitslag.gebeurtenissen += stap.gebeurtenissen
        journaal.noteer(dossier.sleutel, i, id_ if i == 0 else None)


async def laad(
    clients: Mapping[str, httpx.AsyncClient],
    keys: DevKeys,
    *,
    journaal_pad: Path | None = None,
    parallel: int = PARALLEL,
    parallel_per_dienst: Mapping[str, int] = PARALLEL_PER_DIENST,
    max_verzoeken: int = MAX_VERZOEKEN,
    meld: Callable[[str], None] = print,
    selectie: Sequence[Dossier] | None = None,
) -> Uitslag:
    """Run the dossiers (default: the whole dataset) against the services.

    `clients` maps a service name to an httpx client whose base URL is that service's root
    (`http://127.0.0.1:8001`, or an in-process `ASGITransport` client). Up to `parallel`
    dossiers per service run at once, and at most `max_verzoeken` requests over all
    services; the steps of one dossier run in order. `parallel_per_dienst` names services
    that run another number of dossiers at once.
    """
    alle = list(selectie) if selectie is not None else dossiers()
    journaal = Journaal(journaal_pad)
    tokens = Tokens(keys)
    uitslag = Uitslag()
    verzoeken = Verzoeken(max_verzoeken, uitslag)
    begin = time.monotonic()
    totaal = {s: sum(1 for d in alle if d.sectie == s) for s in SECTIES}
    klaar = dict.fromkeys(SECTIES, 0)
    wachtrij: dict[str, asyncio.Queue[Dossier]] = {}
    for d in alle:
        if journaal.stand.get(d.sleutel, Voortgang()).stappen >= len(d.stappen):
            uitslag.overgeslagen += 1
            klaar[d.sectie] += 1
            continue
        wachtrij.setdefault(d.dienst, asyncio.Queue()).put_nowait(d)

    def sectie_klaar(sectie: str) -> None:
        klaar[sectie] += 1
        if klaar[sectie] == totaal[sectie]:
            meld(f"  {sectie:<24} {totaal[sectie]:>5} klaar ({time.monotonic() - begin:5.1f} s)")

    async def werker(dienst: str) -> None:
        q = wachtrij[dienst]
        while not q.empty():
            d = q.get_nowait()
            await _voer_uit(clients[dienst], verzoeken, tokens, d, journaal, uitslag)
            sectie_klaar(d.sectie)

    try:
        async with asyncio.TaskGroup() as tg:
            for dienst in wachtrij:
                for _ in range(parallel_per_dienst.get(dienst, parallel)):
                    tg.create_task(werker(dienst))
    except ExceptionGroup as eg:
        fouten = [e for e in eg.exceptions if isinstance(e, DemoFout)]
        if fouten:
            raise fouten[0] from None
        raise
    finally:
        journaal.sluit()
    uitslag.per_sectie = dict(totaal)
    uitslag.seconden = time.monotonic() - begin
    return uitslag


async def ledger_totaal(client: httpx.AsyncClient, tokens: Tokens) -> int:
    """The events in rapportage's ledger that the services' writes caused: the audit chains'
    anchors, published once a minute whatever happens, are left out."""
    r = await client.get("/api/rapportage/v1/afstemming", headers=tokens.kop("beheerder"))
    r.raise_for_status()
    return sum(
        int(rij["aantal"])
        for rij in r.json()["perBronEnType"]
        if rij["type"] != ev.AuditKetenkop.event_type
    )


async def wacht_op_rapportage(
    client: httpx.AsyncClient, tokens: Tokens, doel: int, *, binnen_s: float = 120
) -> int:
    """Wait until the rapportage ledger holds at least `doel` events; returns the count."""
    deadline = time.monotonic() + binnen_s
    while True:
        n = await ledger_totaal(client, tokens)
        if n >= doel or time.monotonic() > deadline:
            return n
        await asyncio.sleep(0.5)


# --- the `make run` / `integriteit demo` entry point ------------------------------------------


def is_geladen(data_dir: Path) -> bool:
    return (data_dir / MARKER).exists()


async def laad_demo(
    data_dir: Path,
    *,
    basis_urls: Mapping[str, str] | None = None,
    meld: Callable[[str], None] = print,
) -> Uitslag | None:
    """Load the demo data into the running stack once (None: it was loaded before).

    The answer's `samenvatting()` is the one-line summary `make run` prints at the end."""
    data_dir = Path(data_dir)
    if is_geladen(data_dir):
        return None
    begin = time.monotonic()
    urls = dict(basis_urls or {s.name: f"http://127.0.0.1:{s.port}" for s in registered_services()})
    keys = ensure_dev_keys(data_dir / "dev-keys")
    tokens = Tokens(keys)
    # a connection per dossier in flight: none waits for another's
    n = max(PARALLEL, *PARALLEL_PER_DIENST.values())
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    clients = {s: httpx.AsyncClient(base_url=u, timeout=60, limits=limits) for s, u in urls.items()}
    try:
        hervat = (data_dir / JOURNAAL).exists()
        meld(
            "demodata: het jaarverslag 2024 laden via de API's"
            + (" (hervat na een onderbreking)" if hervat else "")
            + " ..."
        )
        voor = await ledger_totaal(clients["rapportage"], tokens)
        uitslag = await laad(clients, keys, journaal_pad=data_dir / JOURNAAL, meld=meld)
        meld(
            f"demodata: {uitslag.verzoeken} verzoeken in {uitslag.seconden:.0f} s "
            f"(tot {uitslag.piek} tegelijk); wachten tot de rapportage alles verwerkt heeft ..."
        )
        uitslag.verwacht_in_rapportage = voor + uitslag.gebeurtenissen
        uitslag.in_rapportage = await wacht_op_rapportage(
            clients["rapportage"], tokens, uitslag.verwacht_in_rapportage
        )
        uitslag.totaal_seconden = time.monotonic() - begin
        (data_dir / MARKER).write_text(
            json.dumps(
                {
                    "geladenOp": datetime.now(UTC).isoformat(),
                    "dossiers": uitslag.per_sectie,
                    "verzoeken": uitslag.verzoeken,
                    "gebeurtenissen": uitslag.gebeurtenissen,
                    "seconden": round(uitslag.totaal_seconden, 1),
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        return uitslag
    finally:
        for c in clients.values():
            await c.aclose()
