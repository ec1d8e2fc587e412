"""Bearer-token auth: validation, FastAPI dependencies, dev keys and the token CLI."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import stat
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Annotated, Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from integriteit_shared.auth import (
    CurrentPrincipal,
    DevKeys,
    OptionalPrincipal,
    Principal,
    Rol,
    TokenValidator,
    ensure_dev_keys,
    jwk_thumbprint,
    mint_token,
    require_roles,
    scope_onderdeel,
    validation,
)
from integriteit_shared.auth.cli import token_main
from integriteit_shared.http.problems import ProblemError
from integriteit_shared.settings import DEFAULT_AUDIENCE, DEV_ISSUER, ServiceSettings

ISS = DEV_ISSUER
AUD = DEFAULT_AUDIENCE


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": ISS,
        "aud": AUD,
        "sub": "u-1",
        "roles": ["coid_adviseur"],
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": "jti-1",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _unsigned(header: dict[str, Any], claims: dict[str, Any], sig: bytes = b"") -> str:
    parts = (json.dumps(header).encode(), json.dumps(claims).encode(), sig)
    return ".".join(_b64(part) for part in parts)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DevKeys:
    return ensure_dev_keys(tmp_path_factory.mktemp("data") / "dev-keys")


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _token(keys: DevKeys, **kw: Any) -> str:
    args: dict[str, Any] = {
        "private_key": keys.private_key,
        "kid": keys.kid,
        "sub": "u-1",
        "roles": ["coid_adviseur"],
        "issuer": ISS,
        "audience": AUD,
    }
    args.update(kw)
    return mint_token(**args)


def _app(validator: TokenValidator) -> FastAPI:
    app = FastAPI()
    app.state.token_validator = validator

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return JSONResponse(
            exc.body(),
            status_code=exc.status,
            headers=exc.headers,
            media_type="application/problem+json",
        )

    @app.get("/geheim")
    async def geheim(
        principal: Annotated[Principal, Depends(require_roles(Rol.coid_adviseur))],
    ) -> dict[str, Any]:
        return {"sub": principal.sub, "onderdeel": principal.defensieonderdeel}

    @app.get("/wie")
    async def wie(principal: CurrentPrincipal) -> dict[str, Any]:
        return {"sub": principal.sub, "roles": sorted(principal.roles)}

    @app.get("/open")
    async def open_(principal: OptionalPrincipal) -> dict[str, Any]:
        return {"anoniem": principal is None}

    return app


@pytest.fixture
def validator(keys: DevKeys) -> TokenValidator:
    assert keys.jwks_path is not None
    return TokenValidator(issuer=ISS, audience=AUD, key_file=keys.jwks_path, leeway_s=0)


@pytest.fixture
async def client(validator: TokenValidator) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app(validator))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _expect_401(client: httpx.AsyncClient, token: str, detail: str | None = None) -> None:
    r = await client.get("/geheim", headers=_bearer(token))
    assert r.status_code == 401, r.text
    body = r.json()
    assert body["status"] == 401
    assert token not in r.text
    assert r.headers["www-authenticate"].startswith("Bearer")
    if detail is not None:
        assert body["detail"] == detail


# --- the protected route ---------------------------------------------------------------------


async def test_valid_token(client: httpx.AsyncClient, keys: DevKeys) -> None:
    r = await client.get("/geheim", headers=_bearer(_token(keys, defensieonderdeel="CLSK")))
    assert r.status_code == 200, r.text
    assert r.json() == {"sub": "u-1", "onderdeel": "CLSK"}


async def test_no_token(client: httpx.AsyncClient) -> None:
    r = await client.get("/geheim")
    assert r.status_code == 401
    assert r.json()["status"] == 401


async def test_not_a_bearer_header(client: httpx.AsyncClient, keys: DevKeys) -> None:
    r = await client.get("/geheim", headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert r.status_code == 401
    r = await client.get("/geheim", headers={"Authorization": "Bearer"})
    assert r.status_code == 401


async def test_garbage_token(client: httpx.AsyncClient) -> None:
    await _expect_401(client, "not.a.jwt", "Ongeldig token.")


async def test_bad_signature_same_kid(
    client: httpx.AsyncClient, keys: DevKeys, other_key: rsa.RSAPrivateKey
) -> None:
    await _expect_401(client, _token(keys, private_key=other_key), "Ongeldige handtekening.")


async def test_expired(client: httpx.AsyncClient, keys: DevKeys) -> None:
    now = int(time.time())
    token = jwt.encode(
        _claims(iat=now - 100, nbf=now - 100, exp=now - 10),
        keys.private_key,
        algorithm="RS256",
        headers={"kid": keys.kid},
    )
    await _expect_401(client, token, "Token verlopen.")


async def test_wrong_audience(client: httpx.AsyncClient, keys: DevKeys) -> None:
    await _expect_401(client, _token(keys, audience="iets-anders"), "Onjuiste audience.")


async def test_wrong_issuer(client: httpx.AsyncClient, keys: DevKeys) -> None:
    await _expect_401(client, _token(keys, issuer="urn:elders"), "Onjuiste issuer.")


async def test_alg_none(client: httpx.AsyncClient, keys: DevKeys) -> None:
    token = _unsigned({"alg": "none", "typ": "JWT", "kid": keys.kid}, _claims())
    await _expect_401(client, token, "Algoritme niet toegestaan.")


async def test_hs256_with_public_key_as_secret(client: httpx.AsyncClient, keys: DevKeys) -> None:
    public_pem = keys.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": keys.kid}
    signing_input = (
        _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(_claims()).encode())
    ).encode()
    sig = hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    token = signing_input.decode() + "." + _b64(sig)
    await _expect_401(client, token, "Algoritme niet toegestaan.")


async def test_es256_not_allowed(client: httpx.AsyncClient, keys: DevKeys) -> None:
    token = _unsigned({"alg": "ES256", "kid": keys.kid}, _claims(), b"x" * 64)
    await _expect_401(client, token, "Algoritme niet toegestaan.")


async def test_missing_kid(client: httpx.AsyncClient, keys: DevKeys) -> None:
    token = jwt.encode(_claims(), keys.private_key, algorithm="RS256")
    await _expect_401(client, token, "Token mist een 'kid' in de header.")


async def test_unknown_kid(client: httpx.AsyncClient, keys: DevKeys) -> None:
    await _expect_401(client, _token(keys, kid="onbekend"), "Onbekende sleutel (kid).")


@pytest.mark.parametrize("claim", ["jti", "sub", "exp", "roles", "iss", "aud"])
async def test_missing_required_claim(client: httpx.AsyncClient, keys: DevKeys, claim: str) -> None:
    claims = _claims()
    del claims[claim]
    token = jwt.encode(claims, keys.private_key, algorithm="RS256", headers={"kid": keys.kid})
    await _expect_401(client, token, f"Claim '{claim}' ontbreekt.")


@pytest.mark.parametrize(
    "roles", ["coid_adviseur", [1, 2], {"coid_adviseur": True}], ids=["str", "ints", "dict"]
)
async def test_roles_must_be_list_of_strings(
    client: httpx.AsyncClient, keys: DevKeys, roles: Any
) -> None:
    token = jwt.encode(
        _claims(roles=roles), keys.private_key, algorithm="RS256", headers={"kid": keys.kid}
    )
    await _expect_401(client, token, "Claim 'roles' moet een lijst van rolnamen zijn.")


async def test_defensieonderdeel_must_be_string(client: httpx.AsyncClient, keys: DevKeys) -> None:
    token = jwt.encode(
        _claims(defensieonderdeel=["CLSK"]),
        keys.private_key,
        algorithm="RS256",
        headers={"kid": keys.kid},
    )
    await _expect_401(client, token)


async def test_not_yet_valid(client: httpx.AsyncClient, keys: DevKeys) -> None:
    now = int(time.time())
    token = jwt.encode(
        _claims(nbf=now + 300), keys.private_key, algorithm="RS256", headers={"kid": keys.kid}
    )
    await _expect_401(client, token, "Token nog niet geldig.")


@pytest.mark.parametrize("name", ["access_token", "token", "jwt", "bearer", "Access_Token"])
async def test_token_in_query_string_refused(
    client: httpx.AsyncClient, keys: DevKeys, name: str
) -> None:
    token = _token(keys)
    r = await client.get("/geheim", params={name: token})
    assert r.status_code == 400
    assert r.json()["detail"] == "Tokens in de query string worden geweigerd."
    assert token not in r.text
    # Even alongside a valid header, and on routes open to anonymous callers.
    r = await client.get("/geheim", params={name: token}, headers=_bearer(token))
    assert r.status_code == 400
    r = await client.get("/open", params={name: "x"})
    assert r.status_code == 400


async def test_missing_role_is_403(client: httpx.AsyncClient, keys: DevKeys) -> None:
    r = await client.get("/geheim", headers=_bearer(_token(keys, roles=["medewerker"])))
    assert r.status_code == 403
    assert r.json()["status"] == 403


async def test_current_and_optional_principal(client: httpx.AsyncClient, keys: DevKeys) -> None:
    token = _token(keys, roles=["medewerker", "beheerder"])
    r = await client.get("/wie", headers=_bearer(token))
    assert r.json() == {"sub": "u-1", "roles": ["beheerder", "medewerker"]}
    assert (await client.get("/open")).json() == {"anoniem": True}
    assert (await client.get("/open", headers=_bearer(token))).json() == {"anoniem": False}
    assert (await client.get("/open", headers=_bearer("kapot"))).status_code == 401


async def test_openapi_security_scheme(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/openapi.json")).json()
    schemes = doc["components"]["securitySchemes"]
    assert list(schemes.values()) == [
        {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": schemes["bearerAuth"]["description"],
        }
    ]
    for path in ("/geheim", "/wie", "/open"):
        assert doc["paths"][path]["get"]["security"] == [{"bearerAuth": []}]


# --- validator details -----------------------------------------------------------------------


async def test_ps256_with_pem_key_file(tmp_path: Path, other_key: rsa.RSAPrivateKey) -> None:
    pem = other_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (tmp_path / "pub.pem").write_bytes(pem)
    validator = TokenValidator(issuer=ISS, audience=AUD, key_file=tmp_path / "pub.pem")
    for alg in ("RS256", "PS256"):
        token = jwt.encode(_claims(), other_key, algorithm=alg, headers={"kid": "extern-1"})
        principal = await validator.validate(token)
        assert principal.sub == "u-1"
        assert principal.jti == "jti-1"
        assert principal.defensieonderdeel is None
    with pytest.raises(ProblemError) as err:
        await validator.validate(jwt.encode(_claims(), other_key, algorithm="RS384"))
    assert err.value.status == 401


async def test_jwk_alg_binds_the_algorithm(validator: TokenValidator, keys: DevKeys) -> None:
    # The dev JWKS says alg RS256: a PS256 token under that kid is refused.
    token = _token(keys, algorithm="PS256")
    with pytest.raises(ProblemError) as err:
        await validator.validate(token)
    assert err.value.status == 401


async def test_key_file_reloaded_when_it_changes(tmp_path: Path) -> None:
    first = ensure_dev_keys(tmp_path / "a")
    second = ensure_dev_keys(tmp_path / "b")
    jwks = tmp_path / "jwks.json"
    validator = TokenValidator(issuer=ISS, audience=AUD, key_file=jwks)
    with pytest.raises(ProblemError):  # no file yet
        await validator.validate(_token(first))
    jwks.write_text(json.dumps(first.jwks))
    assert (await validator.validate(_token(first))).sub == "u-1"
    jwks.write_text(json.dumps(second.jwks))
    st = jwks.stat()
    os.utime(jwks, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert (await validator.validate(_token(second))).sub == "u-1"
    with pytest.raises(ProblemError):
        await validator.validate(_token(first))


async def test_remembered_token_is_refused_once_its_key_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a validated token is remembered, but never past a change of the keys
    monkeypatch.setattr(validation, "KEY_FILE_CHECK_S", 0.0)
    first = ensure_dev_keys(tmp_path / "a")
    second = ensure_dev_keys(tmp_path / "b")
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(first.jwks))
    validator = TokenValidator(issuer=ISS, audience=AUD, key_file=jwks)
    token = _token(first)
    assert (await validator.validate(token)).sub == "u-1"
    assert (await validator.validate(token)).sub == "u-1"
    jwks.write_text(json.dumps(second.jwks))
    st = jwks.stat()
    os.utime(jwks, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    with pytest.raises(ProblemError) as err:
        await validator.validate(token)
    assert err.value.status == 401


async def test_from_settings_uses_dev_jwks(tmp_path: Path) -> None:
    keys = ensure_dev_keys(tmp_path / "dev-keys")
    validator = TokenValidator.from_settings(ServiceSettings(data_dir=tmp_path))
    principal = await validator.validate(_token(keys, roles=["cvp"], defensieonderdeel="BS"))
    assert principal.roles == frozenset({"cvp"})
    assert principal.defensieonderdeel == "BS"
    assert principal.claims["iss"] == ISS


def test_principal_and_scope() -> None:
    everywhere = Principal(sub="a", roles=frozenset({"cvp"}), defensieonderdeel=None, jti="j")
    clsk = Principal(sub="b", roles=frozenset({"cvp"}), defensieonderdeel="CLSK", jti="k")
    assert everywhere.has_any("beheerder", Rol.cvp)
    assert not everywhere.has_any("beheerder")
    assert scope_onderdeel(everywhere, "BS")
    assert scope_onderdeel(clsk, "CLSK")
    assert not scope_onderdeel(clsk, "BS")
    assert {r.value for r in Rol} == {
        "medewerker", "leidinggevende", "coid_adviseur", "coid_onderzoeker", "coid_coordinator",
        "vertrouwenspersoon", "cvp", "klachtbehandelaar", "cog_secretaris",
        "rapportage_lezer", "kmar_bps", "ecld", "beheerder",
    }  # fmt: skip


# --- JWKS over HTTP --------------------------------------------------------------------------


@pytest.fixture
def jwks_server(keys: DevKeys) -> Iterator[tuple[str, list[int]]]:
    hits: list[int] = []
    body = json.dumps(keys.jwks).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(1)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


async def test_jwks_over_http(jwks_server: tuple[str, list[int]], keys: DevKeys) -> None:
    url, hits = jwks_server
    validator = TokenValidator(issuer=ISS, audience=AUD, jwks_url=url)
    transport = httpx.ASGITransport(app=_app(validator))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for _ in range(3):
            r = await client.get("/geheim", headers=_bearer(_token(keys)))
            assert r.status_code == 200, r.text
        assert len(hits) == 1  # cached
        r = await client.get("/geheim", headers=_bearer(_token(keys, kid="onbekend")))
        assert r.status_code == 401


async def test_jwks_url_unreachable() -> None:
    validator = TokenValidator(
        issuer=ISS, audience=AUD, jwks_url="http://127.0.0.1:9/jwks.json", jwks_timeout_s=1
    )
    token = _unsigned({"alg": "RS256", "kid": "k"}, _claims(), b"x")
    with pytest.raises(ProblemError) as err:
        await validator.validate(token)
    assert err.value.status == 401


# --- dev keys and the CLI --------------------------------------------------------------------


def test_ensure_dev_keys(tmp_path: Path) -> None:
    directory = tmp_path / "dev-keys"
    keys = ensure_dev_keys(directory)
    assert stat.S_IMODE((directory / "private.pem").stat().st_mode) == 0o600
    (jwk,) = json.loads((directory / "jwks.json").read_text())["keys"]
    assert jwk["kid"] == keys.kid == jwk_thumbprint(jwk)
    assert (jwk["kty"], jwk["alg"], jwk["use"]) == ("RSA", "RS256", "sig")
    assert "d" not in jwk
    assert keys.private_key.key_size == 2048
    again = ensure_dev_keys(directory)
    assert again.kid == keys.kid
    assert again.jwks == keys.jwks
    assert sorted(p.name for p in directory.iterdir()) == ["jwks.json", "private.pem"]


def test_thumbprint_rfc7638_example() -> None:
    jwk = {
        "kty": "RSA",
        "n": (
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc"
            "_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YG"
            "jQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdk"
            "t-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnq"
            "DKgw"
        ),
        "e": "AQAB",
        "alg": "RS256",
        "kid": "2011-04-29",
    }
    assert jwk_thumbprint(jwk) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


async def test_token_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTEGRITEIT_DATA_DIR", str(tmp_path))
    argv = ["--rol", "coid_adviseur", "--rol", "beheerder", "--onderdeel", "KMAR", "--sub", "x-9"]
    assert token_main(argv) == 0
    out = capsys.readouterr().out
    token = out.strip()
    assert out == token + "\n"
    jwks = tmp_path / "dev-keys" / "jwks.json"
    assert jwks.exists()
    principal = await TokenValidator(issuer=ISS, audience=AUD, key_file=jwks).validate(token)
    assert principal.sub == "x-9"
    assert principal.roles == frozenset({"coid_adviseur", "beheerder"})
    assert principal.defensieonderdeel == "KMAR"
    assert jwt.get_unverified_header(token)["alg"] == "RS256"

    # Second call reuses the key; --data-dir wins over the environment.
    assert token_main(["--rol", "cvp", "--data-dir", str(tmp_path), "--ttl", "60"]) == 0
    second = capsys.readouterr().out.strip()
    assert jwt.get_unverified_header(second)["kid"] == jwt.get_unverified_header(token)["kid"]
    claims = jwt.decode(second, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 60
    assert claims["sub"] == "dev-cvp"


def test_token_cli_rejects_unknown_role(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert token_main(["--rol", "koning", "--data-dir", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "koning" in captured.err
    assert token_main(["--data-dir", str(tmp_path)]) == 2
    assert not (tmp_path / "dev-keys").exists()
