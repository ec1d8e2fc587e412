"""Authentication and authorisation as a caller of a real service sees them."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from integriteit_shared.auth.tokens import mint_token
from integriteit_shared.settings import DEFAULT_AUDIENCE, DEV_ISSUER

IDENTITEIT = "/api/meldpunt/v1/identiteit"


@pytest.fixture
async def meldpunt(service_factory):
    return await service_factory("meldpunt")


def _b64(obj: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


async def test_valid_token_is_accepted(meldpunt, tokens):
    r = await meldpunt.client.get(
        IDENTITEIT, headers=tokens.headers("coid_adviseur", onderdeel="CLSK", sub="a-17")
    )
    assert r.status_code == 200
    assert r.json() == {"sub": "a-17", "roles": ["coid_adviseur"], "defensieonderdeel": "CLSK"}


async def test_no_token_is_401_problem(meldpunt):
    r = await meldpunt.client.get(IDENTITEIT)
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["www-authenticate"].startswith("Bearer")


async def test_bad_signature_is_401(meldpunt, dev_keys):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = mint_token(
        private_key=other,
        kid=dev_keys.kid,
        sub="x",
        roles=["beheerder"],
        issuer=DEV_ISSUER,
        audience=DEFAULT_AUDIENCE,
    )
    r = await meldpunt.client.get(IDENTITEIT, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


async def test_expired_token_is_401(meldpunt, dev_keys):
    now = int(time.time())
    claims = {
        "iss": DEV_ISSUER,
        "aud": DEFAULT_AUDIENCE,
        "sub": "x",
        "jti": "j",
        "iat": now - 3600,
        "exp": now - 600,
        "roles": ["beheerder"],
    }
    token = jwt.encode(
        claims, dev_keys.private_key, algorithm="RS256", headers={"kid": dev_keys.kid}
    )
    r = await meldpunt.client.get(IDENTITEIT, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert "verlopen" in r.json()["detail"].lower()


async def test_wrong_audience_is_401(meldpunt, dev_keys):
    token = mint_token(
        private_key=dev_keys.private_key,
        kid=dev_keys.kid,
        sub="x",
        roles=["beheerder"],
        issuer=DEV_ISSUER,
        audience="een-ander-systeem",
    )
    r = await meldpunt.client.get(IDENTITEIT, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


async def test_alg_none_is_401(meldpunt, dev_keys):
    now = int(time.time())
    claims = {
        "iss": DEV_ISSUER,
        "aud": DEFAULT_AUDIENCE,
        "sub": "x",
        "jti": "j",
        "exp": now + 600,
        "roles": ["beheerder"],
    }
    token = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': dev_keys.kid})}.{_b64(claims)}."
    r = await meldpunt.client.get(IDENTITEIT, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


async def test_hs256_with_public_key_is_401(meldpunt, dev_keys):
    now = int(time.time())
    claims = {
        "iss": DEV_ISSUER,
        "aud": DEFAULT_AUDIENCE,
        "sub": "x",
        "jti": "j",
        "exp": now + 600,
        "roles": ["beheerder"],
    }
    secret = dev_keys.jwks["keys"][0]["n"].encode()  # public material as an HMAC secret
    token = jwt.encode(claims, secret, algorithm="HS256", headers={"kid": dev_keys.kid})
    r = await meldpunt.client.get(IDENTITEIT, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


async def test_token_in_query_string_is_refused(meldpunt, tokens):
    r = await meldpunt.client.get(IDENTITEIT, params={"access_token": tokens("beheerder")})
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"


async def test_missing_role_is_403(service_factory, tokens):
    rapportage = await service_factory("rapportage")
    r = await rapportage.client.get(
        "/api/rapportage/v1/afstemming", headers=tokens.headers("medewerker")
    )
    assert r.status_code == 403
    assert r.json()["status"] == 403
    ok = await rapportage.client.get(
        "/api/rapportage/v1/afstemming", headers=tokens.headers("beheerder")
    )
    assert ok.status_code == 200
    assert ok.json() == {"totaal": 0, "perBronEnType": [], "historischeImports": []}
