"use strict";
// The annual figures as charts, each with a table view (accessible, and what tests read).
// Polls the API with If-None-Match and redraws only when the figures changed.
const API = "/api/rapportage/v1";
const POLL_MS = 10000;
const KLEUREN = ["#154273", "#8fcae7", "#e17000", "#39870c", "#a90061", "#ffb612", "#5c2483"];

const NAMEN = {
  hrhd: "HRHD (meldpunt)", bps: "BPS (KMar)", totaal: "Totaal",
  vastgesteldeSchendingenBps: "Vastgestelde schendingen BPS",
  inBehandelingGenomen: "In behandeling genomen", afgerond: "Afgerond", vastgesteld: "Vastgesteld",
  ingediend: "Ingediend", behandeldDoorCog: "Behandeld door COG",
  uitgevoerd: "Uitgevoerd",
  rechtspositioneleOnderzoekenGestart: "Rechtspositionele onderzoeken gestart",
  rechtspositioneleOnderzoekenAfgerond: "Rechtspositionele onderzoeken afgerond",
  schendingVastgesteld: "Schending vastgesteld",
  geregistreerd: "Geregistreerd", positiefAdvies: "Positief advies", negatiefAdvies: "Negatief advies",
  casussen: "Casussen",
  ongewenst_gedrag: "Ongewenst gedrag", zakelijke_integriteit: "Zakelijke integriteit", overig: "Overig",
  onbehoorlijkheid: "Onbehoorlijkheid", combinatie: "Combinatie",
  uitspreken_bespreken_aanspreken: "Uitspreken, bespreken & aanspreken", mindbugs: "Mindbugs",
  leidinggeven_sociaal_veilige_werkomgeving: "Leidinggeven aan een sociaal veilige werkomgeving",
  sociale_veiligheid_diversiteit_inclusiviteit: "Sociale veiligheid, diversiteit & inclusiviteit",
  kameraadschap: "Kameraadschap", basis_leergang_integriteit: "Basis Leergang Integriteit (BLI)",
  pesten: "Pesten en/of treiteren", intimidatie: "Intimidatie", kwaadspreken: "Kwaadspreken",
  seksuele_intimidatie: "Seksuele intimidatie", discriminatie: "Discriminatie",
  agressie_en_geweld: "Agressie en geweld", stalking: "Stalking", machtsmisbruik: "Machtsmisbruik",
  ongewenst_gedrag_overig: "Ongewenst gedrag overig",
  misbruik_positie: "Misbruik van positie, bevoegdheden en belangenverstrengeling",
  overschrijding_interne_regels: "Overschrijding interne regels",
  oneigenlijk_gebruik_dienstmiddelen: "Oneigenlijk gebruik van dienstmiddelen",
  financiele_schendingen: "Financiële schendingen", lekken_informatie: "Lekken van informatie",
  misbruik_geweldsbevoegdheid: "Misbruik geweldsbevoegdheid",
  misdragingen_privesfeer: "Misdragingen in de privésfeer",
  zakelijke_integriteit_overig: "Zakelijke integriteit",
  arbeidsconflict: "Arbeidsconflict", privesituatie: "Privésituatie",
  ontvangstbevestigingBinnen7DagenProcent: "Ontvangstbevestiging binnen 7 dagen (%)",
  terugkoppelingBinnen3MaandenProcent: "Terugkoppeling binnen 3 maanden (%)",
  mediaanDagenTotAfronding: "Mediaan dagen tot afronding melding",
  klachtenBinnenTermijnProcent: "Klachten binnen termijn (%)",
  mediaanDagenKlacht: "Mediaan dagen klacht",
  // Afhandeling (jaarverslag.analyse)
  mid: "Meldpunt (MID)", leidinggevende: "Leidinggevende", ja: "Anoniem", nee: "Niet anoniem",
  informeel: "Informeel", besluit: "Besluit", gegrond: "Gegrond", deels_gegrond: "Deels gegrond",
  ongegrond: "Ongegrond", ingetrokken: "Ingetrokken", niet_ontvankelijk: "Niet-ontvankelijk",
  schending_vastgesteld: "Schending vastgesteld", geen_schending: "Geen schending",
  niet_van_toepassing: "Niet van toepassing", integriteitsonderzoek: "Integriteitsonderzoek",
  gespreksbegeleiding: "Gespreksbegeleiding", mediation: "Mediation", excuses: "Excuses",
  doorverwezen: "Doorverwezen", geen_vervolg: "Geen vervolg",
  meldpunt: "Meldpunt", klachten: "Klachten",
  ontvangstTotBevestiging: "Ontvangst tot ontvangstbevestiging",
  bevestigingTotTerugkoppeling: "Ontvangstbevestiging tot terugkoppeling",
  ontvangstTotAfronding: "Ontvangst tot afronding",
  klachtOntvangstTotAfhandeling: "Klacht: ontvangst tot afhandeling",
  onderzoekStartTotEinde: "Integriteitsonderzoek: start tot einde",
  bedrijfsmaatschappelijk_werk: "Bedrijfsmaatschappelijk werk", p_en_o: "P&O", anders: "Anders",
  mediaan: "mediaan", p90: "p90",
  // Voortgang: the legal deadlines
  ontvangstbevestiging: "Over termijn ontvangstbevestiging (7 dagen)",
  terugkoppeling: "Over termijn terugkoppeling (3 maanden)",
  klachttermijn: "Over klachttermijn (6/10 weken + verdaging)",
  nazorgcontact: "Over termijn nazorgcontact (30 dagen)",
  // Nazorg (jaarverslag.nazorg)
  benadelingGemeld: "Benadeling gemeld", benadelingProcent: "Benadeling gemeld (%)",
  verlopen: "Verlopen",
};
const ZAAKSOORTEN = ["melding", "misstand", "integriteitsonderzoek", "klacht", "nevenwerkzaamheid",
  "nazorg"];
const ZAAKNAMEN = { melding: "Meldingen", misstand: "Vermoedens van misstanden",
  integriteitsonderzoek: "Integriteitsonderzoeken", klacht: "Klachten",
  nevenwerkzaamheid: "Nevenwerkzaamheden zonder advies",
  nazorg: "Nazorgcontacten niet uitgevoerd" };
// the deadlines in the table per onderdeel, with the kind each belongs to
const TERMIJNEN_PER_ONDERDEEL = [["melding", "ontvangstbevestiging"], ["melding", "terugkoppeling"],
  ["klacht", "klachttermijn"], ["nazorg", "nazorgcontact"]];
const LEEFTIJDEN = ["0-7", "8-30", "31-90", "91-180", ">180"];
const naam = (code) => NAMEN[code] || code;

// etags and data per URL: a poll sends If-None-Match and keeps the last answer; `getekend`
// is what the page shows (view, URL, tables), so a change of choice redraws from memory
const staat = { token: null, etags: {}, data: {}, getekend: null, weergave: "jaarcijfers",
  grafieken: {}, timer: null, notitie: "" };

function el(tag, attrs = {}, ...kinderen) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const k of kinderen) e.append(k);
  return e;
}

function reeksen(obj, pad, sleutels) {
  // [{label, pad, waarden: {jaar: n}}] for the given keys of obj (each a year-keyed series)
  return (sleutels || Object.keys(obj || {})).map((k) => ({
    label: naam(k), pad: `${pad}.${k}`, waarden: (obj || {})[k] || {},
  }));
}

function figuren(d) {
  // In the order of the annual report; "Fig. N" as numbered there (each number once), the
  // cards without a figure of their own in the report unnumbered.
  const m = d.meldingen, vp = d.vertrouwenspersonen;
  return [
    { id: "opleidingen", titel: "Fig. 1 — Deelnemers open inschrijvingen", perCategorie: true,
      rijen: Object.entries(d.opleidingen.deelnemers || {}).map(([k, v]) => ({
        label: naam(k), pad: `opleidingen.deelnemers.${k}`, waarden: v })),
      extra: [{ label: "Totaal", pad: "opleidingen.totaal", waarden: d.opleidingen.totaal || {} }] },
    { id: "meldingen", titel: "Fig. 2 — Meldingen vermoedelijke integriteitsschendingen", gestapeld: true,
      rijen: reeksen(m, "meldingen", ["hrhd", "bps"]),
      extra: reeksen(m, "meldingen", ["totaal", "vastgesteldeSchendingenBps"]) },
    { id: "top3", titel: "Top 3 meldingen per hoofdcategorie (" + d.jaar + ")", top3: m.top3,
      top3pad: "meldingen.top3" },
    { id: "misstanden", titel: "Fig. 3 — Vermoedens van misstanden",
      rijen: reeksen(d.misstanden, "misstanden") },
    { id: "klachten", titel: "Fig. 4 — Klachten en behandeling door COG",
      rijen: reeksen(d.klachten, "klachten", ["ingediend", "behandeldDoorCog"]),
      extra: Object.entries(d.klachten.perSoort || {}).map(([k, v]) => ({
        label: "Soort: " + naam(k), pad: `klachten.perSoort.${k}`, waarden: v })) },
    { id: "onderzoeken", titel: "Fig. 5 — Integriteitsonderzoeken COID",
      rijen: reeksen(d.integriteitsonderzoeken, "integriteitsonderzoeken", ["uitgevoerd"]),
      kpi: [["Gestart vóór en afgerond in " + d.jaar, d.integriteitsonderzoeken.gestartVoorJaarAfgerondInJaar,
              "integriteitsonderzoeken.gestartVoorJaarAfgerondInJaar"],
            ["Gestart en afgerond in " + d.jaar, d.integriteitsonderzoeken.gestartEnAfgerondInJaar,
              "integriteitsonderzoeken.gestartEnAfgerondInJaar"],
            ["Gestart in " + d.jaar + ", doorlopend", d.integriteitsonderzoeken.gestartInJaarDoorlopend,
              "integriteitsonderzoeken.gestartInJaarDoorlopend"]] },
    { id: "kmar", titel: "Koninklijke Marechaussee — rechtspositionele onderzoeken",
      rijen: reeksen(d.kmar, "kmar") },
    { id: "nevenwerkzaamheden", titel: "Fig. 6 — Geregistreerde nevenwerkzaamheden",
      rijen: reeksen(d.nevenwerkzaamheden, "nevenwerkzaamheden") },
    { id: "netwerk", titel: "Netwerk vertrouwenspersonen op 31 december " + d.jaar, netwerk: vp.netwerk },
    { id: "casussen", titel: "Fig. 7 — Casussen vertrouwenspersonen",
      rijen: reeksen(vp, "vertrouwenspersonen", ["casussen"]),
      extra: Object.entries(vp.perHoofdcategorie || {}).map(([k, v]) => ({
        label: naam(k), pad: `vertrouwenspersonen.perHoofdcategorie.${k}`, waarden: v })) },
    { id: "top3-casussen", titel: "Top 3 casussen per hoofdcategorie (" + d.jaar + ")",
      top3: vp.top3, top3pad: "vertrouwenspersonen.top3" },
    { id: "doorlooptijden", titel: "Doorlooptijden " + d.jaar,
      kpi: Object.entries(d.doorlooptijden || {}).map(([k, v]) => [naam(k), v, `doorlooptijden.${k}`]) },
  ];
}

function isLeeg(fig) {
  // nothing to draw: a chart would be a bare 0-1 axis, the KPI boxes only dashes
  if (fig.top3) return !Object.values(fig.top3 || {}).some((lijst) => (lijst || []).length);
  if (fig.netwerk) return !Object.values(fig.netwerk || {}).some((n) => n && n.aantal);
  // where null means unknown (a percentage, a lead time), a 0 is a figure: 0% of the
  // check-ins reported retaliation is data, not its absence
  const bekend = fig.nulOnbekend ? (w) => w != null : (w) => w;
  if (fig.rijen) return !fig.rijen.some((r) => Object.values(r.waarden || {}).some(bekend));
  if (fig.kpi) return fig.kpi.every(([, w]) => w == null);
  return false;
}

function regels(tekst, max = 22) {
  // a long axis label as lines of at most `max` characters (Chart.js draws an array as
  // lines), so that it wraps instead of running off the canvas
  const uit = [];
  let regel = "";
  for (const woord of String(tekst).split(" ")) {
    if (regel && regel.length + 1 + woord.length > max) { uit.push(regel); regel = woord; }
    else regel = regel ? regel + " " + woord : woord;
  }
  if (regel) uit.push(regel);
  return uit.length > 1 ? uit : (uit[0] || "");
}

function tabelJaren(fig, jaren) {
  const rijen = [...(fig.rijen || []), ...(fig.extra || [])];
  const t = el("table", { "data-figuur": fig.id });
  t.append(el("caption", {}, fig.titel));
  const kop = el("tr", {}, el("th", { scope: "col" }, "Indicator"));
  for (const j of jaren) kop.append(el("th", { scope: "col" }, String(j)));
  t.append(el("thead", {}, kop));
  const body = el("tbody");
  for (const r of rijen) {
    const tr = el("tr", {}, el("th", { scope: "row" }, r.label));
    for (const j of jaren) {
      const w = r.waarden[String(j)];
      const leeg = fig.nulOnbekend ? "–" : "0";
      tr.append(el("td", { "data-reeks": r.pad, "data-jaar": String(j) }, w == null ? leeg : String(w)));
    }
    body.append(tr);
  }
  t.append(body);
  return t;
}

function tabelKpi(fig) {
  const t = el("table", { "data-figuur": fig.id });
  t.append(el("caption", {}, fig.titel));
  const body = el("tbody");
  for (const [label, w, pad] of fig.kpi) {
    body.append(el("tr", {}, el("th", { scope: "row" }, label),
      el("td", { "data-kpi": label, "data-reeks": pad }, w == null ? "–" : String(w))));
  }
  t.append(body);
  return t;
}

function tabelTop3(fig) {
  // the hoofdcategorie heads its group of rows: three narrow columns fit a phone's card
  const t = el("table", { "data-figuur": fig.id, class: "top3" });
  t.append(el("caption", {}, fig.titel));
  t.append(el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Plaats"),
    el("th", { scope: "col" }, "Subcategorie"), el("th", { scope: "col" }, "Aantal"))));
  for (const [hoofd, lijst] of Object.entries(fig.top3 || {})) {
    const groep = el("tbody", {}, el("tr", {}, el("th", { scope: "rowgroup", colspan: "3",
      class: "groep" }, naam(hoofd))));
    (lijst || []).forEach((item, i) => groep.append(el("tr", {},
      el("td", {}, String(i + 1)),
      el("td", { "data-subcategorie": item.subcategorie }, naam(item.subcategorie)),
      el("td", { "data-reeks": `${fig.top3pad}.${hoofd}.${i}` }, String(item.aantal)))));
    t.append(groep);
  }
  return t;
}

function tabelNetwerk(fig) {
  const t = el("table", { "data-figuur": fig.id });
  t.append(el("caption", {}, fig.titel));
  t.append(el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Defensieonderdeel"),
    el("th", { scope: "col" }, "Aantal"), el("th", { scope: "col" }, "Groei (%)"))));
  const body = el("tbody");
  for (const [od, n] of Object.entries(fig.netwerk || {})) {
    body.append(el("tr", {}, el("th", { scope: "row" }, od),
      el("td", { "data-reeks": `vertrouwenspersonen.netwerk.${od}.aantal` }, String(n.aantal)),
      el("td", { "data-reeks": `vertrouwenspersonen.netwerk.${od}.groeiProcent` },
        n.groeiProcent == null ? "–" : String(n.groeiProcent))));
  }
  t.append(body);
  return t;
}

// Horizontal bars with a name per bar: every name shown (Chart.js would skip some when
// they do not fit the height, and size the axis to the rest), in a taller chart.
const CATEGORIE_AS = { aspectRatio: 1.2, scales: { x: { beginAtZero: true },
  y: { ticks: { autoSkip: false } } } };

function grafiek(fig, jaren, canvas) {
  const Chart = window.Chart;
  let config;
  if (fig.netwerk) {
    const ods = Object.keys(fig.netwerk);
    config = { type: "bar", data: { labels: ods, datasets: [{ label: "Vertrouwenspersonen",
      data: ods.map((o) => fig.netwerk[o].aantal), backgroundColor: KLEUREN[0] }] } };
  } else if (fig.top3) {
    const labels = [], waarden = [];
    for (const [h, lijst] of Object.entries(fig.top3)) for (const it of lijst || []) {
      labels.push(regels(naam(it.subcategorie))); waarden.push(it.aantal);
    }
    config = { type: "bar", data: { labels, datasets: [{ label: "Aantal", data: waarden,
      backgroundColor: KLEUREN[1] }] }, options: { indexAxis: "y", ...CATEGORIE_AS } };
  } else if (fig.perCategorie) {
    // one bar per category and year, as the report's table: the long names on the axis
    config = { type: "bar", data: { labels: fig.rijen.map((r) => regels(r.label)),
      datasets: jaren.map((j, i) => ({ label: String(j), data: fig.rijen.map((r) => r.waarden[String(j)] || 0),
        backgroundColor: KLEUREN[i % KLEUREN.length] })) },
      options: { indexAxis: "y", ...CATEGORIE_AS } };
  } else if (fig.rijen) {
    const labels = jaren.map(String).reverse();
    config = { type: "bar", data: { labels, datasets: fig.rijen.map((r, i) => ({
      label: r.label, data: labels.map((j) => r.waarden[j] || 0), backgroundColor: KLEUREN[i % KLEUREN.length] })) },
      options: { scales: { x: { stacked: !!fig.gestapeld }, y: { stacked: !!fig.gestapeld, beginAtZero: true } } } };
  } else {
    return null;
  }
  config.options = { responsive: true, animation: false, plugins: { legend: { position: "bottom" } },
    ...(config.options || {}) };
  return new Chart(canvas, config);
}

function analyseFiguren(d) {
  // jaarverslag.analyse: every series keyed by year, as the annual figures
  const a = d.analyse;
  const perCode = (id, titel, obj) => ({ id, titel, rijen: reeksen(obj, `analyse.${id}`) });
  const figs = [
    perCode("afdoening", "Afdoening van meldingen", a.afdoening),
    perCode("kanaal", "Meldingen per kanaal", a.kanaal),
    perCode("anoniem", "Anonieme meldingen", a.anoniem),
    perCode("conclusie", "Conclusie bij afronding", a.conclusie),
    perCode("klachtWijze", "Klachten: wijze van afhandeling", a.klachtWijze),
    perCode("klachtOordeel", "Klachten: oordeel", a.klachtOordeel),
    perCode("cogAdvies", "Advies van de COG", a.cogAdvies),
    perCode("doorverwijzingen", "Doorverwijzingen door vertrouwenspersonen", a.doorverwijzingen),
    { id: "informeleGesprekken", titel: "Informele gesprekken (koffieautomaat)",
      rijen: [{ label: "Gesprekken", pad: "analyse.informeleGesprekken",
        waarden: a.informeleGesprekken || {} }] },
  ];
  const rijen = [];
  for (const [fase, maten] of Object.entries(a.doorlooptijden || {})) {
    for (const maat of Object.keys(maten || {})) {
      rijen.push({ label: `${naam(fase)} (${naam(maat)}, dagen)`,
        pad: `analyse.doorlooptijden.${fase}.${maat}`, waarden: maten[maat] || {} });
    }
  }
  figs.push({ id: "analyse-doorlooptijden", titel: "Doorlooptijden in dagen (mediaan en p90)",
    rijen, nulOnbekend: true, breed: true });
  return figs;
}

function nazorgFiguren(d) {
  // jaarverslag.nazorg: Defensie-wide only (docs/privacy.md), every series keyed by year
  const n = d.nazorg;
  return [
    { id: "nazorg", titel: "Nazorg na afronding van een melding op naam",
      uitleg: "Contactmomenten met de melder, gepland na de afronding (standaard 3, 6 en 12 "
        + "maanden). "
        + "Verlopen: niet binnen 30 dagen na de geplande datum uitgevoerd, geteld in het jaar "
        + "waarin het gepland was. Alleen Defensiebreed.",
      rijen: reeksen(n, "nazorg", ["uitgevoerd", "benadelingGemeld", "verlopen"]) },
    { id: "nazorg-benadeling", titel: "Benadeling gemeld bij nazorg (% van de uitgevoerde contacten)",
      rijen: reeksen(n, "nazorg", ["benadelingProcent"]), nulOnbekend: true },
  ];
}

function tekenKaarten(raster, figs, jaren) {
  const verberg = !document.getElementById("tabellen").checked;
  for (const fig of figs) {
    const klasse = "kaart" + (fig.breed ? " breed" : "") + (verberg ? " verborgen-tabel" : "");
    const kaart = el("section", { class: klasse, id: "fig-" + fig.id, "aria-labelledby": "kop-" + fig.id });
    kaart.append(el("h2", { id: "kop-" + fig.id }, fig.titel));
    if (fig.uitleg) kaart.append(el("p", { class: "uitleg" }, fig.uitleg));
    // in the page before its chart is made: Chart.js sizes the chart to its card at once
    // (a detached canvas is 300 px wide until the next resize)
    raster.append(kaart);
    if (isLeeg(fig)) {
      kaart.append(el("p", { class: "geen-gegevens" }, "geen gegevens"));
    } else if (fig.kpi && !fig.rijen) {
      const kpi = el("div", { class: "kpi" });
      for (const [label, w] of fig.kpi) kpi.append(el("div", {}, el("strong", {}, w == null ? "–" : String(w)), label));
      kaart.append(kpi);
    } else {
      const canvas = el("canvas", { role: "img", "aria-label": fig.titel + " (zie tabel)",
        class: fig.top3 || fig.perCategorie ? "hoog" : "" });
      kaart.append(canvas);
      staat.grafieken[fig.id] = grafiek(fig, jaren, canvas);
    }
    if (fig.top3) kaart.append(tabelTop3(fig));
    else if (fig.netwerk) kaart.append(tabelNetwerk(fig));
    else if (fig.rijen) kaart.append(tabelJaren(fig, jaren));
    if (fig.kpi) kaart.append(tabelKpi(fig));
  }
}

function celTekst(c) {
  // a suppressible count of a breakdown per onderdeel
  return c.onderdrukt ? "onderdrukt" : String(c.waarde);
}

function tekenVoortgang(raster, v) {
  const verberg = !document.getElementById("tabellen").checked;
  const Chart = window.Chart;
  for (const soort of ZAAKSOORTEN) {
    const st = v.soorten[soort];
    const id = "vg-" + soort, titel = `${ZAAKNAMEN[soort]} — open op ${v.peildatum}`;
    const kaart = el("section", { class: "kaart" + (verberg ? " verborgen-tabel" : ""), id: "fig-" + id,
      "aria-labelledby": "kop-" + id });
    kaart.append(el("h2", { id: "kop-" + id }, titel));
    raster.append(kaart);
    const kpi = el("div", { class: "kpi" },
      el("div", {}, el("strong", {}, String(st.open)), "open"),
      ...Object.entries(st.overTermijn).map(([t, n]) => el("div", {}, el("strong", {}, String(n)), naam(t))),
      el("div", {}, el("strong", {}, st.oudsteDagen == null ? "–" : String(st.oudsteDagen)), "oudste (dagen)"));
    kaart.append(kpi);
    if (st.open) {
      const canvas = el("canvas", { role: "img", "aria-label": titel + " per leeftijd in dagen (zie tabel)" });
      kaart.append(canvas);
      staat.grafieken[id] = new Chart(canvas, { type: "bar", data: { labels: LEEFTIJDEN.map((k) => k + " d"),
        datasets: [{ label: "Open zaken per leeftijd (dagen)", data: LEEFTIJDEN.map((k) => st.perLeeftijd[k]),
          backgroundColor: KLEUREN[0] }] },
        options: { responsive: true, animation: false, plugins: { legend: { position: "bottom" } },
          scales: { y: { beginAtZero: true } } } });
    } else {
      kaart.append(el("p", { class: "geen-gegevens" }, "geen open zaken"));
    }
    const t = el("table", { "data-figuur": id });
    t.append(el("caption", {}, titel));
    const body = el("tbody");
    const rij = (label, pad, w) => body.append(el("tr", {}, el("th", { scope: "row" }, label),
      el("td", { "data-reeks": pad }, w == null ? "–" : String(w))));
    rij("Open", `soorten.${soort}.open`, st.open);
    for (const k of LEEFTIJDEN) rij(`Leeftijd ${k} dagen`, `soorten.${soort}.perLeeftijd.${k}`, st.perLeeftijd[k]);
    for (const [t2, n] of Object.entries(st.overTermijn)) rij(naam(t2), `soorten.${soort}.overTermijn.${t2}`, n);
    rij("Oudste open zaak (dagen)", `soorten.${soort}.oudsteDagen`, st.oudsteDagen);
    t.append(body);
    kaart.append(t);
  }

  // per onderdeel: open per kind, small counts suppressed
  const ods = Object.keys(v.perDefensieonderdeel);
  const po = el("section", { class: "kaart breed", id: "fig-vg-onderdelen", "aria-labelledby": "kop-vg-onderdelen" });
  po.append(el("h2", { id: "kop-vg-onderdelen" }, "Open zaken per defensieonderdeel"));
  po.append(el("p", { class: "uitleg" }, "Aantallen van 1 tot en met 4 worden niet getoond, zodat niemand herkenbaar is."));
  // two tables, the open cases per kind and those over each term: one of eleven columns
  // would squeeze its headers into fragments of words
  const perOnderdeel = (figuur, caption, kolommen) => {
    const t = el("table", { "data-figuur": figuur });
    t.append(el("caption", {}, caption + " op " + v.peildatum));
    t.append(el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Defensieonderdeel"),
      ...kolommen.map(([kop]) => el("th", { scope: "col" }, kop)))));
    const body = el("tbody");
    for (const od of ods) {
      body.append(el("tr", {}, el("th", { scope: "row" }, od), ...kolommen.map(([, pad, cel]) =>
        el("td", { "data-reeks": `perDefensieonderdeel.${od}.${pad}` }, celTekst(cel(v.perDefensieonderdeel[od]))))));
    }
    t.append(body);
    po.append(t);
  };
  perOnderdeel("vg-onderdelen", "Open zaken per defensieonderdeel",
    ZAAKSOORTEN.map((soort) => [ZAAKNAMEN[soort], `${soort}.open`, (per) => per[soort].open]));
  perOnderdeel("vg-onderdelen-termijnen", "Over termijn per defensieonderdeel",
    TERMIJNEN_PER_ONDERDEEL.map(([soort, t2]) => [naam(t2), `${soort}.overTermijn.${t2}`,
      (per) => per[soort].overTermijn[t2]]));
  raster.append(po);

  // the overdue cases, longest over first
  const ac = el("section", { class: "kaart breed", id: "fig-vg-achterstallig", "aria-labelledby": "kop-vg-achterstallig" });
  ac.append(el("h2", { id: "kop-vg-achterstallig" }, `Achterstallig: ${v.achterstallig.length} termijnen verstreken`));
  raster.append(ac);
  if (!v.achterstallig.length) {
    ac.append(el("p", { class: "geen-gegevens" }, "geen zaken over een termijn"));
  } else {
    const ta = el("table", { "data-figuur": "vg-achterstallig" });
    ta.append(el("caption", {}, "Zaken en nazorgcontacten over een termijn op " + v.peildatum));
    const velden = [["id", "Zaak (id)"], ["defensieonderdeel", "Onderdeel"], ["soort", "Soort"],
      ["termijn", "Termijn"], ["uiterlijk", "Uiterlijk"], ["dagenOver", "Dagen over"]];
    ta.append(el("thead", {}, el("tr", {}, ...velden.map(([, l]) => el("th", { scope: "col" }, l)))));
    const ba = el("tbody");
    v.achterstallig.forEach((a, i) => ba.append(el("tr", {}, ...velden.map(([k]) =>
      el("td", { "data-reeks": `achterstallig.${i}.${k}` }, a[k] == null ? "–" : String(a[k]))))));
    ta.append(ba);
    ac.append(el("div", { class: "lijst", tabindex: "0", role: "region",
      "aria-label": "Lijst achterstallige zaken" }, ta));
  }
}

function teken(d) {
  const raster = document.getElementById("grafieken");
  for (const g of Object.values(staat.grafieken)) g && g.destroy();
  staat.grafieken = {};
  raster.replaceChildren();
  if (staat.weergave === "voortgang") {
    tekenVoortgang(raster, d);
  } else if (staat.weergave === "afhandeling") {
    if (d.analyse) tekenKaarten(raster, analyseFiguren(d), d.jaren);
    else raster.append(el("p", { class: "geen-gegevens", id: "geen-analyse" }, "nog geen gegevens"));
  } else if (staat.weergave === "nazorg") {
    if (d.nazorg) tekenKaarten(raster, nazorgFiguren(d), d.jaren);
    else raster.append(el("p", { class: "geen-gegevens", id: "geen-nazorg" }, "nog geen gegevens"));
  } else {
    tekenKaarten(raster, figuren(d), d.jaren);
  }
  document.getElementById("peildatum").textContent = d.peildatum;
  document.body.dataset.jaar = String(d.jaar ?? document.getElementById("jaar").value);
}

function meld(tekst) {
  document.getElementById("status").textContent = staat.notitie ? staat.notitie + " " + tekst : tekst;
}

function kop(extra = {}) {
  const h = { Accept: "application/json", ...extra };
  if (staat.token) h.Authorization = "Bearer " + staat.token;
  return h;
}

function peil() {
  return document.getElementById("peil").value;  // "" is today (the API's default)
}

function zoek(params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, w]) => w));
  return q.toString() ? "?" + q : "";
}

function urlVanWeergave() {
  const od = document.getElementById("onderdeel").value;
  if (staat.weergave === "voortgang") return `${API}/voortgang${zoek({ peildatum: peil(), defensieonderdeel: od })}`;
  return `${API}/jaarverslagen/${document.getElementById("jaar").value}${zoek({ peildatum: peil() })}`;
}

class Fout extends Error {}

async function haal(url) {
  // the answer for `url`, from memory when the server says 304; `nieuw` when it changed
  const extra = staat.etags[url] && staat.data[url] ? { "If-None-Match": staat.etags[url] } : {};
  const r = await fetch(url, { headers: kop(extra), credentials: "same-origin" });
  if (r.status === 304) return { data: staat.data[url], nieuw: false };
  if (!r.ok) throw new Fout(`Fout bij ophalen (${r.status}).`);
  staat.data[url] = await r.json();
  staat.etags[url] = r.headers.get("ETag");
  return { data: staat.data[url], nieuw: true };
}

async function laad() {
  const url = urlVanWeergave();
  const sleutel = [staat.weergave, url, document.getElementById("tabellen").checked].join(" ");
  try {
    const { data, nieuw } = await haal(url);
    const nu = new Date().toLocaleTimeString("nl-NL");
    if (!nieuw && staat.getekend === sleutel) { meld(`Gecontroleerd om ${nu}: ongewijzigd.`); }
    else {
      teken(data);
      staat.getekend = sleutel;
      document.body.dataset.weergave = staat.weergave;
      document.body.dataset.geladen = "ja";
      meld(`Bijgewerkt om ${nu}.`);
    }
  } catch (e) {
    meld(e instanceof Fout ? e.message : "Geen verbinding met de rapportagedienst.");
  }
  await laadOnderdeel();
}

async function laadOnderdeel() {
  const od = document.getElementById("onderdeel").value;
  const sectie = document.getElementById("onderdeel-cijfers");
  // the voortgang view has its own table per onderdeel; nazorg has none (Defensie-wide only)
  if (!od || ["voortgang", "nazorg"].includes(staat.weergave)) { sectie.hidden = true; return; }
  const jaar = document.getElementById("jaar").value;
  const r = await fetch(`${API}/indicatoren${zoek({ jaar, defensieonderdeel: od, peildatum: peil() })}`,
    { headers: kop() });
  if (!r.ok) return;
  const rijen = await r.json();
  const t = el("table", { "data-figuur": "onderdeel" });
  // a running year's figures per onderdeel are those of its last month end (docs/privacy.md)
  const stand = rijen.length ? ` (stand ${rijen[0].peildatum})` : "";
  t.append(el("caption", {}, `${od} — ${jaar}${stand}`));
  t.append(el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Indicator"), el("th", { scope: "col" }, "Waarde"))));
  const body = el("tbody");
  for (const rij of rijen) body.append(el("tr", {}, el("th", { scope: "row" }, rij.indicator),
    el("td", { "data-reeks": rij.indicator }, rij.onderdrukt ? "onderdrukt" : String(rij.waarde))));
  t.append(body);
  document.getElementById("tabel-onderdeel").replaceChildren(t);
  sectie.hidden = false;
}

// --- Download CSV ----------------------------------------------------------------------------

function csvVeld(w) {
  const s = String(w);
  return /[",\r\n]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
}

function tabellenAlsCsv(raster) {
  // the tables of the view in long form: one line per cell (table, row, column, value)
  const regels = [["tabel", "rij", "kolom", "waarde"]];
  for (const t of raster.querySelectorAll("table")) {
    const tabel = t.querySelector("caption")?.textContent ?? "";
    const koppen = [...t.querySelectorAll("thead th")].map((th) => th.textContent);
    t.querySelectorAll("tbody tr").forEach((tr, i) => {
      const rijkop = tr.querySelector("th[scope=row]")?.textContent ?? String(i + 1);
      for (const td of tr.querySelectorAll("td")) {
        const kolom = koppen.length ? koppen[td.cellIndex] : "waarde";
        regels.push([tabel, rijkop, kolom, td.textContent]);
      }
    });
  }
  return regels.map((r) => r.map(csvVeld).join(",")).join("\r\n") + "\r\n";
}

async function csvTekst() {
  const jaar = document.getElementById("jaar").value, p = peil() || "vandaag";
  if (staat.weergave === "voortgang") {
    return { naam: `voortgang-${p}.csv`, tekst: tabellenAlsCsv(document.getElementById("grafieken")) };
  }
  // the jaarverslag as the API gives it (`Accept: text/csv`); Afhandeling and Nazorg: the
  // lines of their section
  const r = await fetch(`${API}/jaarverslagen/${jaar}${zoek({ peildatum: peil() })}`,
    { headers: kop({ Accept: "text/csv" }), credentials: "same-origin" });
  if (!r.ok) throw new Fout(`Fout bij ophalen CSV (${r.status}).`);
  let tekst = await r.text();
  const sectie = { afhandeling: "analyse.", nazorg: "nazorg." }[staat.weergave];
  if (sectie) {
    const regels = tekst.split("\r\n");
    tekst = [regels[0], ...regels.slice(1).filter((l) => l.startsWith(sectie))].join("\r\n") + "\r\n";
    return { naam: `${staat.weergave}-${jaar}-${p}.csv`, tekst };
  }
  return { naam: `jaarverslag-${jaar}-${p}.csv`, tekst };
}

async function downloadCsv() {
  try {
    const { naam: bestand, tekst } = await csvTekst();
    const url = URL.createObjectURL(new Blob([tekst], { type: "text/csv;charset=utf-8" }));
    const a = el("a", { href: url, download: bestand });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch (e) {
    meld(e instanceof Fout ? e.message : "Geen verbinding met de rapportagedienst.");
  }
}

// --- start -----------------------------------------------------------------------------------

async function jarenMetGegevens() {
  // the years with data, and the one to open with; without an answer the last seven
  try {
    const r = await fetch("/dashboard/jaren", { headers: kop(), credentials: "same-origin" });
    if (r.ok) return await r.json();
  } catch (e) { /* offered below */ }
  const dit = new Date().getFullYear();
  return { jaren: Array.from({ length: 7 }, (_, i) => dit - i), standaard: dit - 1 };
}

function kiesWeergave(w) {
  staat.weergave = w;
  for (const b of document.querySelectorAll("#weergaven button")) {
    b.setAttribute("aria-pressed", String(b.dataset.weergave === w));
  }
  // the year does not apply to voortgang: it is the state on the peildatum
  document.getElementById("jaar").disabled = w === "voortgang";
}

async function start() {
  const params = new URLSearchParams(location.search);
  if (params.get("tabellen") === "ja") document.getElementById("tabellen").checked = true;
  if (/^\d{4}-\d{2}-\d{2}$/.test(params.get("peildatum") || "")) {
    document.getElementById("peil").value = params.get("peildatum");
  }
  const od = params.get("defensieonderdeel");
  if (od && [...document.getElementById("onderdeel").options].some((o) => o.value === od)) {
    document.getElementById("onderdeel").value = od;
  }
  const w = params.get("weergave");
  kiesWeergave(["jaarcijfers", "afhandeling", "nazorg", "voortgang"].includes(w) ? w : "jaarcijfers");
  try {
    const s = await fetch("/dashboard/sessie", { credentials: "same-origin" });
    if (s.ok) staat.token = (await s.json()).token || null;
  } catch (e) { /* behind an auth proxy the token is added by the proxy */ }
  const { jaren, standaard } = await jarenMetGegevens();
  const keuze = document.getElementById("jaar");
  for (const j of jaren) keuze.append(el("option", { value: String(j) }, String(j)));
  const gevraagd = params.get("jaar");
  if (gevraagd !== null && jaren.map(String).includes(gevraagd)) {
    keuze.value = gevraagd;
  } else {
    keuze.value = String(standaard);
    if (gevraagd !== null) staat.notitie = `Voor jaar "${gevraagd}" zijn geen gegevens; ${standaard} getoond.`;
  }
  for (const id of ["jaar", "onderdeel", "tabellen", "peil"]) {
    document.getElementById(id).addEventListener("change", () => { staat.notitie = ""; laad(); });
  }
  for (const b of document.querySelectorAll("#weergaven button")) {
    b.addEventListener("click", () => { kiesWeergave(b.dataset.weergave); staat.notitie = ""; laad(); });
  }
  document.getElementById("csv").addEventListener("click", downloadCsv);
  await laad();
  staat.timer = setInterval(laad, POLL_MS);
}

document.addEventListener("DOMContentLoaded", start);
