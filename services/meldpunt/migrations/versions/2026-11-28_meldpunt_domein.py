"""meldpunt domein: meldingen, referenties, volgsessies, berichten, onderzoeken, nevenwerk

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


def _ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "meldingen",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("referentie", sa.String(20), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("kanaal", sa.String(30), nullable=False),
        sa.Column("defensieonderdeel", sa.String(10), nullable=False),
        sa.Column("hoofdcategorie", sa.String(40), nullable=False),
        sa.Column("subcategorie", sa.String(60), nullable=False),
        sa.Column("anoniem", sa.Boolean(), nullable=False),
        sa.Column("vermoeden_misstand", sa.Boolean(), nullable=False),
        sa.Column("datum_voorval", sa.Date(), nullable=True),
        sa.Column("omschrijving", sa.Text(), nullable=False),
        sa.Column("melder", sa.Text(), nullable=True),
        _ts("ontvangen_op"),
        sa.Column("ontvangen_datum", sa.Date(), nullable=False),
        sa.Column("ontvangstbevestiging_uiterlijk", sa.Date(), nullable=False),
        sa.Column("terugkoppeling_uiterlijk", sa.Date(), nullable=False),
        sa.Column("ontvangstbevestiging_datum", sa.Date(), nullable=True),
        sa.Column("afdoening", sa.String(40), nullable=True),
        sa.Column("afdoening_datum", sa.Date(), nullable=True),
        sa.Column("terugkoppeling_datum", sa.Date(), nullable=True),
        sa.Column("conclusie", sa.String(40), nullable=True),
        sa.Column("afronding_datum", sa.Date(), nullable=True),
        sa.Column("misstand_vermoeden_datum", sa.Date(), nullable=True),
        sa.Column("misstand_vastgesteld", sa.Boolean(), nullable=True),
        sa.Column("misstand_afronding_datum", sa.Date(), nullable=True),
        sa.Column("volgcode_selector", sa.String(16), nullable=True),
        sa.Column("volgcode_hash", sa.String(200), nullable=True),
        sa.Column("geregistreerd_door", sa.String(200), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meldingen")),
        sa.UniqueConstraint("referentie", name=op.f("uq_meldingen_referentie")),
    )
    for column in (
        "status",
        "defensieonderdeel",
        "hoofdcategorie",
        "ontvangen_op",
        "ontvangen_datum",
        "volgcode_selector",
    ):
        op.create_index(op.f(f"ix_meldingen_{column}"), "meldingen", [column])

    op.create_table(
        "meldingen_referenties",
        sa.Column("jaar", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("laatste", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("jaar", name=op.f("pk_meldingen_referenties")),
    )

    op.create_table(
        "volgsessies",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("melding_id", sa.String(36), nullable=False),
        _ts("verloopt_op"),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["melding_id"], ["meldingen.id"], name=op.f("fk_volgsessies_melding_id_meldingen")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volgsessies")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_volgsessies_token_hash")),
    )
    op.create_index(op.f("ix_volgsessies_melding_id"), "volgsessies", ["melding_id"])

    op.create_table(
        "berichten",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("melding_id", sa.String(36), nullable=False),
        sa.Column("afzender", sa.String(20), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        _ts("verzonden_op"),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["melding_id"], ["meldingen.id"], name=op.f("fk_berichten_melding_id_meldingen")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_berichten")),
    )
    op.create_index(op.f("ix_berichten_melding_id"), "berichten", ["melding_id"])

    op.create_table(
        "integriteitsonderzoeken",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("defensieonderdeel", sa.String(10), nullable=False),
        sa.Column("startdatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("conclusie", sa.String(40), nullable=True),
        sa.Column("melding_id", sa.String(36), nullable=True),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["melding_id"],
            ["meldingen.id"],
            name=op.f("fk_integriteitsonderzoeken_melding_id_meldingen"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integriteitsonderzoeken")),
    )
    for column in ("defensieonderdeel", "startdatum", "melding_id"):
        op.create_index(
            op.f(f"ix_integriteitsonderzoeken_{column}"), "integriteitsonderzoeken", [column]
        )

    op.create_table(
        "nevenwerkzaamheden",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("defensieonderdeel", sa.String(10), nullable=False),
        sa.Column("omschrijving", sa.Text(), nullable=False),
        sa.Column("betaald", sa.Boolean(), nullable=False),
        sa.Column("registratiedatum", sa.Date(), nullable=False),
        sa.Column("advies", sa.String(20), nullable=True),
        sa.Column("advies_datum", sa.Date(), nullable=True),
        sa.Column("geregistreerd_door", sa.String(200), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nevenwerkzaamheden")),
    )
    for column in ("defensieonderdeel", "registratiedatum"):
        op.create_index(op.f(f"ix_nevenwerkzaamheden_{column}"), "nevenwerkzaamheden", [column])


def downgrade() -> None:
    for column in ("defensieonderdeel", "registratiedatum"):
        op.drop_index(op.f(f"ix_nevenwerkzaamheden_{column}"), table_name="nevenwerkzaamheden")
    op.drop_table("nevenwerkzaamheden")
    for column in ("defensieonderdeel", "startdatum", "melding_id"):
        op.drop_index(
            op.f(f"ix_integriteitsonderzoeken_{column}"), table_name="integriteitsonderzoeken"
        )
    op.drop_table("integriteitsonderzoeken")
    op.drop_index(op.f("ix_berichten_melding_id"), table_name="berichten")
    op.drop_table("berichten")
    op.drop_index(op.f("ix_volgsessies_melding_id"), table_name="volgsessies")
    op.drop_table("volgsessies")
    op.drop_table("meldingen_referenties")
    for column in (
        "status",
        "defensieonderdeel",
        "hoofdcategorie",
        "ontvangen_op",
        "ontvangen_datum",
        "volgcode_selector",
    ):
        op.drop_index(op.f(f"ix_meldingen_{column}"), table_name="meldingen")
    op.drop_table("meldingen")
