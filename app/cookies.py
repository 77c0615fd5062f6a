"""The names of the cookies the app sets, in one place below both the middleware and
``app.auth`` (which read and write them)."""

from __future__ import annotations

from app import csrf

SESSION_COOKIE = "om_session"
LANG_COOKIE = "om_lang"
FLASH_COOKIE = "om_flash"
CSRF_COOKIE = csrf.COOKIE  # over https: csrf.SECURE_COOKIE
