"""What each service package wires up the same way: settings class, migrations, app."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from pydantic_settings import SettingsConfigDict

from integriteit_shared.settings import ServiceSettings

SERVICES: tuple[str, ...] = ("meldpunt", "vertrouwenspersonen", "klachten", "rapportage")
PORTS: dict[str, int] = {
    "meldpunt": 8001,
    "vertrouwenspersonen": 8002,
    "klachten": 8003,
    "rapportage": 8004,
}


def settings_config(service: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=f"{service.upper()}_", extra="ignore")


def migrations_dir(package: ModuleType) -> Path:
    """services/<name>/migrations, next to the package's src/ directory."""
    file = package.__file__
    assert file is not None
    return Path(file).resolve().parents[2] / "migrations"


def service_settings_class(service: str) -> type[ServiceSettings]:
    module = __import__(f"{service}.config", fromlist=["Settings"])
    cls: type[ServiceSettings] = module.Settings
    return cls


def service_package(service: str) -> ModuleType:
    return __import__(service)
