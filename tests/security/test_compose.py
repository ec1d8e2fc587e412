"""The production compose file runs Kafka so that nobody can forge into it (issue 16).

The attack: the production compose ran Kafka PLAINTEXT without SASL or ACLs, so anyone who
reached the broker could write official figures. Read from the files themselves: no client
listener without TLS and SASL, ACLs enforced with nothing allowed by default, every service
authenticating as its own principal with the broker's CA, and each principal allowed exactly
what its role needs. `docker-compose config` checks the file parses (when installed).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from integriteit_shared.events import topics

ROOT = Path(__file__).parents[2]
COMPOSE = ROOT / "docker-compose.yml"
KAFKA = ROOT / "deploy" / "kafka"
SERVICES = ("meldpunt", "vertrouwenspersonen", "klachten", "rapportage")


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def broker_properties() -> dict[str, str]:
    """The server.properties start.sh writes (its heredoc)."""
    text = (KAFKA / "start.sh").read_text()
    body = text.split("<<PROPS\n", 1)[1].split("\nPROPS", 1)[0]
    return dict(line.split("=", 1) for line in body.splitlines() if "=" in line)


def acls() -> set[tuple[str, str, str, str]]:
    rows = set()
    for line in (KAFKA / "acls.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            principal, operation, resource, name = line.split()
            rows.add((principal, operation, resource, name))
    return rows


def example_env() -> dict[str, str]:
    lines = (ROOT / "deploy" / "example.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def interpolate(value: object) -> str:
    """What compose makes of `${NAME}`, `${NAME:-default}` and `${NAME:?message}` with
    deploy/example.env as the .env file."""
    values = example_env()

    def one(m: re.Match[str]) -> str:
        name, op, rest = m.group(1), m.group(2), m.group(3)
        if name in values:
            return values[name]
        return rest if op == ":-" else ""

    return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", one, str(value))


def env_file(service: str) -> dict[str, str]:
    lines = (ROOT / "deploy" / f"{service}.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_the_broker_has_no_plaintext_client_listener_and_enforces_acls() -> None:
    props = broker_properties()
    protocols = dict(p.split(":", 1) for p in props["listener.security.protocol.map"].split(","))
    listeners = [item.split("://")[0] for item in props["listeners"].split(",")]
    for name in listeners:
        if name != props["controller.listener.names"]:
            assert protocols[name] == "SASL_SSL", name
    # the controller listener is bound to the container's loopback only
    assert "CONTROLLER://localhost:9093" in props["listeners"]
    assert props["advertised.listeners"].startswith("SASL_SSL://")
    assert props["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert props["authorizer.class.name"].endswith("StandardAuthorizer")
    assert props["allow.everyone.if.no.acl.found"] == "false"
    assert props["super.users"] == "User:admin"
    kafka = compose()["services"]["kafka"]
    assert kafka["entrypoint"][-1] == "/etc/kafka/start.sh"
    assert "PLAINTEXT" not in str(kafka.get("environment", {}))


def test_every_service_connects_as_its_own_principal_over_sasl_ssl() -> None:
    services = compose()["services"]
    for service in SERVICES:
        prefix = service.upper()
        env = {**env_file(service), **services[service]["environment"]}
        assert env[f"{prefix}_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
        assert env[f"{prefix}_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
        assert env[f"{prefix}_KAFKA_SASL_USERNAME"] == service
        assert env[f"{prefix}_KAFKA_SASL_PASSWORD"].startswith(f"${{{prefix}_KAFKA_PASSWORD:?")
        assert env[f"{prefix}_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9094"
        ca = env[f"{prefix}_KAFKA_SSL_CAFILE"]
        assert any(v.endswith(f":{ca}:ro") for v in services[service]["volumes"])
        # the principal's password is the one the broker was given for it
        assert services["kafka"]["environment"][f"{prefix}_KAFKA_PASSWORD"].startswith(
            f"${{{prefix}_KAFKA_PASSWORD:?"
        )


def _may(principal: str, operation: str) -> set[str]:
    return {n for p, o, r, n in acls() if p == principal and o == operation and r == "topic"}


def test_each_principal_may_write_only_its_own_topic() -> None:
    own = {
        "meldpunt": topics.MELDPUNT,
        "vertrouwenspersonen": topics.VERTROUWENSPERSONEN,
        "klachten": topics.KLACHTEN,
    }
    for principal, topic in own.items():
        assert _may(principal, "Write") == {topic, topics.AUDIT, topics.HERPUBLICATIE}
        # the control topic only: heads and requests to send a range again
        assert _may(principal, "Read") == {topics.HERPUBLICATIE}, principal
    assert _may("kmar-bps", "Write") == {topics.KMAR_BPS}
    assert _may("ecld", "Write") == {topics.ECLD_OPLEIDINGEN}
    assert _may("kmar-bps", "Read") == _may("ecld", "Read") == set()
    # rapportage reads every source and the anchors; it writes the DLQ, its anchors and
    # what KMar and ECLD deliver over REST, never another service's topic
    assert _may("rapportage", "Read") == {
        *topics.INTERNAL,
        *topics.EXTERNAL,
        topics.AUDIT,
        topics.HERPUBLICATIE,
    }
    assert _may("rapportage", "Write") == {
        topics.DLQ,
        topics.AUDIT,
        topics.HERPUBLICATIE,
        *topics.EXTERNAL,
    }
    assert ("rapportage", "Read", "group", "rapportage") in acls()
    operations = {o for _, o, _, _ in acls()}
    assert operations == {"Read", "Write"}  # no All, Alter, Delete or cluster rights


def test_every_topic_the_services_use_is_created() -> None:
    script = (KAFKA / "acls.sh").read_text()
    for topic in topics.ALL:
        assert topic in script, topic


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_docker_compose_config_accepts_the_file() -> None:
    done = subprocess.run(
        ["docker-compose", "--env-file", "deploy/example.env", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _ca(path: Path) -> None:
    """A throw-away self-signed CA certificate (PEM), standing in for deploy/kafka/certs."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-ca")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


@pytest.mark.parametrize("service", SERVICES)
def test_the_compose_settings_give_the_service_a_sasl_ssl_client(
    service: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service's own settings class, fed what compose gives it, configures aiokafka for
    SASL_SSL with its principal and the CA; and outside dev mode nothing weaker starts."""
    from integriteit_shared.messaging.kafka import security
    from integriteit_shared.service import registered_service

    prefix = service.upper()
    env = {**env_file(service), **compose()["services"][service]["environment"]}
    ca = tmp_path / "ca.pem"
    _ca(ca)
    env[f"{prefix}_KAFKA_SSL_CAFILE"] = str(ca)
    env[f"{prefix}_KAFKA_SASL_PASSWORD"] = "geheim"
    env[f"{prefix}_ENCRYPTION_KEYS"] = "k1:" + "QUFB" * 10 + "QUE="
    env[f"{prefix}_AUDIT_KEYS"] = "a1:" + "QkJC" * 10 + "QkI="
    env[f"{prefix}_KOPPELSLEUTEL"] = "Q0ND" * 11  # meldpunt, klachten: 33 bytes
    env[f"{prefix}_DATABASE_URL"] = "postgresql+asyncpg://x@db/x"
    for name, value in env.items():
        monkeypatch.setenv(name, interpolate(value))
    settings_cls = registered_service(service).settings
    kwargs = security(settings_cls())
    assert kwargs["security_protocol"] == "SASL_SSL"
    assert kwargs["sasl_mechanism"] == "SCRAM-SHA-512"
    assert kwargs["sasl_plain_username"] == service
    assert kwargs["sasl_plain_password"] == "geheim"
    assert kwargs["ssl_context"].verify_mode.name == "CERT_REQUIRED"
    monkeypatch.setenv(f"{prefix}_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")
    with pytest.raises(ValueError, match="SASL_SSL"):
        settings_cls()
