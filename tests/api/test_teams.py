"""Published teams: content, only published data, ETag/304, incremental sync, paging."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Member, Phase, TeamStatus, utcnow
from app.runs.snapshot import sync_publication
from tests import factories as f
from tests.api import builders as b


def _get(client: TestClient, secret: str, path: str, **params: str | int):
    return client.get(path, headers=b.bearer(secret), params=params)


def _teams_url(p: b.Published) -> str:
    return f"/api/v1/semesters/{p.semester.code}/teams"


def test_full_sync_lists_the_published_teams(client: TestClient, session: Session):
    p = b.published_semester(session)
    secret = b.token(session)
    body = _get(client, secret, _teams_url(p)).json()
    assert body["total"] == 3
    assert body["semester"] == p.semester.code
    first = body["items"][0]
    assert first["deleted"] is False
    assert first["opdracht"] == {"id": p.opdrachten[0].id, "title": "Welzijn op Recept"}
    assert [x["owner"] for x in first["partners"]] == [True, False]
    assert first["leerkring"]["name"].startswith("Overbetuwe")
    assert first["supervisor"]["name"].startswith("wijkdocent")
    numbers = sorted(s.student_number for s in p.students[:3])
    assert [m["student_number"] for m in first["members"]] == numbers
    assert first["members"][0]["programme"]["code"] == p.programme.code
    assert first["members"][0]["year"] == 2
    assert "rank" not in str(body)  # rankings are never served
    assert "locked" not in str(body)


def test_unpublished_data_is_invisible(client: TestClient, session: Session):
    p = b.published_semester(session)
    secret = b.token(session)
    # A proposed team in the current run, and a semester whose teams were never published.
    extra = [f.student(session, p.programme) for _ in range(3)]
    b.team(session, p.run, p.opdrachten[1], extra, index=2, status=TeamStatus.PROPOSED)
    hidden = b.published_semester(session, sync=False)
    assert _get(client, secret, _teams_url(p)).json()["total"] == 3
    assert _get(client, secret, _teams_url(hidden)).json() | {"watermark": 0} == {
        "semester": hidden.semester.code,
        "limit": 100,
        "offset": 0,
        "total": 0,
        "watermark": 0,
        "items": [],
    }
    student_url = f"/api/v1/semesters/{p.semester.code}/students/{extra[0].student_number}/team"
    assert _get(client, secret, student_url).status_code == 404
    # Changing the run after publication shows nothing until the next publication.
    b.move(session, p.students[0], p.teams[2])
    moved = f"/api/v1/semesters/{p.semester.code}/students/{p.students[0].student_number}/team"
    assert _get(client, secret, moved).json()["opdracht"]["id"] == p.opdrachten[0].id


def test_one_team_and_the_team_of_a_student(client: TestClient, session: Session):
    p = b.published_semester(session)
    secret = b.token(session)
    listed = _get(client, secret, _teams_url(p)).json()["items"][2]
    one = _get(client, secret, f"/api/v1/teams/{listed['id']}")
    assert one.json() == listed
    number = p.students[7].student_number
    mine = _get(client, secret, f"/api/v1/semesters/{p.semester.code}/students/{number}/team")
    assert mine.json() == listed
    other = b.published_semester(session)
    wrong_semester = f"/api/v1/semesters/{other.semester.code}/students/{number}/team"
    assert _get(client, secret, wrong_semester).status_code == 404
    assert _get(client, secret, "/api/v1/teams/999999").status_code == 404


def test_etag_and_if_none_match_give_304_until_a_republish(client: TestClient, session: Session):
    p = b.published_semester(session)
    secret = b.token(session)
    first = _get(client, secret, _teams_url(p))
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"
    headers = b.bearer(secret) | {"If-None-Match": etag}
    again = client.get(_teams_url(p), headers=headers)
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    weak = client.get(_teams_url(p), headers=b.bearer(secret) | {"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304
    team = client.get(f"/api/v1/teams/{first.json()['items'][0]['id']}", headers=b.bearer(secret))
    team_again = client.get(
        f"/api/v1/teams/{first.json()['items'][0]['id']}",
        headers=b.bearer(secret) | {"If-None-Match": team.headers["etag"]},
    )
    assert team_again.status_code == 304

    b.move(session, p.students[0], p.teams[2])
    sync_publication(session=session, semester=p.semester, now=utcnow() + timedelta(1))
    changed = client.get(_teams_url(p), headers=headers)
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


def test_incremental_sync_sees_additions_changes_and_removals(client: TestClient, session: Session):
    p = b.published_semester(session)
    secret = b.token(session)
    full = _get(client, secret, _teams_url(p)).json()
    watermark = full["watermark"]
    ids = {(t["opdracht"]["id"], t["team_number"]): t["id"] for t in full["items"]}
    assert _get(client, secret, _teams_url(p), updated_since=watermark).json()["items"] == []

    # Reopen: move a student from team 1 to team 2, drop the Kletsbot team, add a new team.
    b.move(session, p.students[0], p.teams[1])
    for m in session.exec(select(Member).where(Member.team_id == p.teams[2].id)):
        session.delete(m)
    session.delete(p.teams[2])
    session.flush()
    b.team(session, p.run, p.opdrachten[1], p.students[6:9], index=2)
    sync_publication(session=session, semester=p.semester, now=utcnow() + timedelta(1))

    delta = _get(client, secret, _teams_url(p), updated_since=watermark).json()
    by_id = {t["id"]: t for t in delta["items"]}
    first, second = ids[(p.opdrachten[0].id, 1)], ids[(p.opdrachten[0].id, 2)]
    removed = ids[(p.opdrachten[1].id, 1)]
    assert set(by_id) == {first, second, removed, max(by_id)}
    assert max(by_id) not in ids.values()  # the new team
    assert p.students[0].student_number not in str(by_id[first]["members"])
    assert p.students[0].student_number in str(by_id[second]["members"])
    assert set(by_id[removed]) == {"id", "deleted", "deleted_at"}
    assert by_id[removed]["deleted"] is True
    assert delta["watermark"] > watermark
    # The full list no longer has the removed team; asking again from the new watermark: nothing.
    assert removed not in [t["id"] for t in _get(client, secret, _teams_url(p)).json()["items"]]
    later = _get(client, secret, _teams_url(p), updated_since=delta["watermark"]).json()
    assert later["items"] == []
    gone = _get(client, secret, f"/api/v1/teams/{removed}")
    assert gone.status_code == 404


def test_paging_with_link_next_until_the_last_page(client: TestClient, session: Session):
    p = b.published_semester(session)
    secret = b.token(session)
    first = _get(client, secret, _teams_url(p), limit=2)
    assert len(first.json()["items"]) == 2
    link = first.headers["link"]
    assert link.endswith('>; rel="next"')
    url = link[1 : link.index(">")]
    query = parse_qs(urlsplit(url).query)
    assert query["offset"] == ["2"]
    assert query["limit"] == ["2"]
    assert query["as_of"]
    last = client.get(url, headers=b.bearer(secret))
    assert len(last.json()["items"]) == 1
    assert "link" not in last.headers
    seen = [t["id"] for t in first.json()["items"] + last.json()["items"]]
    assert seen == sorted(seen)
    assert len(set(seen)) == 3


def test_a_removal_while_paging_does_not_skip_a_team(client: TestClient, session: Session):
    p = b.published_semester(session)
    secret = b.token(session)
    first = _get(client, secret, _teams_url(p), limit=1)
    next_url = first.headers["link"][1 : first.headers["link"].index(">")]
    # The first team is removed between page 1 and page 2.
    for m in session.exec(select(Member).where(Member.team_id == p.teams[0].id)):
        session.delete(m)
    session.delete(p.teams[0])
    session.flush()
    sync_publication(session=session, semester=p.semester, now=utcnow() + timedelta(1))
    items = []
    while next_url:
        page = client.get(next_url, headers=b.bearer(secret))
        items += page.json()["items"]
        link = page.headers.get("link", "")
        next_url = link[1 : link.index(">")] if link else ""
    assert len([t for t in items if not t["deleted"]]) == 2


def test_problem_json_for_bad_parameters_unknown_things_and_methods(
    client: TestClient, session: Session
):
    p = b.published_semester(session)
    secret = b.token(session)
    bad = _get(client, secret, _teams_url(p), limit=0)
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert bad.json()["errors"][0]["loc"] == ["query", "limit"]
    naive = _get(client, secret, _teams_url(p), updated_since="2026-01-01T00:00:00")
    assert naive.status_code == 422
    for path in ("/api/v1/semesters/1999-S9/teams", "/api/v1/nothing-here"):
        missing = _get(client, secret, path)
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
    post = client.post(_teams_url(p), headers=b.bearer(secret))
    assert post.status_code == 405
    assert post.headers["content-type"] == "application/problem+json"
    assert post.headers["allow"] == "GET"
    # Extreme but valid dates are clamped, not a server error.
    far = _get(client, secret, _teams_url(p), updated_since="0001-01-01T00:00:00+05:00")
    assert far.json()["total"] == 3


def test_semesters_list_phase_dates_and_publication(client: TestClient, session: Session):
    p = b.published_semester(session)
    f.semester(session, Phase.INTAKE, code="2099-S9")
    body = _get(client, b.token(session), "/api/v1/semesters").json()
    by_code = {s["code"]: s for s in body["items"]}
    assert by_code[p.semester.code]["phase"] == "published"
    assert by_code[p.semester.code]["teams_published"] is True
    assert by_code[p.semester.code]["teams_updated_at"]
    assert by_code["2099-S9"]["teams_published"] is False
    assert by_code["2099-S9"]["teams_updated_at"] is None
