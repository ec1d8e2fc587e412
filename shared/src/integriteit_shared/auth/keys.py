"""The development signing key: one RSA keypair under `<data dir>/dev-keys`.

`private.pem` (mode 0600) signs the tokens `integriteit token` prints; `jwks.json` holds the
matching public key, which the services read by default (`ServiceSettings.public_key_source`).
Never used outside dev mode: production configures a JWKS URL or a public key file.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PRIVATE_KEY_FILE = "private.pem"
JWKS_FILE = "jwks.json"
DEV_ALGORITHM = "RS256"


@dataclass(frozen=True)
class DevKeys:
    """The loaded dev keypair: sign with `private_key`, put `kid` in the token header."""

    private_key: rsa.RSAPrivateKey = field(repr=False)
    kid: str
    jwks: dict[str, Any]
    directory: Path | None = None

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    @property
    def jwks_path(self) -> Path | None:
        return None if self.directory is None else self.directory / JWKS_FILE


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def rsa_public_jwk(public_key: rsa.RSAPublicKey, *, alg: str = DEV_ALGORITHM) -> dict[str, Any]:
    """The public JWK of an RSA key, with `kid` = its RFC 7638 thumbprint."""
    numbers = public_key.public_numbers()
    jwk: dict[str, Any] = {"kty": "RSA", "n": _b64url_uint(numbers.n), "e": _b64url_uint(numbers.e)}
    return {**jwk, "kid": jwk_thumbprint(jwk), "alg": alg, "use": "sig"}


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url without padding). RSA, EC and OKP keys."""
    members = {"RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y"), "OKP": ("crv", "kty", "x")}
    required = members.get(str(jwk.get("kty")))
    if required is None:
        raise ValueError(f"unsupported key type for a thumbprint: {jwk.get('kty')!r}")
    canonical = json.dumps(
        {name: jwk[name] for name in required}, separators=(",", ":"), sort_keys=True
    )
    digest = hashlib.sha256(canonical.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _write_new_file(path: Path, data: bytes, mode: int) -> bool:
    """Publish `data` at `path` atomically unless it already exists. True if we created it."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            # A hard link never replaces an existing file: two processes starting at once
            # agree on whichever key got there first.
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:
            # Filesystems without hard links: exclusive create, then write.
            try:
                out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            except FileExistsError:
                return False
            with os.fdopen(out, "wb") as fh:
                fh.write(data)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _replace_file(path: Path, data: bytes, mode: int) -> None:
    """Write `path` atomically (readers see the old or the new content, never half)."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def load_dev_keys(directory: Path) -> DevKeys:
    """Load an existing dev keypair (raises FileNotFoundError when there is none)."""
    pem = (directory / PRIVATE_KEY_FILE).read_bytes()
    private_key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise ValueError(f"{directory / PRIVATE_KEY_FILE} is not an RSA private key")
    jwk = rsa_public_jwk(private_key.public_key())
    return DevKeys(
        private_key=private_key, kid=jwk["kid"], jwks={"keys": [jwk]}, directory=directory
    )


def ensure_dev_keys(directory: Path) -> DevKeys:
    """Create the dev keypair under `directory` unless it exists, then load it.

    Safe to call from several processes at once: the private key is published atomically
    and only once; `jwks.json` is always derived from the private key that won.
    """
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    private_path = directory / PRIVATE_KEY_FILE
    if not private_path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        )
        _write_new_file(private_path, pem, 0o600)
    keys = load_dev_keys(directory)

    jwks_path = directory / JWKS_FILE
    try:
        current = json.loads(jwks_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        current = None
    if current != keys.jwks:
        body = json.dumps(keys.jwks, indent=2, sort_keys=True) + "\n"
        _replace_file(jwks_path, body.encode("utf-8"), 0o644)
    return keys
