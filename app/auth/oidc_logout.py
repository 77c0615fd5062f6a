"""Logout after an institution sign-in: the provider's session ends too, when it offers
RP-initiated logout. A cookie marks the sessions that began at the provider; it grants
nothing, at worst it sends a logout through the provider's page."""

from __future__ import annotations

from fastapi import Request

from app.auth.oidc import provider_for
from app.config import Settings

OIDC_MARK_COOKIE = "om_oidc"


def provider_logout_url(request: Request, settings: Settings) -> str | None:
    if not settings.oidc_enabled or not request.cookies.get(OIDC_MARK_COOKIE):
        return None
    return provider_for(settings).logout_url(settings.base_url.rstrip("/") + "/login")
