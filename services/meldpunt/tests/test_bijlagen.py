"""Attachments from the users' side: cleaned of metadata, sniffed, limited, encrypted,
and every download audited."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

import pikepdf
import pytest
from PIL import Image

from .conftest import Api

GPS_IFD = 0x8825
ARTIST = 0x013B
MARKER_NAAM = "marker-bestandsnaam-5581.jpg"
MARKER_INHOUD = "marker-inhoud-9902"


def jpeg_met_gps() -> bytes:
    beeld = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[ARTIST] = "Piet Pietersen"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (4.0, 53.0, 0.0)})
    uit = io.BytesIO()
    beeld.save(uit, format="JPEG", exif=exif)
    data = uit.getvalue()
    with Image.open(io.BytesIO(data)) as terug:  # the test image really has its GPS tag
        assert terug.getexif().get_ifd(GPS_IFD)
    return data


def pdf_met_auteur() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = "Piet Pietersen"
    pdf.docinfo["/Title"] = MARKER_INHOUD
    uit = io.BytesIO()
    pdf.save(uit)
    return uit.getvalue()


def docx() -> bytes:
    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return uit.getvalue()


async def upload(
    api: Api, path: str, naam: str, inhoud: bytes, headers: dict[str, str] | None = None
) -> Any:
    return await api.svc.client.post(
        api.url(path),
        files={"bestand": (naam, inhoud, "application/octet-stream")},
        headers=headers or api.adviseur,
    )


async def test_an_image_loses_its_exif_gps_and_a_pdf_its_metadata(api: Api) -> None:
    m = await api.melden()
    pad = f"/meldingen/{m['id']}/bijlagen"
    r = await upload(api, pad, "foto.jpg", jpeg_met_gps())
    assert r.status_code == 201, r.text
    foto = r.json()
    assert (foto["naam"], foto["type"]) == ("foto.jpg", "image/jpeg")
    r = await api.get(f"{pad}/{foto['id']}", api.adviseur)
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    assert hashlib.sha256(r.content).hexdigest() == foto["sha256"]
    assert len(r.content) == foto["grootte"]
    with Image.open(io.BytesIO(r.content)) as schoon:
        exif = schoon.getexif()
        assert not exif.get_ifd(GPS_IFD) and ARTIST not in exif
        assert schoon.size == (32, 24)
    assert b"Pietersen" not in r.content

    r = await upload(api, pad, "verslag.pdf", pdf_met_auteur())
    assert r.status_code == 201, r.text
    r = await api.get(f"{pad}/{r.json()['id']}", api.adviseur)
    with pikepdf.open(io.BytesIO(r.content)) as pdf:
        assert "/Author" not in pdf.docinfo and len(pdf.pages) == 1
    assert b"Pietersen" not in r.content and MARKER_INHOUD.encode() not in r.content

    r = await upload(api, pad, "notulen.docx", docx())
    assert (r.status_code, r.json()["type"]) == (
        201,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    lijst = (await api.get(pad, api.adviseur)).json()
    assert [b["naam"] for b in lijst] == ["foto.jpg", "verslag.pdf", "notulen.docx"]
    # every download is audited, and the timeline shows the attachments (type, no name)
    downloads = [e for e in await api.audit("lezen") if e.fields == "naam,inhoud"]
    assert len(downloads) == 2 and {e.object_id for e in downloads} == {m["id"]}
    tijdlijn = (await api.get(f"/meldingen/{m['id']}/tijdlijn", api.adviseur)).json()
    assert [s.get("type") for s in tijdlijn if s["soort"] == "bijlage"] == [
        "image/jpeg",
        "application/pdf",
        lijst[2]["type"],
    ]
    assert "foto.jpg" not in repr(tijdlijn)


async def test_renamed_executable_is_415_and_too_large_is_413(api: Api) -> None:
    m = await api.melden()
    pad = f"/meldingen/{m['id']}/bijlagen"
    elf = b"\x7fELF\x02\x01\x01\x00" + bytes(200)
    r = await upload(api, pad, "vakantiefoto.jpg", elf)
    assert r.status_code == 415, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    r = await upload(api, pad, "setup.pdf", b"MZ\x90\x00" + bytes(100))
    assert r.status_code == 415
    bom = io.BytesIO()
    Image.new("1", (8000, 6000)).save(bom, format="PNG")  # small file, 48 million pixels
    r = await upload(api, pad, "klein.png", bom.getvalue())
    assert r.status_code == 415, r.text
    r = await upload(api, pad, "groot.txt", b"a" * (10 * 1024 * 1024 + 1))
    assert r.status_code == 413, r.text
    r = await upload(api, pad, "precies.txt", b"a" * (10 * 1024 * 1024))
    assert r.status_code == 201, r.text
    r = await api.svc.client.post(api.url(pad), json={"bestand": "x"}, headers=api.adviseur)
    assert r.status_code == 415
    r = await api.svc.client.post(
        api.url(pad), files={"ander": ("a.txt", b"hoi")}, headers=api.adviseur
    )
    assert r.status_code == 400
    assert [b["naam"] for b in (await api.get(pad, api.adviseur)).json()] == ["precies.txt"]


async def test_at_most_20_per_melding(api: Api) -> None:
    m = await api.melden()
    pad = f"/meldingen/{m['id']}/bijlagen"
    for i in range(20):
        r = await upload(api, pad, f"deel-{i}.txt", f"Deel {i}".encode())
        assert r.status_code == 201, r.text
    r = await upload(api, pad, "een-te-veel.txt", b"Te veel")
    assert r.status_code == 409


async def test_the_melder_uploads_and_markers_are_nowhere_in_clear(
    api: Api, capfd: pytest.CaptureFixture[str]
) -> None:
    mw = api.h("medewerker", sub="mw-sub-77")
    eigen = await api.melden(mw)
    r = await upload(
        api, f"/mijn/meldingen/{eigen['id']}/bijlagen", MARKER_NAAM, jpeg_met_gps(), mw
    )
    assert r.status_code == 201, r.text
    r = await upload(
        api,
        f"/mijn/meldingen/{eigen['id']}/bijlagen",
        "x.txt",
        b"x",
        api.h("medewerker", sub="mw-sub-78"),
    )
    assert r.status_code == 404
    anoniem = await api.anoniem_melden()
    sessie = await api.post("/volgsessies", {"volgcode": anoniem["volgcode"]})
    token = {"Authorization": f"Bearer {sessie.json()['token']}"}
    r = await upload(
        api,
        f"/meldingen/{anoniem['id']}/bijlagen",
        "bewijs.txt",
        f"Het bewijs: {MARKER_INHOUD}".encode(),
        token,
    )
    assert r.status_code == 201, r.text
    # a volgsessie is for its own melding only
    r = await upload(api, f"/meldingen/{eigen['id']}/bijlagen", "x.txt", b"x", token)
    assert r.status_code == 404
    tijdlijn = (await api.get(f"/meldingen/{anoniem['id']}/tijdlijn", api.adviseur)).json()
    assert [(s["soort"], s["actor"]) for s in tijdlijn][-1] == ("bijlage", "anoniem")

    dump = await api.database_tekst()
    uitgaand = repr(await api.outbox())
    logs = "".join(capfd.readouterr())
    for marker in (MARKER_NAAM, MARKER_INHOUD, "mw-sub-77"):
        assert marker not in dump and marker not in uitgaand
    for marker in (MARKER_NAAM, MARKER_INHOUD):
        assert marker not in logs
