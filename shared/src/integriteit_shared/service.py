"""How the services make themselves known: one `ServiceRegistration` each, found through
the entry point group `integriteit.services` in the service's own pyproject.toml.

The shared library names no service. What is installed is what exists: the dev venv has
all four, a production image only the one it was built for.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic_settings import SettingsConfigDict

from integriteit_shared.bewaartermijnen import Bewaarregel
from integriteit_shared.settings import ServiceSettings
from integriteit_shared.workflow import Workflow

if TYPE_CHECKING:
    from fastapi import FastAPI

ENTRY_POINT_GROUP = "integriteit.services"

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def settings_config(service: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=f"{service.upper()}_", extra="ignore")


@dataclass(frozen=True)
class ServiceRegistration(Generic[SettingsT]):
    """What the command line, the dev stack and the tests need to know of a service."""

    name: str
    settings: type[SettingsT]
    create_app: Callable[[SettingsT | None], FastAPI]
    _: KW_ONLY
    # the port `make run` serves it on (CONTRACT.md); in a container it listens on 8000
    port: int
    # (table, column) pairs that hold field-encrypted values, for key rotation
    encrypted_fields: tuple[tuple[str, str], ...]
    # its aggregates' transitions tables (docs/toestanden.md is drawn from them)
    workflows: tuple[Workflow[Any], ...] = ()
    # its retention rules, for `integriteit bewaartermijnen` (the lifespan runs them daily)
    bewaarregels: tuple[Bewaarregel, ...] = ()

    @property
    def migrations(self) -> Path:
        """services/<name>/migrations, next to the src/ directory of the app factory."""
        return Path(inspect.getfile(self.create_app)).resolve().parents[2] / "migrations"

    @property
    def app_factory(self) -> str:
        """`module:function` of the app factory, for `uvicorn --factory`."""
        return f"{self.create_app.__module__}:{self.create_app.__qualname__}"

    @property
    def env_prefix(self) -> str:
        """The prefix of the environment variables its settings read."""
        return str(self.settings.model_config.get("env_prefix", ""))


class UnknownService(LookupError):
    pass


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def service_names() -> list[str]:
    """The installed services' names, without importing them."""
    return sorted(_entry_points())


@cache
def registered_service(name: str) -> ServiceRegistration[Any]:
    """The registration of one service; imports that service only."""
    entry_point = _entry_points().get(name)
    if entry_point is None:
        known = ", ".join(service_names()) or "none (run `make install`?)"
        raise UnknownService(f"no service {name!r} installed; installed: {known}")
    registration = entry_point.load()
    if not isinstance(registration, ServiceRegistration) or registration.name != name:
        raise TypeError(
            f"entry point {entry_point.value} ({ENTRY_POINT_GROUP}) is not the "
            f"ServiceRegistration of {name!r}"
        )
    return registration


def registered_services() -> list[ServiceRegistration[Any]]:
    """Every installed service, in port order (as `make run` and `make openapi` list them)."""
    registrations = sorted((registered_service(n) for n in service_names()), key=lambda r: r.port)
    ports = [r.port for r in registrations]
    if len(set(ports)) != len(ports):
        raise ValueError(f"two services registered on one port: {ports}")
    return registrations


def workflows_by_service() -> dict[str, list[Workflow[Any]]]:
    """Every installed service's workflows, in port order (the state diagrams document)."""
    return {r.name: list(r.workflows) for r in registered_services() if r.workflows}
