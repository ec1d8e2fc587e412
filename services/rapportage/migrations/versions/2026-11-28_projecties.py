"""rapportage projecties: de feitentabellen waaruit de jaarindicatoren komen

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _big_id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "rap_versie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("versie", _big_id(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_versie")),
    )
    op.create_table(
        "rap_meldingen",
        sa.Column("melding_id", sa.String(200), nullable=False),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ontvangen_datum", sa.Date(), nullable=False),
        sa.Column("defensieonderdeel", sa.String(60), nullable=False),
        sa.Column("vermoeden_misstand", sa.Boolean(), nullable=False),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_meldingen")),
    )
    op.create_index(op.f("ix_rap_meldingen_melding_id"), "rap_meldingen", ["melding_id"])
    op.create_index(op.f("ix_rap_meldingen_ontvangen_datum"), "rap_meldingen", ["ontvangen_datum"])
    op.create_index(op.f("ix_rap_meldingen_registered_at"), "rap_meldingen", ["registered_at"])
    op.create_table(
        "rap_bps_meldingen",
        sa.Column("bps_id", sa.String(200), nullable=False),
        sa.Column("registratiedatum", sa.Date(), nullable=False),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_bps_meldingen")),
    )
    op.create_index(op.f("ix_rap_bps_meldingen_bps_id"), "rap_bps_meldingen", ["bps_id"])
    op.create_index(
        op.f("ix_rap_bps_meldingen_registered_at"), "rap_bps_meldingen", ["registered_at"]
    )
    op.create_index(
        op.f("ix_rap_bps_meldingen_registratiedatum"), "rap_bps_meldingen", ["registratiedatum"]
    )
    op.create_table(
        "rap_categoriseringen",
        sa.Column("bron", sa.String(10), nullable=False),
        sa.Column("aggregate_id", sa.String(200), nullable=False),
        sa.Column("volgorde", sa.Integer(), nullable=False),
        sa.Column("hoofdcategorie", sa.String(60), nullable=False),
        sa.Column("subcategorie", sa.String(60), nullable=False),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_categoriseringen")),
    )
    op.create_index(
        op.f("ix_rap_categoriseringen_bron_agg"), "rap_categoriseringen", ["bron", "aggregate_id"]
    )
    op.create_index(
        op.f("ix_rap_categoriseringen_registered_at"), "rap_categoriseringen", ["registered_at"]
    )
    op.create_table(
        "rap_schendingen",
        sa.Column("bps_id", sa.String(200), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_schendingen")),
    )
    op.create_index(op.f("ix_rap_schendingen_bps_id"), "rap_schendingen", ["bps_id"])
    op.create_index(op.f("ix_rap_schendingen_registered_at"), "rap_schendingen", ["registered_at"])
    op.create_table(
        "rap_melding_stappen",
        sa.Column("melding_id", sa.String(200), nullable=False),
        sa.Column("stap", sa.String(20), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_melding_stappen")),
    )
    op.create_index(
        op.f("ix_rap_melding_stappen_registered_at"), "rap_melding_stappen", ["registered_at"]
    )
    op.create_index(
        op.f("ix_rap_melding_stappen_melding_id"), "rap_melding_stappen", ["melding_id"]
    )
    op.create_table(
        "rap_misstanden",
        sa.Column("melding_id", sa.String(200), nullable=False),
        sa.Column("stap", sa.String(20), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("vastgesteld", sa.Boolean(), nullable=True),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_misstanden")),
    )
    op.create_index(op.f("ix_rap_misstanden_melding_id"), "rap_misstanden", ["melding_id"])
    op.create_index(op.f("ix_rap_misstanden_registered_at"), "rap_misstanden", ["registered_at"])
    op.create_table(
        "rap_onderzoeken",
        sa.Column("onderzoek_id", sa.String(200), nullable=False),
        sa.Column("stap", sa.String(20), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("defensieonderdeel", sa.String(60), nullable=True),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_onderzoeken")),
    )
    op.create_index(op.f("ix_rap_onderzoeken_registered_at"), "rap_onderzoeken", ["registered_at"])
    op.create_index(op.f("ix_rap_onderzoeken_onderzoek_id"), "rap_onderzoeken", ["onderzoek_id"])
    op.create_table(
        "rap_rp_onderzoeken",
        sa.Column("onderzoek_id", sa.String(200), nullable=False),
        sa.Column("stap", sa.String(20), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("schending_vastgesteld", sa.Boolean(), nullable=True),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_rp_onderzoeken")),
    )
    op.create_index(
        op.f("ix_rap_rp_onderzoeken_onderzoek_id"), "rap_rp_onderzoeken", ["onderzoek_id"]
    )
    op.create_index(
        op.f("ix_rap_rp_onderzoeken_registered_at"), "rap_rp_onderzoeken", ["registered_at"]
    )
    op.create_table(
        "rap_nevenwerkzaamheden",
        sa.Column("nevenwerkzaamheid_id", sa.String(200), nullable=False),
        sa.Column("registratiedatum", sa.Date(), nullable=False),
        sa.Column("defensieonderdeel", sa.String(60), nullable=False),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_nevenwerkzaamheden")),
    )
    op.create_index(
        op.f("ix_rap_nevenwerkzaamheden_registratiedatum"),
        "rap_nevenwerkzaamheden",
        ["registratiedatum"],
    )
    op.create_index(
        op.f("ix_rap_nevenwerkzaamheden_registered_at"), "rap_nevenwerkzaamheden", ["registered_at"]
    )
    op.create_index(
        op.f("ix_rap_nevenwerkzaamheden_nevenwerkzaamheid_id"),
        "rap_nevenwerkzaamheden",
        ["nevenwerkzaamheid_id"],
    )
    op.create_table(
        "rap_adviezen",
        sa.Column("nevenwerkzaamheid_id", sa.String(200), nullable=False),
        sa.Column("advies", sa.String(60), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_adviezen")),
    )
    op.create_index(op.f("ix_rap_adviezen_registered_at"), "rap_adviezen", ["registered_at"])
    op.create_index(
        op.f("ix_rap_adviezen_nevenwerkzaamheid_id"), "rap_adviezen", ["nevenwerkzaamheid_id"]
    )
    op.create_table(
        "rap_klachten",
        sa.Column("klacht_id", sa.String(200), nullable=False),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ontvangen_datum", sa.Date(), nullable=False),
        sa.Column("soort", sa.String(60), nullable=False),
        sa.Column("defensieonderdeel", sa.String(60), nullable=False),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_klachten")),
    )
    op.create_index(op.f("ix_rap_klachten_registered_at"), "rap_klachten", ["registered_at"])
    op.create_index(op.f("ix_rap_klachten_klacht_id"), "rap_klachten", ["klacht_id"])
    op.create_index(op.f("ix_rap_klachten_ontvangen_datum"), "rap_klachten", ["ontvangen_datum"])
    op.create_table(
        "rap_klacht_stappen",
        sa.Column("klacht_id", sa.String(200), nullable=False),
        sa.Column("stap", sa.String(20), nullable=False),
        sa.Column("datum", sa.Date(), nullable=True),
        sa.Column("weken", sa.Integer(), nullable=True),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_klacht_stappen")),
    )
    op.create_index(op.f("ix_rap_klacht_stappen_klacht_id"), "rap_klacht_stappen", ["klacht_id"])
    op.create_index(
        op.f("ix_rap_klacht_stappen_registered_at"), "rap_klacht_stappen", ["registered_at"]
    )
    op.create_table(
        "rap_casussen",
        sa.Column("casus_id", sa.String(200), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("defensieonderdeel", sa.String(60), nullable=False),
        sa.Column("hoofdcategorie", sa.String(60), nullable=False),
        sa.Column("subcategorie", sa.String(60), nullable=False),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_casussen")),
    )
    op.create_index(op.f("ix_rap_casussen_datum"), "rap_casussen", ["datum"])
    op.create_index(op.f("ix_rap_casussen_registered_at"), "rap_casussen", ["registered_at"])
    op.create_index(op.f("ix_rap_casussen_casus_id"), "rap_casussen", ["casus_id"])
    op.create_table(
        "rap_vertrouwenspersonen",
        sa.Column("vertrouwenspersoon_id", sa.String(200), nullable=False),
        sa.Column("stap", sa.String(20), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("defensieonderdeel", sa.String(60), nullable=True),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_vertrouwenspersonen")),
    )
    op.create_index(
        op.f("ix_rap_vertrouwenspersonen_registered_at"),
        "rap_vertrouwenspersonen",
        ["registered_at"],
    )
    op.create_index(
        op.f("ix_rap_vertrouwenspersonen_vertrouwenspersoon_id"),
        "rap_vertrouwenspersonen",
        ["vertrouwenspersoon_id"],
    )
    op.create_table(
        "rap_opleidingen",
        sa.Column("opleiding", sa.String(60), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("aantal_deelnemers", sa.Integer(), nullable=False),
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rap_opleidingen")),
    )
    op.create_index(op.f("ix_rap_opleidingen_datum"), "rap_opleidingen", ["datum"])
    op.create_index(op.f("ix_rap_opleidingen_registered_at"), "rap_opleidingen", ["registered_at"])
    versie = sa.table(
        "rap_versie", sa.column("id", sa.Integer()), sa.column("versie", sa.Integer())
    )
    op.bulk_insert(versie, [{"id": 1, "versie": 0}])


def downgrade() -> None:
    op.drop_table("rap_opleidingen")
    op.drop_table("rap_vertrouwenspersonen")
    op.drop_table("rap_casussen")
    op.drop_table("rap_klacht_stappen")
    op.drop_table("rap_klachten")
    op.drop_table("rap_adviezen")
    op.drop_table("rap_nevenwerkzaamheden")
    op.drop_table("rap_rp_onderzoeken")
    op.drop_table("rap_onderzoeken")
    op.drop_table("rap_misstanden")
    op.drop_table("rap_melding_stappen")
    op.drop_table("rap_schendingen")
    op.drop_table("rap_categoriseringen")
    op.drop_table("rap_bps_meldingen")
    op.drop_table("rap_meldingen")
    op.drop_table("rap_versie")
