"""Settings shared by every service; each service subclasses with its own env prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from integriteit_shared.crypto.audit import DEV_AUDIT_KEYS
from integriteit_shared.crypto.koppeling import DEV_KOPPELSLEUTEL, koppelsleutel
from integriteit_shared.events import topics
from integriteit_shared.onderdrukking import ONDERDRUKKING_TOT_EN_MET

# Published in the repo on purpose: usable only in dev mode, refused otherwise.
DEV_ENCRYPTION_KEYS = "dev1:ZGV2LW9ubHkta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE="
DEV_ISSUER = "urn:nld:integriteit:dev"
DEFAULT_AUDIENCE = "integriteit"


class ServiceSettings(BaseSettings):
    """Base settings. Subclasses set `model_config` with their own env prefix."""

    model_config = SettingsConfigDict(env_prefix="INTEGRITEIT_", extra="ignore")

    service_name: str = "integriteit"
    # a service that links named melders or klagers to their case (`koppelsleutel`)
    koppelt_indieners: ClassVar[bool] = False
    api_version: str = "1.0.0"
    dev_mode: bool = True
    data_dir: Path = Field(default_factory=lambda: Path("data"))
    database_url: str = ""
    kafka_bootstrap_servers: str = "localhost:9092"
    # How the service authenticates to the broker (`integriteit_shared.messaging.kafka`):
    # PLAINTEXT only in dev mode; production uses SASL_SSL with SCRAM and its own principal.
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"] | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: str | None = None
    # the CA that signed the broker's certificate (PEM); None: the system's trust store
    kafka_ssl_cafile: Path | None = None
    kafka_fetch_max_wait_ms: int = 20
    kafka_session_timeout_ms: int = 2000
    kafka_heartbeat_interval_ms: int = 500
    # every topic has this many partitions; checked at start (messaging.kafka)
    kafka_partitions: int = Field(default=topics.DEV_PARTITIONS, ge=1)
    outbox_poll_interval_s: float = 0.05
    outbox_batch_size: int = 200
    # after a partial batch, wait this long before claiming again (fewer, larger batches
    # under load; the first event after a quiet spell still leaves at once)
    outbox_linger_s: float = 0.02
    # after a broker outage, events published this long before it are sent again
    outbox_republish_window_s: float = 60.0
    outbox_probe_interval_s: float = 1.0
    # messaging.herpublicatie: a producer announces its highest sequence this often; a
    # consumer asks for a missing range again once it has been open this long
    herpublicatie_stand_interval_s: float = 10.0
    herpublicatie_gat_na_s: float = 30.0

    jwt_issuer: str = DEV_ISSUER
    jwt_audience: str = DEFAULT_AUDIENCE
    jwt_jwks_url: str | None = None
    jwt_public_key_file: Path | None = None
    jwt_leeway_s: int = 30
    # a token valid for longer than this (from its `iat`, or from now) is refused (401)
    jwt_max_lifetime_s: int = 12 * 3600

    # "kid:base64(32 bytes),kid2:..."; the first key encrypts, all decrypt.
    encryption_keys: str = DEV_ENCRYPTION_KEYS
    # The audit chain's HMAC keys, same form, separate from the encryption keys: the first
    # signs new entries, all verify (`integriteit_shared.crypto.audit.AuditKeys`).
    audit_keys: str = DEV_AUDIT_KEYS
    # how often the service publishes its audit chain head on integriteit.audit.v1 (and
    # once more when it stops), when the chain has grown since the last one
    audit_anker_interval_s: float = 60.0

    # base64 (>= 32 bytes): the key of the HMAC that links a named melder or klager to
    # their own case (`integriteit_shared.crypto.koppeling`)
    koppelsleutel: str = DEV_KOPPELSLEUTEL

    log_level: str = "INFO"

    # Mail (integriteit_shared.notificaties). The defaults reach the development mail
    # server that `make run` starts (aiosmtpd, storing .eml files under data/mail/).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "integriteit@localhost"
    # the only link a mail carries: where the recipient logs in (no case id in it)
    mail_link_base: str = "http://127.0.0.1:8001/"
    notificatie_interval_s: float = 5.0
    # where reminders go while a case has no behandelaar: per defensieonderdeel
    # (<PREFIX>TEAMADRESSEN='{"CLAS": "coid-clas@…"}'), else this one
    teamadressen: dict[str, str] = Field(default_factory=dict)
    teamadres: str = "integriteit-team@localhost"
    # the recipient address of a reminder or notice, kept this many days after it was sent
    # or cancelled (then overwritten; the row stays, so the same mail is never sent twice)
    bewaartermijn_mailadressen_dagen: int = Field(default=30, ge=0)
    # Aftercare (nazorg, DOMAIN.md): a named melding's check-ins, this many months after
    # its closing date. One setting for meldpunt, which plans and reminds them, and
    # rapportage, which counts them: env NAZORG_MAANDEN="3,6,12", without service prefix.
    nazorg_maanden: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(3, 6, 12), validation_alias=AliasChoices("nazorg_maanden")
    )
    # Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated),
    # by uvicorn and the rate limiters alike (`integriteit_shared.http.proxies`). Env
    # TRUSTED_PROXIES, without the service prefix: uvicorn's start command reads it too.
    trusted_proxies: str = Field(default="", validation_alias=AliasChoices("trusted_proxies"))

    @field_validator("nazorg_maanden", mode="before")
    @classmethod
    def _maanden(cls, waarde: object) -> object:
        if isinstance(waarde, str):
            return tuple(int(deel) for deel in waarde.split(",") if deel.strip())
        return waarde

    @field_validator("nazorg_maanden")
    @classmethod
    def _maanden_oplopend(cls, waarde: tuple[int, ...]) -> tuple[int, ...]:
        if not waarde or any(m < 1 for m in waarde) or list(waarde) != sorted(set(waarde)):
            raise ValueError("nazorg_maanden: oplopende, verschillende aantallen maanden >= 1")
        return waarde

    # Published counts below Defensie level from 1 up to this are suppressed (DOMAIN.md;
    # `integriteit_shared.onderdrukking`): env <SERVICE>_ONDERDRUKKING_TOT_EN_MET.
    onderdrukking_tot_en_met: int = ONDERDRUKKING_TOT_EN_MET

    @model_validator(mode="after")
    def _defaults_and_dev_secrets(self) -> ServiceSettings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir / self.service_name}.db"
        koppelsleutel(self.koppelsleutel)  # a bad key fails at start, not at the first call
        if not self.dev_mode:
            problems = []
            if self.koppelt_indieners and self.koppelsleutel == DEV_KOPPELSLEUTEL:
                problems.append("koppelsleutel is the published dev key")
            if self.encryption_keys == DEV_ENCRYPTION_KEYS:
                problems.append("encryption_keys is the published dev key")
            if self.audit_keys == DEV_AUDIT_KEYS:
                problems.append("audit_keys is the published dev key")
            if self.kafka_security_protocol != "SASL_SSL":
                problems.append("kafka_security_protocol must be SASL_SSL")
            if self.jwt_issuer == DEV_ISSUER:
                problems.append("jwt_issuer is the dev issuer")
            if self.jwt_jwks_url is None and self.jwt_public_key_file is None:
                problems.append("set jwt_jwks_url or jwt_public_key_file")
            if problems:
                raise ValueError("refusing dev secrets outside dev mode: " + "; ".join(problems))
        if self.kafka_security_protocol.startswith("SASL") and not (
            self.kafka_sasl_mechanism and self.kafka_sasl_username and self.kafka_sasl_password
        ):
            raise ValueError("SASL needs kafka_sasl_mechanism, _username and _password")
        return self

    @property
    def dev_keys_dir(self) -> Path:
        return self.data_dir / "dev-keys"

    def public_key_source(self) -> dict[str, Any]:
        """Where JWT verification keys come from: a JWKS URL or a key file."""
        if self.jwt_jwks_url:
            return {"jwks_url": self.jwt_jwks_url}
        if self.jwt_public_key_file:
            return {"key_file": self.jwt_public_key_file}
        return {"key_file": self.dev_keys_dir / "jwks.json"}
