"""Render the annual report from the projections, cached per (jaar, peildatum, data version)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rapportage.jaarverslag.indicatoren import Jaarverslag, laad
from rapportage.projecties.models import RapVersie


@dataclass(frozen=True)
class Weergave:
    body: bytes
    etag: str


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def render_json(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _is_series(node: dict[str, Any]) -> bool:
    return bool(node) and all(len(k) == 4 and k.isdigit() for k in node)


def _rows(prefix: str, node: Any, jaar: int) -> list[tuple[str, int, Any]]:
    if isinstance(node, dict):
        if _is_series(node):
            return [(prefix, int(y), v) for y, v in node.items()]
        if set(node) == {"waarde", "onderdrukt"}:
            return [(prefix, jaar, node["waarde"])]
        out: list[tuple[str, int, Any]] = []
        for k, v in node.items():
            out += _rows(f"{prefix}.{k}", v, jaar)
        return out
    if isinstance(node, list):
        return [(f"{prefix}.{item['subcategorie']}", jaar, item["aantal"]) for item in node]
    return [(prefix, jaar, node)]


def render_csv(body: dict[str, Any]) -> bytes:
    """Flat `indicator,jaar,waarde`: one row per series point, dotted indicator names."""
    jaar = int(body["jaar"])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["indicator", "jaar", "waarde"])
    for key, value in body.items():
        if key in ("jaar", "peildatum", "jaren"):
            continue
        for indicator, y, v in _rows(key, value, jaar):
            w.writerow([indicator, y, "" if v is None else v])
    return buf.getvalue().encode()


async def versie(session: AsyncSession) -> int:
    return int(await session.scalar(select(RapVersie.versie).where(RapVersie.id == 1)) or 0)


class JaarverslagCache:
    """Rendered bodies per (jaar, peildatum, versie, formaat); a new event bumps the version."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._items: OrderedDict[tuple[int, date, int, str], Weergave] = OrderedDict()

    def get(self, key: tuple[int, date, int, str]) -> Weergave | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def put(self, key: tuple[int, date, int, str], item: Weergave) -> None:
        self._items[key] = item
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


async def jaarverslag(
    session: AsyncSession,
    cache: JaarverslagCache,
    *,
    jaar: int,
    peildatum: date,
    formaat: str,
    drempel: int,
) -> Weergave:
    v = await versie(session)
    key = (jaar, peildatum, v, formaat)
    hit = cache.get(key)
    if hit is not None:
        return hit
    body = Jaarverslag(await laad(session, peildatum), jaar, drempel).body()
    data = render_csv(body) if formaat == "csv" else render_json(body)
    item = Weergave(body=data, etag=_etag(data))
    if await versie(session) == v:  # only cache what belongs to one version
        cache.put(key, item)
    return item


async def indicatoren(
    session: AsyncSession,
    *,
    jaar: int,
    peildatum: date,
    onderdelen: list[str],
    drempel: int,
) -> list[dict[str, Any]]:
    return Jaarverslag(await laad(session, peildatum), jaar, drempel).indicatoren(onderdelen)
