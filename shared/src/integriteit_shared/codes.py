"""Reference data of DOMAIN.md: the codes every service and event shares, defined once.

Each code list is a named type alias (`TypeAliasType`) of a `Literal`: to the type checker
and in the code it is the `Literal`, and pydantic documents it once, under its name, in the
JSON schema's definitions. FastAPI's OpenAPI document therefore has one
`components/schemas/Defensieonderdeel` that every body, response and query parameter
refers to, and a generated client has one `Defensieonderdeel` enum instead of one per field.
"""

from __future__ import annotations

from typing import Literal, get_args

from typing_extensions import TypeAliasType


def waarden(code_list: TypeAliasType) -> tuple[str, ...]:
    """The codes of a code list, in their documented order."""
    return get_args(code_list.__value__)


Defensieonderdeel = TypeAliasType(
    "Defensieonderdeel", Literal["BS", "CZSK", "CLAS", "CLSK", "KMAR", "COMMIT", "DOSCO"]
)
DEFENSIEONDERDELEN: tuple[str, ...] = waarden(Defensieonderdeel)

Hoofdcategorie = TypeAliasType(
    "Hoofdcategorie", Literal["ongewenst_gedrag", "zakelijke_integriteit", "overig"]
)
HOOFDCATEGORIEEN: tuple[str, ...] = waarden(Hoofdcategorie)

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
Subcategorie = TypeAliasType(
    "Subcategorie",
    Literal[
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
    ],
)


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


Kanaal = TypeAliasType("Kanaal", Literal["mid", "leidinggevende"])
MeldingStatus = TypeAliasType(
    "MeldingStatus", Literal["ontvangen", "ontvangst_bevestigd", "in_behandeling", "afgerond"]
)
Afdoening = TypeAliasType(
    "Afdoening",
    Literal[
        "integriteitsonderzoek",
        "gespreksbegeleiding",
        "mediation",
        "excuses",
        "doorverwezen",
        "geen_vervolg",
    ],
)
Conclusie = TypeAliasType(
    "Conclusie", Literal["schending_vastgesteld", "geen_schending", "niet_van_toepassing"]
)
Advies = TypeAliasType("Advies", Literal["positief", "negatief"])
Doorverwijzing = TypeAliasType(
    "Doorverwijzing",
    Literal["meldpunt", "klachten", "bedrijfsmaatschappelijk_werk", "p_en_o", "anders"],
)
KlachtSoort = TypeAliasType(
    "KlachtSoort", Literal["ongewenst_gedrag", "onbehoorlijkheid", "combinatie"]
)
KLACHTSOORTEN: tuple[str, ...] = waarden(KlachtSoort)
Indiener = TypeAliasType("Indiener", Literal["medewerker", "oud_medewerker"])
CogAdvies = TypeAliasType(
    "CogAdvies", Literal["gegrond", "deels_gegrond", "ongegrond", "niet_ontvankelijk"]
)
Afhandelwijze = TypeAliasType("Afhandelwijze", Literal["informeel", "besluit"])
Oordeel = TypeAliasType(
    "Oordeel", Literal["gegrond", "deels_gegrond", "ongegrond", "ingetrokken", "niet_ontvankelijk"]
)
Opleiding = TypeAliasType(
    "Opleiding",
    Literal[
        "uitspreken_bespreken_aanspreken",
        "mindbugs",
        "leidinggeven_sociaal_veilige_werkomgeving",
        "sociale_veiligheid_diversiteit_inclusiviteit",
        "kameraadschap",
        "basis_leergang_integriteit",
    ],
)
OPLEIDINGEN: tuple[str, ...] = waarden(Opleiding)
