"""The OpenID Connect relying party: discovery, keys, the authorization request with PKCE,
the code exchange and the checks on the ID token.

Authlib's httpx client builds the authorization URL (with the S256 code challenge) and
redeems the code; joserfc verifies the ID token against the provider's published keys. The
discovery document and the key set are read once and kept for an hour; a key id that is not
in the cached set makes one early refresh (the provider rotated its keys).

Nothing here touches the database: ``app.auth.oidc_login`` stores the request in flight and
links the account.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

# Authlib's httpx client is built on httpx2 (a runtime dependency, so production and the tests
# use the same client); its transport errors are httpx2's.
import httpx2 as _http
from authlib.common.security import generate_token  # type: ignore[import-untyped]
from authlib.integrations.base_client.errors import OAuthError  # type: ignore[import-untyped]
from authlib.integrations.httpx_client import OAuth2Client  # type: ignore[import-untyped]
from joserfc import jwt
from joserfc.errors import BadSignatureError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from app.config import Settings

CACHE_SECONDS = 3600
KEY_REFRESH_SECONDS = 60
CLOCK_LEEWAY_SECONDS = 60
# Asymmetric algorithms only: "none" and HMAC with the client secret are refused.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
CALLBACK_PATH = "/oidc/callback"


class ProviderUnavailable(Exception):
    """The provider did not answer, or answered with something that is not OIDC."""


class SignInRefused(Exception):
    """The provider's answer failed a check; ``reason`` names which (for the log and tests)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class AuthorizationRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass
class _Cached:
    value: dict[str, Any] = field(default_factory=dict)
    fetched_at: float = 0.0

    def fresh(self, now: float, max_age: float = CACHE_SECONDS) -> bool:
        return bool(self.value) and now - self.fetched_at < max_age


class Provider:
    """One configured provider; its discovery document and keys are cached across requests."""

    def __init__(self, settings: Settings) -> None:
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.client_id = settings.oidc_client_id
        self.client_secret = settings.oidc_client_secret
        self.scopes = settings.oidc_scopes
        self.redirect_uri = settings.base_url.rstrip("/") + CALLBACK_PATH
        self.timeout = settings.oidc_timeout_seconds
        self._lock = threading.Lock()
        self._metadata = _Cached()
        self._keys = _Cached()

    def _client(self) -> Any:
        return OAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            scope=self.scopes,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            timeout=self.timeout,
        )

    def _get_json(self, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            with self._client() as client:
                # The client's own token is never attached: the userinfo call passes it.
                response = client.request("GET", url, withhold_token=True, **kwargs)
                response.raise_for_status()
                body = response.json()
        except (_http.HTTPError, OAuthError, ValueError) as exc:
            raise ProviderUnavailable(f"{url}: {exc}") from exc
        if not isinstance(body, dict):
            raise ProviderUnavailable(f"{url}: not a JSON object")
        return body

    def metadata(self) -> dict[str, Any]:
        """The discovery document, read at most once an hour; its issuer must be ours."""
        with self._lock:
            if self._metadata.fresh(time.monotonic()):
                return self._metadata.value
        doc = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
        required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if any(not isinstance(doc.get(k), str) for k in required):
            raise ProviderUnavailable("the discovery document lacks an endpoint")
        if doc["issuer"].rstrip("/") != self.issuer:
            raise ProviderUnavailable(f"the discovery document names issuer {doc['issuer']}")
        with self._lock:
            self._metadata = _Cached(doc, time.monotonic())
        return doc

    def _key_set(self, *, refresh: bool = False) -> KeySet:
        now = time.monotonic()
        with self._lock:
            cached = self._keys
        stale = not cached.fresh(now) or (refresh and not cached.fresh(now, KEY_REFRESH_SECONDS))
        if stale:
            cached = _Cached(self._get_json(self.metadata()["jwks_uri"]), now)
            with self._lock:
                self._keys = cached
        try:
            return KeySet.import_key_set(cached.value)  # type: ignore[arg-type]
        except (JoseError, ValueError, TypeError) as exc:
            raise ProviderUnavailable(f"the key set cannot be read: {exc}") from exc

    def authorization_request(self) -> AuthorizationRequest:
        """A fresh state, nonce and PKCE verifier, and the URL that carries them."""
        state, nonce, verifier = generate_token(43), generate_token(43), generate_token(64)
        with self._client() as client:
            url, _state = client.create_authorization_url(
                self.metadata()["authorization_endpoint"],
                state=state,
                code_verifier=verifier,
                nonce=nonce,
            )
        return AuthorizationRequest(url, state, nonce, verifier)

    def redeem(self, *, code: str, code_verifier: str, nonce: str) -> dict[str, Any]:
        """Exchange the code, check the ID token and return the user's claims.

        The ID token's claims are merged with the userinfo endpoint's (when the provider has
        one; many, SURFconext among them, release attributes there). The tokens themselves
        are dropped when this returns: nothing keeps them.
        """
        meta = self.metadata()
        try:
            with self._client() as client:
                token = client.fetch_token(
                    meta["token_endpoint"],
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=code_verifier,
                )
        except OAuthError as exc:
            raise SignInRefused(f"token endpoint: {exc}") from exc
        except _http.HTTPError as exc:
            raise ProviderUnavailable(f"token endpoint: {exc}") from exc
        if not isinstance(token.get("id_token"), str):
            raise SignInRefused("no ID token")
        claims = self.verify_id_token(token["id_token"], nonce=nonce)
        if meta.get("userinfo_endpoint") and token.get("access_token"):
            extra = self._get_json(
                meta["userinfo_endpoint"],
                headers={"Authorization": f"Bearer {token['access_token']}"},
            )
            if extra.get("sub") != claims["sub"]:
                raise SignInRefused("userinfo is about another subject")
            claims = {**extra, **claims}
        return claims

    def verify_id_token(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        """Signature, issuer, audience, authorized party, expiry and nonce."""
        allowed = self.metadata().get("id_token_signing_alg_values_supported", [])
        algorithms = [a for a in allowed if a in ALGORITHMS] or ["RS256"]
        try:
            try:
                token = jwt.decode(id_token, self._key_set(), algorithms=algorithms)
            except (InvalidKeyIdError, BadSignatureError):
                # The provider may have rotated its keys (a token without a kid shows that
                # only as a bad signature): read them again, at most once a minute.
                token = jwt.decode(id_token, self._key_set(refresh=True), algorithms=algorithms)
        except JoseError as exc:
            raise SignInRefused(f"ID token signature: {exc}") from exc
        claims: dict[str, Any] = dict(token.claims)
        registry = jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY_SECONDS,
            iss={"essential": True, "value": self.metadata()["issuer"]},
            aud={"essential": True, "value": self.client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            registry.validate(claims)
        except JoseError as exc:
            raise SignInRefused(f"ID token claim: {exc}") from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise SignInRefused("ID token claim: azp")
        return claims

    def logout_url(self, post_logout_redirect_uri: str) -> str | None:
        """The provider's RP-initiated logout, or None when it has none (or cannot be
        reached: the app's own logout must not wait on the provider)."""
        try:
            endpoint = self.metadata().get("end_session_endpoint")
        except ProviderUnavailable:
            return None
        if not isinstance(endpoint, str) or not endpoint:
            return None
        query = urlencode(
            {"client_id": self.client_id, "post_logout_redirect_uri": post_logout_redirect_uri}
        )
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


_providers: dict[tuple[str, ...], Provider] = {}
_providers_lock = threading.Lock()


def provider_for(settings: Settings) -> Provider:
    """The process-wide provider for these settings, so its caches outlive a request."""
    key = (
        settings.oidc_issuer,
        settings.oidc_client_id,
        settings.oidc_client_secret,
        settings.oidc_scopes,
        settings.base_url,
    )
    with _providers_lock:
        if key not in _providers:
            _providers[key] = Provider(settings)
        return _providers[key]
