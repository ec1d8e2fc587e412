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
};
const naam = (code) => NAMEN[code] || code;

const staat = { token: null, etag: null, jaar: null, grafieken: {}, timer: null, notitie: "" };

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
  if (fig.rijen) return !fig.rijen.some((r) => Object.values(r.waarden || {}).some((w) => w));
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
      tr.append(el("td", { "data-reeks": r.pad, "data-jaar": String(j) }, w == null ? "0" : String(w)));
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

function teken(d) {
  const raster = document.getElementById("grafieken");
  for (const g of Object.values(staat.grafieken)) g && g.destroy();
  staat.grafieken = {};
  raster.replaceChildren();
  const verberg = !document.getElementById("tabellen").checked;
  for (const fig of figuren(d)) {
    const kaart = el("section", { class: "kaart" + (verberg ? " verborgen-tabel" : ""), id: "fig-" + fig.id,
      "aria-labelledby": "kop-" + fig.id });
    kaart.append(el("h2", { id: "kop-" + fig.id }, fig.titel));
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
      staat.grafieken[fig.id] = grafiek(fig, d.jaren, canvas);
    }
    if (fig.top3) kaart.append(tabelTop3(fig));
    else if (fig.netwerk) kaart.append(tabelNetwerk(fig));
    else if (fig.rijen) kaart.append(tabelJaren(fig, d.jaren));
    if (fig.kpi) kaart.append(tabelKpi(fig));
  }
  document.getElementById("peildatum").textContent = d.peildatum;
  document.body.dataset.jaar = String(d.jaar);
}

function meld(tekst) {
  document.getElementById("status").textContent = staat.notitie ? staat.notitie + " " + tekst : tekst;
}

function kop(extra = {}) {
  const h = { Accept: "application/json", ...extra };
  if (staat.token) h.Authorization = "Bearer " + staat.token;
  return h;
}

async function laad() {
  const jaar = document.getElementById("jaar").value;
  if (jaar !== staat.jaar) { staat.jaar = jaar; staat.etag = null; }
  const extra = staat.etag ? { "If-None-Match": staat.etag } : {};
  try {
    const r = await fetch(`${API}/jaarverslagen/${jaar}`, { headers: kop(extra), credentials: "same-origin" });
    const nu = new Date().toLocaleTimeString("nl-NL");
    if (r.status === 304) { meld(`Gecontroleerd om ${nu}: ongewijzigd.`); return; }
    if (!r.ok) { meld(`Fout bij ophalen (${r.status}).`); return; }
    staat.etag = r.headers.get("ETag");
    teken(await r.json());
    document.body.dataset.geladen = "ja";
    meld(`Bijgewerkt om ${nu}.`);
  } catch (e) {
    meld("Geen verbinding met de rapportagedienst.");
  }
  await laadOnderdeel();
}

async function laadOnderdeel() {
  const od = document.getElementById("onderdeel").value;
  const sectie = document.getElementById("onderdeel-cijfers");
  if (!od) { sectie.hidden = true; return; }
  const jaar = document.getElementById("jaar").value;
  const r = await fetch(`${API}/indicatoren?jaar=${jaar}&defensieonderdeel=${od}`, { headers: kop() });
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

async function jarenMetGegevens() {
  // the years with data, and the one to open with; without an answer the last seven
  try {
    const r = await fetch("/dashboard/jaren", { headers: kop(), credentials: "same-origin" });
    if (r.ok) return await r.json();
  } catch (e) { /* offered below */ }
  const dit = new Date().getFullYear();
  return { jaren: Array.from({ length: 7 }, (_, i) => dit - i), standaard: dit - 1 };
}

async function start() {
  const params = new URLSearchParams(location.search);
  if (params.get("tabellen") === "ja") document.getElementById("tabellen").checked = true;
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
  for (const id of ["jaar", "onderdeel", "tabellen"]) {
    document.getElementById(id).addEventListener("change", () => {
      if (id === "tabellen") { staat.etag = null; }
      staat.notitie = "";
      laad();
    });
  }
  await laad();
  staat.timer = setInterval(laad, POLL_MS);
}

document.addEventListener("DOMContentLoaded", start);
