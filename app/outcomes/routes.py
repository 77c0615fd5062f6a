"""Outcome pages: the list of teams, a team's outcome with its forms, and the file download."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, Response

from app.auth.deps import CurrentUser, PartnerUser, SettingsDep, StaffUser, require_role
from app.db import SessionDep
from app.errors import InvalidInput, NotFound
from app.forms import FieldError, FormData, see_other
from app.i18n import lazy
from app.models import Role, User
from app.outcomes import exports, impact, listing, overview, services, showcase
from app.outcomes.forms import DeliverableForm, EvaluationForm
from app.parsing import parse_id
from app.templating import render

router = APIRouter(prefix="/outcomes")
TeamSide = Annotated[User, Depends(require_role(Role.STUDENT, Role.WIJKDOCENT))]
Sharer = Annotated[User, Depends(require_role(Role.STUDENT, Role.WIJKDOCENT, Role.PARTNER))]
TEMPLATE = "outcomes/team.html"


def _team_url(team_id: int) -> str:
    return f"/outcomes/teams/{team_id}"


@router.get("", response_class=HTMLResponse)
def list_outcomes(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    semesters = listing.my_teams(session=session, user=user)
    return render(request, "outcomes/list.html", {"semesters": semesters})


def _page(
    request: Request,
    session: SessionDep,
    user: User,
    published_team_id: int,
    *,
    status: int = 200,
    **extra: Any,
) -> Response:
    page = services.team_page(session=session, user=user, team_id=published_team_id)
    ctx: dict[str, Any] = {
        "page": page,
        "deliverable": DeliverableForm(),
        "evaluation": _evaluation_form(page),
    }
    return render(request, TEMPLATE, ctx | extra, status=status)


def _evaluation_form(page: services.TeamPage) -> EvaluationForm:
    o = page.outcome
    if o is None:
        return EvaluationForm(version="1")
    return EvaluationForm(
        usefulness=str(o.usefulness or ""),
        plan=str(o.partner_plan or ""),
        follow_up=o.follow_up,
        comment=o.partner_comment,
        version=str(o.version),
    )


@router.get("/teams/{published_team_id}", response_class=HTMLResponse)
def show_team(
    request: Request, session: SessionDep, user: CurrentUser, published_team_id: int
) -> Response:
    return _page(request, session, user, published_team_id)


@router.post("/teams/{published_team_id}/deliverables", response_class=HTMLResponse)
def add_deliverable(
    request: Request,
    session: SessionDep,
    user: TeamSide,
    settings: SettingsDep,
    published_team_id: int,
    data: FormData,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    form = DeliverableForm.parse(data)
    has_file = file is not None and bool(file.filename)
    try:
        services.add_deliverable(
            session=session,
            user=user,
            team_id=published_team_id,
            form=form,
            file=file.file if file is not None and has_file else None,
            file_name=(file.filename or "") if file is not None else "",
            folder=settings.upload_dir,
            max_bytes=settings.upload_max_bytes,
        )
    except InvalidInput:
        return _page(request, session, user, published_team_id, status=422, deliverable=form)
    return see_other(_team_url(published_team_id), lazy("The deliverable is saved."))


@router.post("/deliverables/{deliverable_id}/delete")
def delete_deliverable(
    session: SessionDep, user: TeamSide, settings: SettingsDep, deliverable_id: int
) -> Response:
    team_id = services.delete_deliverable(
        session=session, user=user, deliverable_id=deliverable_id, folder=settings.upload_dir
    )
    return see_other(_team_url(team_id), lazy("The deliverable is removed."))


@router.post("/deliverables/{deliverable_id}/share")
def share_deliverable(
    *, session: SessionDep, user: Sharer, deliverable_id: int, data: FormData
) -> Response:
    public = data.flag("public")
    team_id = services.set_sharing(
        session=session, user=user, deliverable_id=deliverable_id, public=public
    )
    if public:
        return see_other(_team_url(team_id), lazy("Shared on the showcase."))
    return see_other(_team_url(team_id), lazy("No longer shared on the showcase."))


@router.get("/deliverables/{deliverable_id}/file")
def download_deliverable(
    *, session: SessionDep, user: CurrentUser, settings: SettingsDep, deliverable_id: int
) -> Response:
    path, name = services.download(
        session=session, user=user, deliverable_id=deliverable_id, folder=settings.upload_dir
    )
    return FileResponse(path, media_type="application/pdf", filename=name)


@router.post("/teams/{published_team_id}/effects", response_class=HTMLResponse)
def save_effects(
    session: SessionDep, user: TeamSide, published_team_id: int, data: FormData
) -> Response:
    services.save_effects(
        session=session,
        user=user,
        team_id=published_team_id,
        effect_ids=data.ids("effect_ids"),
        version=data.text("version", 12),
    )
    return see_other(_team_url(published_team_id), lazy("The learning effects are saved."))


@router.post("/teams/{published_team_id}/evaluation", response_class=HTMLResponse)
def evaluate(
    request: Request, session: SessionDep, user: PartnerUser, published_team_id: int, data: FormData
) -> Response:
    form = EvaluationForm.parse(data)
    try:
        draft = services.evaluate(session=session, user=user, team_id=published_team_id, form=form)
    except InvalidInput:
        return _page(request, session, user, published_team_id, status=422, evaluation=form)
    if draft is not None:
        return see_other(
            _team_url(published_team_id),
            lazy("Thank you for your evaluation. A draft follow-up opdracht is ready."),
        )
    return see_other(_team_url(published_team_id), lazy("Thank you for your evaluation."))


@router.post("/teams/{published_team_id}/confirm", response_class=HTMLResponse)
def confirm(
    request: Request, session: SessionDep, user: StaffUser, published_team_id: int, data: FormData
) -> Response:
    note = data.text("note", 2000)
    try:
        services.confirm(
            session=session,
            user=user,
            team_id=published_team_id,
            note=note,
            version=data.text("version"),
        )
    except InvalidInput as exc:
        errors = {"note": FieldError(exc.message)}
        return _page(
            request, session, user, published_team_id, status=422, note_errors=errors, note=note
        )
    return see_other(_team_url(published_team_id), lazy("The outcome is confirmed."))


def _filters(request: Request) -> overview.Filters:
    q = request.query_params
    return overview.Filters(
        leerkring_id=parse_id(q.get("leerkring", "")),
        theme_id=parse_id(q.get("theme", "")),
        target_group_id=parse_id(q.get("target_group", "")),
    )


@router.get("/overview", response_class=HTMLResponse)
def impact_overview(request: Request, session: SessionDep, user: StaffUser) -> Response:
    """Filters as a plain GET form; htmx swaps only the results."""
    view = overview.overview(session=session, filters=_filters(request))
    ctx = {"view": view, "charts": impact.charts(view), **overview.choices(session=session)}
    ctx["query"] = request.url.query
    return render(request, "outcomes/overview.html", ctx)


@router.get("/overview.{fmt}")
def export_overview(request: Request, session: SessionDep, user: StaffUser, fmt: str) -> Response:
    view = overview.overview(session=session, filters=_filters(request))
    if fmt == "csv":
        body, media = exports.to_csv(view), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = exports.to_xlsx(view)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise NotFound()
    disposition = f'attachment; filename="impact.{fmt}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


@router.get("/showcase", response_class=HTMLResponse, openapi_extra={"x-roles": "public"})
def public_showcase(request: Request, session: SessionDep) -> Response:
    """Results by theme: only deliverables the team and the partner both chose to share."""
    theme_id = parse_id(request.query_params.get("theme", ""))
    ctx = {
        "groups": showcase.showcase(session=session, theme_id=theme_id),
        "themes": showcase.themes_shown(session=session),
        "theme_id": theme_id,
    }
    return render(request, "outcomes/showcase.html", ctx)


@router.get("/showcase/{deliverable_id}/file", openapi_extra={"x-roles": "public"})
def public_file(session: SessionDep, settings: SettingsDep, deliverable_id: int) -> Response:
    path, name = showcase.public_file(
        session=session, deliverable_id=deliverable_id, folder=settings.upload_dir
    )
    return FileResponse(path, media_type="application/pdf", filename=name)
