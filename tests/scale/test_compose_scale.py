"""`docker compose up --scale meldpunt=2 --scale rapportage=2` works with the compose file's
own settings: no fixed container name or host port in the way of a second replica, one
gateway that publishes each service's port and spreads requests over the replicas, and
that gateway the only proxy the services trust."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parents[2]
SERVICES = {"meldpunt": 8001, "vertrouwenspersonen": 8002, "klachten": 8003, "rapportage": 8004}


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def test_no_service_has_a_fixed_container_name_or_host_port() -> None:
    services = compose()["services"]
    for name in SERVICES:
        assert "container_name" not in services[name], name
        assert "ports" not in services[name], name
    assert not any("container_name" in s for s in services.values())


def test_the_gateway_publishes_each_port_and_resolves_the_replicas_per_request() -> None:
    gateway = compose()["services"]["ingang"]
    assert sorted(gateway["ports"]) == sorted(f"{p}:{p}" for p in SERVICES.values())
    conf = (ROOT / "deploy" / "ingang" / "nginx.conf").read_text()
    assert "resolver 127.0.0.11" in conf  # Docker's DNS: one address per replica
    for name, port in SERVICES.items():
        # a variable in proxy_pass: resolved at request time, so new replicas are found
        assert re.search(
            rf"listen {port};\s*location / {{ set \$up http://{name}:8000; proxy_pass \$up;", conf
        ), name


def test_the_services_trust_the_gateway_and_nothing_else() -> None:
    services = compose()["services"]
    address = services["ingang"]["networks"]["default"]["ipv4_address"]
    subnet = compose()["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert address.startswith(subnet.split(".0.0/")[0])
    for name in SERVICES:
        assert services[name]["environment"]["TRUSTED_PROXIES"] == address, name
