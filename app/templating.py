"""Jinja2 with template fragments: one template per page, htmx swaps render one block.

A block is named after the DOM id it replaces; an htmx request whose ``HX-Target`` names a
block of the page gets only that block.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2_fragments.fastapi import Jinja2Blocks

from app import i18n
from app.config import ROOT

TZ = ZoneInfo("Europe/Amsterdam")
env = Environment(
    loader=FileSystemLoader(ROOT / "templates"),
    autoescape=select_autoescape(default=True),
    extensions=["jinja2.ext.i18n"],
)
templates = Jinja2Blocks(env=env)
env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]


def local_time(value: datetime | None, fmt: str = "%d-%m-%Y %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(TZ).strftime(fmt)


def localized_name(obj: Any) -> str:
    """Pick ``name_nl`` or ``name_en`` of a vocabulary row for the current language."""
    return str(getattr(obj, f"name_{i18n.get_language()}", None) or obj.name_nl)


def signed_points(value: float) -> str:
    """A difference in whole points with its sign; one that rounds to nothing is "0", not "-0"."""
    points = round(value)
    return f"{points:+d}" if points else "0"


def decimal(value: float, places: int = 1) -> str:
    """A number with ``places`` decimals as the page's language writes it ("1,5" in Dutch)."""
    return format_decimal(value, format="#,##0." + "0" * places, locale=i18n.get_language())


env.filters["local_time"] = local_time
env.filters["decimal"] = decimal
env.filters["signed_points"] = signed_points
env.filters["lname"] = localized_name


def _context(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    base = {
        "request": request,
        "user": getattr(request.state, "user", None),
        "lang": i18n.get_language(),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "flashes": getattr(request.state, "flashes", []),
        "request_id": getattr(request.state, "request_id", ""),
    }
    base.update(context)
    return base


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    """Render a page, or only the block named by ``HX-Target`` for htmx requests."""
    i18n.use_request_language(request)
    ctx = _context(request, context or {})
    target = request.headers.get("HX-Target", "").replace("-", "_")
    is_htmx = request.headers.get("HX-Request") == "true"
    block = target if is_htmx and target in env.get_template(template).blocks else None
    response: Response
    if block:
        response = templates.TemplateResponse(request, template, ctx, block_name=block)
    else:
        response = templates.TemplateResponse(request, template, ctx)
    response.status_code = status
    response.headers["Vary"] = "HX-Request"
    assert isinstance(response, HTMLResponse)
    return response
