"""Reference data of DOMAIN.md: the codes every service and event shares, defined once."""

from __future__ import annotations

from typing import Literal, get_args

Defensieonderdeel = Literal["BS", "CZSK", "CLAS", "CLSK", "KMAR", "COMMIT", "DOSCO"]
DEFENSIEONDERDELEN: tuple[str, ...] = get_args(Defensieonderdeel)

Hoofdcategorie = Literal["ongewenst_gedrag", "zakelijke_integriteit", "overig"]
HOOFDCATEGORIEEN: tuple[str, ...] = get_args(Hoofdcategorie)

SUBCATEGORIEEN: dict[str, tuple[str, ...]] = {
    "ongewenst_gedrag": (
        "pesten",
        "intimidatie",
        "kwaadspreken",
        "seksuele_intimidatie",
        "discriminatie",
        "agressie_en_geweld",
        "stalking",
        "machtsmisbruik",
        "ongewenst_gedrag_overig",
    ),
    "zakelijke_integriteit": (
        "misbruik_positie",
        "overschrijding_interne_regels",
        "oneigenlijk_gebruik_dienstmiddelen",
        "financiele_schendingen",
        "lekken_informatie",
        "misbruik_geweldsbevoegdheid",
        "misdragingen_privesfeer",
        "zakelijke_integriteit_overig",
    ),
    "overig": ("arbeidsconflict", "privesituatie", "overig"),
}
Subcategorie = Literal[
    "pesten",
    "intimidatie",
    "kwaadspreken",
    "seksuele_intimidatie",
    "discriminatie",
    "agressie_en_geweld",
    "stalking",
    "machtsmisbruik",
    "ongewenst_gedrag_overig",
    "misbruik_positie",
    "overschrijding_interne_regels",
    "oneigenlijk_gebruik_dienstmiddelen",
    "financiele_schendingen",
    "lekken_informatie",
    "misbruik_geweldsbevoegdheid",
    "misdragingen_privesfeer",
    "zakelijke_integriteit_overig",
    "arbeidsconflict",
    "privesituatie",
    "overig",
]


def categorie_fout(hoofdcategorie: str, subcategorie: str) -> str | None:
    """The reason a pair is invalid, or None. A subcategorie must belong to its hoofdcategorie.

    The reason names the hoofdcategorie and the subcategorieën it allows, never the given
    subcategorie (an unchecked value can be anything, also personal data)."""
    allowed = SUBCATEGORIEEN.get(hoofdcategorie)
    if allowed is None:
        return None  # the hoofdcategorie itself is reported by its own field check
    if subcategorie not in allowed:
        return (
            f"hoort niet bij hoofdcategorie '{hoofdcategorie}'; toegestaan: {', '.join(allowed)}."
        )
    return None


Kanaal = Literal["mid", "leidinggevende"]
MeldingStatus = Literal["ontvangen", "ontvangst_bevestigd", "in_behandeling", "afgerond"]
Afdoening = Literal[
    "integriteitsonderzoek",
    "gespreksbegeleiding",
    "mediation",
    "excuses",
    "doorverwezen",
    "geen_vervolg",
]
Conclusie = Literal["schending_vastgesteld", "geen_schending", "niet_van_toepassing"]
Advies = Literal["positief", "negatief"]
Doorverwijzing = Literal["meldpunt", "klachten", "bedrijfsmaatschappelijk_werk", "p_en_o", "anders"]
KlachtSoort = Literal["ongewenst_gedrag", "onbehoorlijkheid", "combinatie"]
KLACHTSOORTEN: tuple[str, ...] = get_args(KlachtSoort)
Indiener = Literal["medewerker", "oud_medewerker"]
CogAdvies = Literal["gegrond", "deels_gegrond", "ongegrond", "niet_ontvankelijk"]
Afhandelwijze = Literal["informeel", "besluit"]
Oordeel = Literal["gegrond", "deels_gegrond", "ongegrond", "ingetrokken", "niet_ontvankelijk"]
Opleiding = Literal[
    "uitspreken_bespreken_aanspreken",
    "mindbugs",
    "leidinggeven_sociaal_veilige_werkomgeving",
    "sociale_veiligheid_diversiteit_inclusiviteit",
    "kameraadschap",
    "basis_leergang_integriteit",
]
OPLEIDINGEN: tuple[str, ...] = get_args(Opleiding)
