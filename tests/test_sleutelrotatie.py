"""Key rotation without downtime: a new key encrypts, old values still read, and after
`sleutels-roteren` every stored value is on the new key and still reads the same."""

from __future__ import annotations

from sqlalchemy import text

from integriteit_shared.crypto.fields import FieldCipher, generate_key_setting
from integriteit_shared.crypto.rotation import rotate_fields
from integriteit_shared.settings import DEV_ENCRYPTION_KEYS
from meldpunt.models import ENCRYPTED_FIELDS

MELDING = {
    "kanaal": "mid",
    "defensieonderdeel": "CZSK",
    "hoofdcategorie": "zakelijke_integriteit",
    "subcategorie": "lekken_informatie",
    "omschrijving": "Vertrouwelijke stukken lagen open op het bureau.",
    "anoniem": False,
    "melder": {"naam": "A. de Vries", "email": "a.devries@example.nl", "telefoon": "0612345678"},
}


async def _kids(db) -> set[str]:
    """The service keys in use: the data keys' wrapping (the texts are under data keys,
    kid "gs", which rotation leaves alone)."""
    async with db.transaction() as s:
        rows = (await s.execute(text("SELECT omschrijving, melder FROM meldingen"))).all()
        assert {value.split(".")[1] for row in rows for value in row} == {"gs"}
        wrapped = (await s.execute(text("SELECT sleutel FROM gegevenssleutels"))).scalars()
        return {value.split(".")[1] for value in wrapped}


async def test_rotation_moves_every_value_to_the_new_key(service_factory, tokens):
    adviseur = tokens.headers("coid_adviseur")
    oud = await service_factory("meldpunt")
    r = await oud.client.post(f"{oud.base}/meldingen", json=MELDING, headers=adviseur)
    assert r.status_code == 201
    melding_id = r.json()["id"]
    url = oud.settings.database_url
    assert await _kids(oud.app.state.db) == {"dev1"}

    nieuwe_sleutel = generate_key_setting("k2")
    sleutels = f"{nieuwe_sleutel},{DEV_ENCRYPTION_KEYS}"
    nieuw = await service_factory("meldpunt", database_url=url, encryption_keys=sleutels)
    # old values still read with the old key behind the new one
    r = await nieuw.client.get(f"{nieuw.base}/meldingen/{melding_id}", headers=adviseur)
    assert r.status_code == 200 and r.json()["omschrijving"] == MELDING["omschrijving"]

    changed = await rotate_fields(
        nieuw.app.state.db, FieldCipher.from_setting(sleutels), ENCRYPTED_FIELDS
    )
    # the melding's data key is rewrapped; its texts are not touched
    assert changed["gegevenssleutels.sleutel"] == 1
    assert changed["meldingen.omschrijving"] == 0 and changed["meldingen.melder"] == 0
    assert await _kids(nieuw.app.state.db) == {"k2"}

    # the old key can go: everything reads with the new key alone
    alleen_nieuw = await service_factory(
        "meldpunt", database_url=url, encryption_keys=nieuwe_sleutel
    )
    r = await alleen_nieuw.client.get(
        f"{alleen_nieuw.base}/meldingen/{melding_id}", headers=adviseur
    )
    assert r.status_code == 200
    assert r.json()["omschrijving"] == MELDING["omschrijving"]
    r = await alleen_nieuw.client.post(
        f"{alleen_nieuw.base}/meldingen/{melding_id}/melder-inzage",
        json={"reden": "Sleutelrotatie controleren"},
        headers=tokens.headers("coid_coordinator", sub="coordinator-1"),
    )
    assert r.json()["email"] == MELDING["melder"]["email"]
