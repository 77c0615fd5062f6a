"""The names of the cookies the app sets, in one place below both the middleware and
``app.auth`` (which read and write them)."""

from __future__ import annotations

SESSION_COOKIE = "om_session"
LANG_COOKIE = "om_lang"
FLASH_COOKIE = "om_flash"
CSRF_COOKIE = "om_csrf"
SECURE_CSRF_COOKIE = "__Host-om_csrf"  # over https: this host only, Secure, path /
