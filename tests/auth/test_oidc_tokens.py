"""The checks on the ID token, with tokens the real test provider issued."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from authlib.integrations.httpx_client import OAuth2Client  # type: ignore[import-untyped]
from joserfc.jwk import KeySet, RSAKey

from app.auth.oidc import KEY_REFRESH_SECONDS, Provider, SignInRefused, _Cached
from app.config import Settings
from tests.auth.conftest import CLIENT_ID, RunningProvider, oidc_settings

pytestmark = [
    pytest.mark.nodb,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib.oidc.core.grants._legacy"),
]
NONCE = "nonce-for-this-test"


def _id_token(base_url: str, sub: str, *, client_id: str = CLIENT_ID) -> str:
    """Go through the provider as a client would and return the ID token it issues."""
    client = OAuth2Client(
        client_id=client_id,
        client_secret="any",
        scope="openid",
        redirect_uri="http://testserver/oidc/callback",
        code_challenge_method="S256",
    )
    verifier = "v" * 64
    url, _state = client.create_authorization_url(
        f"{base_url}/oauth2/authorize", code_verifier=verifier, nonce=NONCE
    )
    answer = httpx.post(url, data={"sub": sub})
    code = parse_qs(urlparse(answer.headers["location"]).query)["code"][0]
    token = client.fetch_token(
        f"{base_url}/oauth2/token",
        grant_type="authorization_code",
        code=code,
        code_verifier=verifier,
    )
    id_token = token["id_token"]
    assert isinstance(id_token, str)
    return id_token


@pytest.fixture
def relying_party(settings: Settings, provider: RunningProvider) -> Provider:
    return Provider(oidc_settings(settings, provider.issuer))


def test_a_good_token_gives_its_claims(relying_party: Provider, provider: RunningProvider):
    sub = provider.add_user(email="a@han.nl")
    claims = relying_party.verify_id_token(_id_token(provider.issuer, sub), nonce=NONCE)
    assert (claims["sub"], claims["iss"]) == (sub, provider.issuer)


def test_token_for_another_audience_is_refused(relying_party: Provider, provider):
    token = _id_token(provider.issuer, provider.add_user(), client_id="another-app")
    with pytest.raises(SignInRefused, match="'aud'"):
        relying_party.verify_id_token(token, nonce=NONCE)


def test_token_from_another_issuer_is_refused(relying_party: Provider, provider):
    # The provider names itself after the host it was asked by: "localhost" is not the
    # issuer this app was configured with.
    other_issuer = provider.issuer.replace("127.0.0.1", "localhost")
    token = _id_token(other_issuer, provider.add_user())
    with pytest.raises(SignInRefused, match="'iss'"):
        relying_party.verify_id_token(token, nonce=NONCE)


def test_token_with_another_nonce_is_refused(relying_party: Provider, provider):
    token = _id_token(provider.issuer, provider.add_user())
    with pytest.raises(SignInRefused, match="'nonce'"):
        relying_party.verify_id_token(token, nonce="another-nonce")


def test_tampered_signature_is_refused(relying_party: Provider, provider):
    header, payload, signature = _id_token(provider.issuer, provider.add_user()).split(".")
    flipped = ("A" if signature[10] != "A" else "B").join((signature[:10], signature[11:]))
    with pytest.raises(SignInRefused, match="signature"):
        relying_party.verify_id_token(f"{header}.{payload}.{flipped}", nonce=NONCE)


def test_unsigned_token_is_refused(relying_party: Provider, provider):
    _header, payload, _signature = _id_token(provider.issuer, provider.add_user()).split(".")
    none_header = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}
    with pytest.raises(SignInRefused):
        relying_party.verify_id_token(f"{none_header}.{payload}.", nonce=NONCE)


def _foreign_keys_cached(relying_party: Provider, age_seconds: float) -> None:
    """Stand in for keys the provider has since rotated away: a cached set without the
    provider's current key, fetched ``age_seconds`` ago."""
    old = KeySet([RSAKey.generate_key(2048, parameters={"kid": "rotated-away"})])
    relying_party._keys = _Cached(old.as_dict(), time.monotonic() - age_seconds)


def test_an_unknown_key_id_refreshes_the_keys_once(relying_party: Provider, provider):
    token = _id_token(provider.issuer, provider.add_user())
    _foreign_keys_cached(relying_party, age_seconds=KEY_REFRESH_SECONDS + 1)
    before = provider.requests["/jwks"]
    assert relying_party.verify_id_token(token, nonce=NONCE)["sub"]
    assert provider.requests["/jwks"] == before + 1


def test_keys_are_not_refetched_for_every_unknown_key_id(relying_party: Provider, provider):
    token = _id_token(provider.issuer, provider.add_user())
    _foreign_keys_cached(relying_party, age_seconds=1)
    before = provider.requests["/jwks"]
    with pytest.raises(SignInRefused, match="signature"):
        relying_party.verify_id_token(token, nonce=NONCE)
    assert provider.requests["/jwks"] == before
