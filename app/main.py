"""Application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from app import errors
from app.api import openapi as api_openapi
from app.api.outcomes import router as api_outcomes_router
from app.api.reference import router as api_reference_router
from app.api.routes import router as api_router
from app.api_tokens.routes import router as api_tokens_router
from app.auth.deps import load_user, verify_csrf
from app.auth.oidc_routes import router as oidc_router
from app.auth.reset_routes import router as reset_router
from app.auth.routes import router as auth_router
from app.catalogue.routes import router as catalogue_router
from app.concurrency import AdmissionLimit
from app.config import ROOT, Settings, get_settings
from app.dashboard.routes import router as dashboard_router
from app.db import make_engine
from app.deliverable_kinds.routes import router as deliverable_kinds_router
from app.groups.routes import router as groups_router
from app.leerkringen.routes import router as leerkringen_router
from app.match_settings.routes import router as match_settings_router
from app.middleware import ErrorMiddleware, RequestGuardMiddleware, SecurityMiddleware
from app.notifications.routes import router as notifications_router
from app.notifications.worker import delivery
from app.opdrachten.routes import router as opdrachten_router
from app.outcomes.routes import router as outcomes_router
from app.pages.routes import router as pages_router
from app.review.routes import router as review_router
from app.runs.board_routes import router as runs_board_router
from app.runs.routes import router as runs_router
from app.runs.routes import teams_router as runs_teams_router
from app.runs.services import recover_interrupted_runs
from app.semester_admin.routes import router as semester_admin_router
from app.student_import.routes import router as student_import_router
from app.students.routes import router as students_router
from app.students.staff_routes import router as students_staff_router
from app.users.routes import router as users_router

# FastAPI tries routes in order, one by one (some 70 here): the busiest come first, the
# students' pages (the deadline rush), the catalogue and the timetabling API. Safe while no
# path belongs to two routers (tests/test_app.py checks).
ROUTERS = (
    students_router,
    catalogue_router,
    api_router,
    api_outcomes_router,
    api_reference_router,
    auth_router,
    dashboard_router,
    users_router,
    leerkringen_router,
    deliverable_kinds_router,
    pages_router,
    semester_admin_router,
    opdrachten_router,
    review_router,
    runs_board_router,
    runs_router,
    runs_teams_router,
    students_staff_router,
    groups_router,
    student_import_router,
    api_tokens_router,
    reset_router,
    notifications_router,
    outcomes_router,
    oidc_router,
    match_settings_router,
)
root_router = APIRouter(include_in_schema=False)


@root_router.get("/", openapi_extra={"x-roles": "public"})
def home(request: Request) -> Response:
    user = getattr(request.state, "user", None)
    return RedirectResponse("/dashboard" if user else "/login", status_code=303)


@root_router.get("/favicon.ico", openapi_extra={"x-roles": "public"})
def favicon() -> Response:
    return RedirectResponse("/static/favicon.svg", status_code=301)


@root_router.get("/healthz", openapi_extra={"x-roles": "public"})
def healthz() -> dict[str, str]:
    return {"status": "ok"}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the engine is made here (not at import) so tests can pass their own."""
    settings = settings or get_settings()
    app = FastAPI(
        title="opdrachtmatch",
        version="1",
        lifespan=_lifespan(settings),
        dependencies=[Depends(load_user), Depends(verify_csrf)],
        # Swagger UI would load scripts from a CDN, which the CSP (rightly) blocks.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings)
    errors.install(app)
    _add_middleware(app, settings)
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    for router in ROUTERS:
        app.include_router(router)
    api_openapi.install(app)
    app.include_router(root_router)
    return app


def _lifespan(settings: Settings) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Runs left queued or running by a process that died (a crash, a kill) end as failed.
        if settings.recover_runs_at_startup:
            recover_interrupted_runs(app.state.engine)
        async with delivery(app.state.engine, settings):
            yield
        app.state.engine.dispose()

    return lifespan


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    """The last added runs outermost."""
    # Added first, so it runs inside SecurityMiddleware and its refusals get the headers too.
    app.add_middleware(
        RequestGuardMiddleware,
        max_bytes=settings.max_body_bytes,
        upload_bytes=settings.upload_max_bytes,
        upload_prefix="/outcomes/",
    )
    app.add_middleware(ErrorMiddleware)  # inside SecurityMiddleware: errors get the headers
    app.add_middleware(SecurityMiddleware, https=settings.https, secret_key=settings.secret_key)
    app.add_middleware(AdmissionLimit)  # outermost: waits before any work is done
