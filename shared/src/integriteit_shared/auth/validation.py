"""Bearer-token validation: RS256/PS256 JWTs against a JWKS URL or a local key file."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from integriteit_shared.http.problems import Unauthorized

if TYPE_CHECKING:
    from integriteit_shared.settings import ServiceSettings

log = logging.getLogger(__name__)

ALLOWED_ALGORITHMS: tuple[str, ...] = ("RS256", "PS256")
REQUIRED_CLAIMS: tuple[str, ...] = ("iss", "aud", "exp", "jti", "sub", "roles")
MAX_TOKEN_LENGTH = 16_384
# Successfully validated tokens are remembered (by a hash, never the token itself) for at most
# this long and never past their `exp`; failures are never remembered.
CACHE_TTL_S = 30.0
CACHE_SIZE = 1024
# A key file is stat()ed at most this often while tokens are served from the cache or verify
# with a known key; an unknown kid or a missing key set re-reads it at once.
KEY_FILE_CHECK_S = 1.0

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Principal:
    """Who is calling: the validated token's subject, roles and optional scope."""

    sub: str
    roles: frozenset[str]
    defensieonderdeel: str | None
    jti: str
    # All validated claims (read-only), e.g. for service-specific extra claims.
    claims: Mapping[str, Any] = field(
        default_factory=lambda: _EMPTY, compare=False, hash=False, repr=False
    )

    def has_any(self, *roles: str) -> bool:
        """True if the principal carries at least one of `roles`."""
        return not self.roles.isdisjoint(map(str, roles))


@dataclass(frozen=True)
class _Key:
    """A verification key and the algorithms it may verify."""

    public_key: rsa.RSAPublicKey | jwt.PyJWK
    algorithms: frozenset[str]


def _fail(detail: str) -> Unauthorized:
    return Unauthorized(detail)


class _KeyFile:
    """Keys from a file (JWKS json, single JWK json, or PEM public key), reloaded on change.

    The file is stat()ed at most once per `KEY_FILE_CHECK_S` (not on every request), and at
    once when a token names a kid the loaded keys do not have (a key just added). Every
    change of the loaded keys bumps `generation`, which drops the validator's token cache.
    """

    def __init__(self, path: Path, algorithms: Collection[str]) -> None:
        self.path = Path(path)
        self._algorithms = frozenset(algorithms)
        self._stamp: tuple[int, int, int] | None = None
        self._by_kid: dict[str, _Key] = {}
        self._any_kid: _Key | None = None
        self._checked_at = float("-inf")
        self.generation = 0

    def lookup(self, kid: str) -> _Key | None:
        self.check()
        key = self._by_kid.get(kid) or self._any_kid
        if key is None:  # maybe a key added since the last check: look now
            self._refresh()
            key = self._by_kid.get(kid) or self._any_kid
        return key

    def check(self) -> None:
        """Re-read the file if it changed; stat()s at most once per KEY_FILE_CHECK_S."""
        now = time.monotonic()
        if self._stamp is not None and now - self._checked_at < KEY_FILE_CHECK_S:
            return
        self._refresh()

    def _refresh(self) -> None:
        self._checked_at = time.monotonic()
        try:
            st = os.stat(self.path)
        except OSError as exc:
            if self._stamp is not None:
                log.warning("JWT key file %s unreadable: %s", self.path, exc)
            self._forget()
            raise _fail("Sleutels voor tokenvalidatie zijn niet beschikbaar.") from None
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        if stamp == self._stamp:
            return
        try:
            by_kid, any_kid = self._parse(self.path.read_bytes())
        except (OSError, ValueError, TypeError, jwt.PyJWTError) as exc:
            log.warning("JWT key file %s not usable: %s", self.path, exc)
            self._forget()
            raise _fail("Sleutels voor tokenvalidatie zijn niet beschikbaar.") from None
        self._stamp, self._by_kid, self._any_kid = stamp, by_kid, any_kid
        self.generation += 1
        log.info("loaded %d JWT key(s) from %s", len(by_kid) + (any_kid is not None), self.path)

    def _forget(self) -> None:
        self._stamp, self._by_kid, self._any_kid = None, {}, None
        self.generation += 1

    def _parse(self, raw: bytes) -> tuple[dict[str, _Key], _Key | None]:
        text = raw.decode("utf-8").strip()
        if text.startswith("{"):
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("key file is not a JSON object")
            if "keys" in data:
                by_kid: dict[str, _Key] = {}
                for jwk in jwt.PyJWKSet.from_dict(data).keys:
                    if jwk.public_key_use not in ("sig", None) or not jwk.key_id:
                        continue
                    by_kid.setdefault(jwk.key_id, _key_from_jwk(jwk, self._algorithms))
                if not by_kid:
                    raise ValueError("JWKS holds no signing keys with a kid")
                return by_kid, None
            single = _key_from_jwk(jwt.PyJWK.from_dict(data), self._algorithms)
            kid = data.get("kid")
            if isinstance(kid, str) and kid:
                return {kid: single}, None
            return {}, single
        public_key = serialization.load_pem_public_key(raw)
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise ValueError("PEM key file does not hold an RSA public key")
        # A PEM key has no kid: it verifies tokens whatever (non-empty) kid they carry.
        return {}, _Key(public_key, self._algorithms)


def _key_from_jwk(jwk: jwt.PyJWK, allowed: frozenset[str]) -> _Key:
    # PyJWT binds a JWK to one algorithm: its `alg`, else RS256 for RSA keys.
    return _Key(jwk, frozenset({jwk.algorithm_name}) & allowed)


class _JwksUrl:
    """Keys from a JWKS endpoint through PyJWT's caching client (blocking: run in a thread)."""

    def __init__(
        self, url: str, algorithms: Collection[str], *, lifespan_s: float, timeout_s: float
    ) -> None:
        self.jwks_url = url
        self._algorithms = frozenset(algorithms)
        self._client = jwt.PyJWKClient(
            url, cache_jwk_set=True, lifespan=lifespan_s, timeout=timeout_s
        )

    def _lookup_blocking(self, kid: str) -> _Key | None:
        try:
            return _key_from_jwk(self._client.get_signing_key(kid), self._algorithms)
        except jwt.PyJWKClientConnectionError as exc:
            log.warning("JWKS %s unreachable: %s", self.jwks_url, exc)
            raise _fail("Sleutels voor tokenvalidatie zijn niet beschikbaar.") from None
        except (jwt.PyJWKClientError, jwt.PyJWKSetError):
            return None
        except ValueError as exc:  # the endpoint answered something that is not JSON
            log.warning("JWKS %s not usable: %s", self.jwks_url, exc)
            raise _fail("Sleutels voor tokenvalidatie zijn niet beschikbaar.") from None

    async def lookup(self, kid: str) -> _Key | None:
        return await asyncio.to_thread(self._lookup_blocking, kid)


class TokenValidator:
    """Validates bearer tokens. Put one at `app.state.token_validator`."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks_url: str | None = None,
        key_file: Path | str | None = None,
        leeway_s: float = 30,
        max_lifetime_s: float = 12 * 3600,
        algorithms: Collection[str] = ALLOWED_ALGORITHMS,
        jwks_cache_s: float = 300,
        jwks_timeout_s: float = 5,
    ) -> None:
        if (jwks_url is None) == (key_file is None):
            raise ValueError("give exactly one of jwks_url or key_file")
        unsupported = set(algorithms) - set(ALLOWED_ALGORITHMS)
        if unsupported or not algorithms:
            raise ValueError(f"only {ALLOWED_ALGORITHMS} may be allowed, not {sorted(unsupported)}")
        self.issuer = issuer
        self.audience = audience
        self.leeway_s = leeway_s
        self.max_lifetime_s = max_lifetime_s
        self.algorithms = frozenset(algorithms)
        self._jwks: _JwksUrl | None = None
        self._file: _KeyFile | None = None
        if jwks_url is not None:
            self._jwks = _JwksUrl(
                jwks_url, self.algorithms, lifespan_s=jwks_cache_s, timeout_s=jwks_timeout_s
            )
        else:
            assert key_file is not None
            self._file = _KeyFile(Path(key_file), self.algorithms)
        # sha256(token) -> (principal, valid until (time.time()), key-file generation)
        self._cache: OrderedDict[bytes, tuple[Principal, float, int]] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> TokenValidator:
        source = settings.public_key_source()
        return cls(
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            jwks_url=source.get("jwks_url"),
            key_file=source.get("key_file"),
            leeway_s=settings.jwt_leeway_s,
            max_lifetime_s=settings.jwt_max_lifetime_s,
        )

    async def _lookup(self, kid: str) -> _Key | None:
        if self._jwks is not None:
            return await self._jwks.lookup(kid)
        assert self._file is not None
        return self._file.lookup(kid)

    def _generation(self, *, check: bool = True) -> int:
        if self._file is None:
            return 0
        if check:
            self._file.check()
        return self._file.generation

    async def validate(self, token: str) -> Principal:
        """The token's Principal, or `Unauthorized` with a short Dutch reason.

        A token that validated recently is answered from a small in-memory cache (keyed by
        its SHA-256, until min(exp, CACHE_TTL_S) and only while the keys are unchanged), so
        a dashboard polling with one token does not pay an RSA verification per request.
        """
        if not token or len(token) > MAX_TOKEN_LENGTH:
            raise _fail("Ongeldig token.")
        digest = hashlib.sha256(token.encode()).digest()
        hit = self._cache.get(digest)
        if hit is not None:
            principal, until, generation = hit
            if time.time() < until and generation == self._generation():
                self._cache.move_to_end(digest)
                return principal
            del self._cache[digest]
        # the generation before verifying: a reload during it makes the entry stale, not wrong
        generation = self._generation(check=False)
        principal = await self._verify(token)
        exp = principal.claims.get("exp")
        if isinstance(exp, int | float):
            self._cache[digest] = (
                principal,
                min(float(exp), time.time() + CACHE_TTL_S),
                generation,
            )
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return principal

    async def _verify(self, token: str) -> Principal:
        alg, kid = _algorithm_and_kid(token, self.algorithms)
        key = await self._lookup(kid)
        if key is None:
            raise _fail("Onbekende sleutel (kid).")
        if alg not in key.algorithms:
            raise _fail("Algoritme niet toegestaan voor deze sleutel.")

        try:
            claims = jwt.decode(
                token,
                key=key.public_key,
                algorithms=[alg],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_s,
                options={
                    "require": list(REQUIRED_CLAIMS),
                    "verify_signature": True,
                    "verify_exp": True,
                    "verify_nbf": True,
                    "verify_iat": True,
                    "verify_aud": True,
                    "verify_iss": True,
                    "verify_sub": True,
                    "verify_jti": True,
                },
            )
        except jwt.PyJWTError as exc:
            raise _fail(_decode_reason(exc)) from None
        self._check_lifetime(claims)
        return _principal(claims)

    def _check_lifetime(self, claims: dict[str, Any]) -> None:
        """A stolen token must not open the door for years: `exp` at most `max_lifetime_s`
        after its `iat` (when given) and after now."""
        exp = claims["exp"]
        start = time.time()
        iat = claims.get("iat")
        if isinstance(iat, int | float) and iat < start:
            start = float(iat)
        if float(exp) - start > self.max_lifetime_s + self.leeway_s:
            raise _fail("Token is te lang geldig.")


def _algorithm_and_kid(token: str, allowed: frozenset[str]) -> tuple[str, str]:
    """The header's `alg` (one of `allowed`) and `kid`, read before the signature is checked."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise _fail("Ongeldig token.") from None
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in allowed:
        raise _fail("Algoritme niet toegestaan.")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise _fail("Token mist een 'kid' in de header.")
    return alg, kid


# The reason given for a token `jwt.decode` refuses: the first entry whose class matches.
_DECODE_REASONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "Token verlopen."),
    (jwt.ImmatureSignatureError, "Token nog niet geldig."),
    (jwt.InvalidSignatureError, "Ongeldige handtekening."),
    (jwt.InvalidAudienceError, "Onjuiste audience."),
    (jwt.InvalidIssuerError, "Onjuiste issuer."),
    (jwt.InvalidIssuedAtError, "Ongeldige 'iat'-claim."),
    (jwt.InvalidAlgorithmError, "Algoritme niet toegestaan."),
)


def _decode_reason(exc: jwt.PyJWTError) -> str:
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return f"Claim '{exc.claim}' ontbreekt."
    for error, reason in _DECODE_REASONS:
        if isinstance(exc, error):
            return reason
    return "Ongeldig token."


def _principal(claims: dict[str, Any]) -> Principal:
    sub, jti, roles = claims.get("sub"), claims.get("jti"), claims.get("roles")
    if not isinstance(sub, str) or not sub:
        raise _fail("Ongeldige 'sub'-claim.")
    if not isinstance(jti, str) or not jti:
        raise _fail("Ongeldige 'jti'-claim.")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise _fail("Claim 'roles' moet een lijst van rolnamen zijn.")
    onderdeel = claims.get("defensieonderdeel")
    if onderdeel is not None and (not isinstance(onderdeel, str) or not onderdeel):
        raise _fail("Ongeldige 'defensieonderdeel'-claim.")
    return Principal(
        sub=sub,
        roles=frozenset(roles),
        defensieonderdeel=onderdeel,
        jti=jti,
        claims=MappingProxyType(dict(claims)),
    )
