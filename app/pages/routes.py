"""Static information pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import SettingsDep
from app.templating import render

router = APIRouter()


@router.get("/privacy", response_class=HTMLResponse, openapi_extra={"x-roles": "public"})
def show_privacy(request: Request, settings: SettingsDep) -> Response:
    return render(request, "pages/privacy.html", {"months": settings.retention_months})
