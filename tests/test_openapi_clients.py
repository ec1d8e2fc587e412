"""The OpenAPI documents as a client generator reads them: clean, typed, no duplicates.

openapi-python-client (a dev dependency, the tool an integrator would pick) generates a
client for every service; any warning it prints fails. The generated meldpunt and
rapportage clients then register a melding and read the jaarverslag, as a typed model,
from the real apps. The document checks below say why a generator would go wrong.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from integriteit_dev.testing.plugin import eventually
from integriteit_shared.kalender import vandaag
from integriteit_shared.service import registered_service

SERVICES = ("meldpunt", "vertrouwenspersonen", "klachten", "rapportage")
# Code lists every integrator meets: each one enum class in the client that uses it.
CODE_LISTS = {
    "meldpunt": {"Defensieonderdeel", "Hoofdcategorie", "Subcategorie", "MeldingStatus"},
    "vertrouwenspersonen": {"Defensieonderdeel", "Hoofdcategorie", "Subcategorie"},
    "klachten": {"Defensieonderdeel", "KlachtSoort", "KlachtStatus", "Indiener"},
    "rapportage": {
        "Defensieonderdeel",
        "Hoofdcategorie",
        "Subcategorie",
        "KlachtSoort",
        "Opleiding",
    },
}


def document(service: str) -> dict[str, Any]:
    doc: dict[str, Any] = registered_service(service).create_app(None).openapi()
    return doc


@dataclass
class Generated:
    root: Path
    output: dict[str, tuple[int, str]]  # service -> (exit code, what the generator printed)

    def module(self, service: str, name: str = "") -> ModuleType:
        return importlib.import_module(f"{service}_client{'.' if name else ''}{name}")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    root = tmp_path_factory.mktemp("clients")
    config = root / "config.yaml"
    config.write_text("post_hooks: []\n")  # no ruff over the generated code: not needed here
    output: dict[str, tuple[int, str]] = {}
    for service in SERVICES:
        path = root / f"{service}.json"
        path.write_text(json.dumps(document(service)), encoding="utf-8")
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "openapi_python_client",
                "generate",
                "--path",
                str(path),
                "--meta",
                "none",
                "--output-path",
                str(root / f"{service}_client"),
                "--config",
                str(config),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        output[service] = (proc.returncode, proc.stdout + proc.stderr)
    sys.path.insert(0, str(root))
    try:
        yield Generated(root, output)
    finally:
        sys.path.remove(str(root))
        packages = {f"{s}_client" for s in SERVICES}
        for name in [m for m in sys.modules if m.split(".")[0] in packages]:
            del sys.modules[name]


@pytest.mark.parametrize("service", SERVICES)
def test_client_generates_without_a_warning(generated: Generated, service: str) -> None:
    code, printed = generated.output[service]
    others = [ln for ln in printed.splitlines() if ln.strip() and not ln.startswith("Generating")]
    assert code == 0 and not others, printed


@pytest.mark.parametrize("service", SERVICES)
def test_each_code_list_is_one_enum_in_the_client(generated: Generated, service: str) -> None:
    models = generated.module(service, "models")
    enums = {
        name: cls
        for name, cls in vars(models).items()
        if isinstance(cls, type) and issubclass(cls, Enum)
    }
    assert CODE_LISTS[service] <= set(enums), sorted(enums)
    by_codes: dict[frozenset[str], list[str]] = {}
    for name, cls in enums.items():
        by_codes.setdefault(frozenset(str(m.value) for m in cls), []).append(name)
    assert [names for names in by_codes.values() if len(names) > 1] == []


def _inline_enums(node: Any, path: str) -> Iterator[str]:
    """Where an enum of two or more codes is spelled out (one value is a constant)."""
    if isinstance(node, dict):
        if len([v for v in node.get("enum", ()) if v is not None]) > 1:
            yield path
        for key, value in node.items():
            yield from _inline_enums(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _inline_enums(value, f"{path}/{i}")


def _contents(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            if "content" in op.get("requestBody", {}):
                yield f"{where} body", op["requestBody"]["content"]
            for code, resp in op.get("responses", {}).items():
                if "content" in resp:
                    yield f"{where} {code}", resp["content"]


def _is_bestand(doc: dict[str, Any], content: dict[str, Any]) -> bool:
    """A multipart upload of one binary field, or a download of the file's bytes."""

    def schema(s: dict[str, Any]) -> dict[str, Any]:
        ref = s.get("$ref", "")
        return schema(doc["components"]["schemas"][ref.rsplit("/", 1)[1]]) if ref else s

    if list(content) == ["multipart/form-data"]:
        velden = schema(content["multipart/form-data"]["schema"])["properties"].values()
        return all(schema(v).get("format") == "binary" for v in velden)
    return all(schema(m.get("schema", {})).get("format") == "binary" for m in content.values())


@pytest.mark.parametrize("service", SERVICES)
def test_document_names_every_code_list_and_repeats_no_schema(service: str) -> None:
    doc = document(service)
    schemas = doc["components"]["schemas"]
    # a code list is a component of its own, referred to wherever it is used
    inline = [
        p
        for name, schema in schemas.items()
        for p in _inline_enums(schema, name)
        if p != name  # a component that is itself a code list is the point
    ]
    inline += list(_inline_enums(doc["paths"], "paths"))
    assert inline == []
    for where, content in _contents(doc):
        if _is_bestand(doc, content):
            continue  # a file up- or download: the file itself, in its own media type
        media_types = list(content)
        first = media_types[0]
        assert first == "application/json" or first.endswith("+json"), (where, media_types)
        inline_schemas = [
            json.dumps(m["schema"], sort_keys=True)
            for m in content.values()
            if "schema" in m and "$ref" not in m["schema"]
        ]
        assert len(inline_schemas) == len(set(inline_schemas)), where


async def test_generated_clients_register_a_melding_and_read_the_report(
    generated: Generated, service_factory: Any, tokens: Any
) -> None:
    meldpunt = await service_factory("meldpunt")
    rapportage = await service_factory("rapportage")
    mp = generated.module("meldpunt")
    mp_models = generated.module("meldpunt", "models")
    registreer = generated.module("meldpunt", "api.meldingen.registreer_melding")
    rap = generated.module("rapportage")
    rap_models = generated.module("rapportage", "models")
    opvragen = generated.module("rapportage", "api.jaarverslagen.jaarverslag_opvragen")

    melder_client = mp.AuthenticatedClient(
        base_url=f"http://testserver{meldpunt.base}",
        token=tokens("medewerker", sub="mw-client"),
        httpx_args={"transport": httpx.ASGITransport(app=meldpunt.app)},
    )
    async with melder_client:
        aangemaakt = await registreer.asyncio(
            client=melder_client,
            body=mp_models.MeldingCreate(
                kanaal=mp_models.Kanaal.MID,
                defensieonderdeel=mp_models.Defensieonderdeel.CLSK,
                hoofdcategorie=mp_models.Hoofdcategorie.ONGEWENST_GEDRAG,
                subcategorie=mp_models.Subcategorie.PESTEN,
                omschrijving="Een collega wordt al weken buitengesloten.",
                anoniem=False,
                melder=mp_models.Melder(naam="Melder via client"),
            ),
        )
    assert isinstance(aangemaakt, mp_models.MeldingAangemaakt), aangemaakt
    assert aangemaakt.defensieonderdeel is mp_models.Defensieonderdeel.CLSK
    assert aangemaakt.status is mp_models.MeldingStatus.ONTVANGEN

    jaar = vandaag().year
    lezer_client = rap.AuthenticatedClient(
        base_url=f"http://testserver{rapportage.base}",
        token=tokens("rapportage_lezer"),
        httpx_args={"transport": httpx.ASGITransport(app=rapportage.app)},
    )
    verslagen: list[Any] = []

    async def geteld() -> bool:
        verslag = await opvragen.asyncio(client=lezer_client, jaar=jaar)
        assert isinstance(verslag, rap_models.JaarverslagRead), verslag  # the model, not str
        verslagen.append(verslag)
        return bool(verslag.meldingen.totaal[str(jaar)] == 1)

    async with lezer_client:
        await eventually(geteld, within=30)
    verslag = verslagen[-1]
    assert verslag.jaar == jaar and verslag.jaren[0] == jaar
    assert isinstance(verslag.meldingen.totaal, rap_models.Serie)
    top = verslag.meldingen.top3["ongewenst_gedrag"]
    assert top[0].subcategorie is rap_models.Subcategorie.PESTEN and top[0].aantal == 1
