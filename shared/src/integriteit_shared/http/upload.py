"""One file from a multipart/form-data request, read as it streams in, with a size cap.

The body is parsed chunk by chunk (python-multipart's streaming parser): the file field's
bytes are counted as they arrive and the request is refused with 413 the moment they pass
the cap, so no upload is buffered beyond it, in memory or on disk."""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from integriteit_shared.http.problems import BadRequest, PayloadTooLarge, UnsupportedMediaType


@dataclass
class Bestand:
    """The uploaded file: its name as the client sent it (free text) and its bytes."""

    naam: str
    inhoud: bytes


@dataclass
class _Deel:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    data: bytearray = field(default_factory=bytearray)


def _naam_van(deel: _Deel) -> tuple[bytes | None, bytes | None]:
    """The form field's name and the file name of a part."""
    _, opties = parse_options_header(deel.headers.get(b"content-disposition", b""))
    return opties.get(b"name"), opties.get(b"filename")


class _Lezer:
    def __init__(self, veld: str, max_bytes: int) -> None:
        self.veld = veld.encode()
        self.max_bytes = max_bytes
        self.deel = _Deel()
        self.header_naam = b""
        self.header_waarde = b""
        self.gevonden: _Deel | None = None
        self.is_veld = False

    def part_begin(self) -> None:
        self.deel = _Deel()
        self.is_veld = False

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_naam += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_waarde += data[start:end]

    def header_end(self) -> None:
        self.deel.headers[self.header_naam.lower()] = self.header_waarde
        self.header_naam = self.header_waarde = b""

    def headers_finished(self) -> None:
        naam, _ = _naam_van(self.deel)
        self.is_veld = naam == self.veld and self.gevonden is None

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if not self.is_veld:
            return  # other fields are ignored, not kept
        self.deel.data += data[start:end]
        if len(self.deel.data) > self.max_bytes:
            raise PayloadTooLarge(f"Een bestand is hoogstens {self.max_bytes} bytes.")

    def part_end(self) -> None:
        if self.is_veld:
            self.gevonden = self.deel


def _boundary(request: Request) -> bytes:
    soort, opties = parse_options_header(request.headers.get("content-type", ""))
    if soort != b"multipart/form-data" or not opties.get(b"boundary"):
        raise UnsupportedMediaType("Stuur het bestand als multipart/form-data.")
    return opties[b"boundary"]


async def lees_bestand(request: Request, *, veld: str, max_bytes: int) -> Bestand:
    """The file in form field `veld`: 415 when the body is not multipart/form-data, 413 as
    soon as the file passes `max_bytes`, 400 when the field is missing or the body broken."""
    lezer = _Lezer(veld, max_bytes)
    parser = MultipartParser(
        _boundary(request),
        {
            "on_part_begin": lezer.part_begin,
            "on_header_field": lezer.header_field,
            "on_header_value": lezer.header_value,
            "on_header_end": lezer.header_end,
            "on_headers_finished": lezer.headers_finished,
            "on_part_data": lezer.part_data,
            "on_part_end": lezer.part_end,
        },
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError:
        raise BadRequest(
            "De multipart-body is ongeldig.",
            invalid_params=[{"name": veld, "reason": "Ongeldige multipart/form-data."}],
        ) from None
    if lezer.gevonden is None:
        raise BadRequest(
            "Er is geen bestand meegestuurd.",
            invalid_params=[{"name": veld, "reason": "Verplicht: het bestand."}],
        )
    _, bestandsnaam = _naam_van(lezer.gevonden)
    naam = (bestandsnaam or b"").decode("utf-8", errors="replace").strip()[:255] or "bestand"
    return Bestand(naam=naam, inhoud=bytes(lezer.gevonden.data))


def multipart_openapi(veld: str, beschrijving: str) -> dict[str, object]:
    """The requestBody of a route that takes one file in `veld` (for `openapi_extra`)."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": [veld],
                        "properties": {
                            veld: {
                                "type": "string",
                                "format": "binary",
                                "description": beschrijving,
                            }
                        },
                    }
                }
            },
        }
    }
