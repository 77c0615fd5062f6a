"""Bearer-token access to the JSON API: authentication, rate limit per token, scopes."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.api_tokens.services import token_for_secret
from app.db import SessionDep
from app.errors import AppError, Forbidden, NotAuthenticated, TooManyRequests
from app.models import ApiToken

URL_TOKEN_PARAMETERS = ("token", "access_token", "api_key", "apikey")
bearer = HTTPBearer(
    auto_error=False,
    description="An API token created by an admin under API tokens, sent as "
    "`Authorization: Bearer om_...`.",
)
_INVALID = 'Bearer error="invalid_token"'


class RateLimiter:
    """A fixed one-minute window per token, kept in the memory of this process."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._windows: dict[int, tuple[int, int]] = {}  # token id -> (window, count)
        self._lock = threading.Lock()

    def hit(self, key: int, now: float | None = None) -> int:
        """Count a request; returns 0 when allowed, else the seconds until the next window."""
        now = time.time() if now is None else now
        window = int(now // 60)
        with self._lock:
            current, count = self._windows.get(key, (window, 0))
            if current != window:
                count = 0
                if len(self._windows) > 10_000:  # forget stale windows of old tokens
                    self._windows.clear()
            count += 1
            self._windows[key] = (window, count)
        if count <= self.per_minute:
            return 0
        return max(1, math.ceil((window + 1) * 60 - now))


def _limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter | None = getattr(request.app.state, "api_rate_limiter", None)
    if limiter is None:
        limiter = RateLimiter(request.app.state.settings.api_rate_limit_per_minute)
        request.app.state.api_rate_limiter = limiter
    return limiter


def api_token(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> ApiToken:
    """The caller's token; 400 for a token in the URL, 401 for a missing or bad one, 429."""
    if any(name in request.query_params for name in URL_TOKEN_PARAMETERS):
        raise AppError(
            "Send the API token in the Authorization header, never in the URL. A token that "
            "was sent in a URL may have been logged: revoke it and create a new one."
        )
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated(
            "Send an API token as 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    token = token_for_secret(session=session, secret=credentials.credentials)
    if token is None:
        raise NotAuthenticated(
            "The API token is unknown, revoked or expired.", headers={"WWW-Authenticate": _INVALID}
        )
    assert token.id is not None
    retry_after = _limiter(request).hit(token.id)
    if retry_after:
        raise TooManyRequests(
            "This token made too many requests; wait and try again.",
            headers={"Retry-After": str(retry_after)},
        )
    return token


def require_scope(scope: str) -> Callable[[ApiToken], ApiToken]:
    """A dependency that admits only tokens with ``scope``."""

    def dependency(token: Annotated[ApiToken, Depends(api_token)]) -> ApiToken:
        if scope not in token.scopes:
            raise Forbidden(f"This token lacks the scope {scope}.")
        return token

    dependency.scope = scope  # type: ignore[attr-defined]  # read by the tests
    return dependency


TeamsReader = Annotated[ApiToken, Depends(require_scope("teams:read"))]
OpdrachtenReader = Annotated[ApiToken, Depends(require_scope("opdrachten:read"))]
