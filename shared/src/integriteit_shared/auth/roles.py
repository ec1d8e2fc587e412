"""The role names carried in a token's `roles` claim (DOMAIN.md, "Who does what")."""

from __future__ import annotations

from enum import StrEnum


class Rol(StrEnum):
    """Every role a token may carry. The values are the claim values."""

    medewerker = "medewerker"
    leidinggevende = "leidinggevende"
    coid_adviseur = "coid_adviseur"
    coid_onderzoeker = "coid_onderzoeker"
    coid_coordinator = "coid_coordinator"
    vertrouwenspersoon = "vertrouwenspersoon"
    cvp = "cvp"
    klachtbehandelaar = "klachtbehandelaar"
    cog_secretaris = "cog_secretaris"
    rapportage_lezer = "rapportage_lezer"
    kmar_bps = "kmar_bps"
    ecld = "ecld"
    beheerder = "beheerder"
