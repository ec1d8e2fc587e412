"""The services register themselves (entry points); the shared library finds them."""

from __future__ import annotations

import pytest

from integriteit_shared.service import (
    UnknownService,
    registered_service,
    registered_services,
    service_names,
)

# CONTRACT.md: the services and the ports `make run` serves them on
CONTRACT_PORTS = {
    "meldpunt": 8001,
    "vertrouwenspersonen": 8002,
    "klachten": 8003,
    "rapportage": 8004,
}


def test_every_service_is_registered_in_port_order() -> None:
    assert [(r.name, r.port) for r in registered_services()] == list(CONTRACT_PORTS.items())
    assert service_names() == sorted(CONTRACT_PORTS)


def test_a_registration_says_where_its_parts_are() -> None:
    for registration in registered_services():
        name = registration.name
        assert (registration.migrations / "env.py").is_file()
        assert registration.app_factory == f"{name}.main:create"
        assert registration.env_prefix == f"{name.upper()}_"
        assert registration.settings().service_name == name


def test_an_unknown_service_is_refused_by_name() -> None:
    with pytest.raises(UnknownService, match=r"'ledenadministratie'.*meldpunt"):
        registered_service("ledenadministratie")
