"""Example responses shown in the OpenAPI document (and in docs/api.md)."""

from __future__ import annotations

from typing import Any

SEMESTER: dict[str, Any] = {
    "code": "2026-S2",
    "name": "Semester 2026-2",
    "phase": "published",
    "starts_on": "2026-09-01",
    "intake_deadline": "2026-06-15T23:59:59+02:00",
    "ranking_deadline": "2026-07-05T23:59:59+02:00",
    "publication_at": "2026-07-15T10:00:00+02:00",
    "teams_published": True,
    "teams_updated_at": "2026-07-15T08:00:12.123456Z",
}

MEMBER: dict[str, Any] = {
    "student_number": "2100012",
    "name": "Student 012",
    "programme": {"code": "SW", "name": "Social Work"},
    "year": 2,
}

TEAM: dict[str, Any] = {
    "id": 41,
    "deleted": False,
    "semester": "2026-S2",
    "opdracht": {"id": 7, "title": "Welzijn op Recept in Elst"},
    "team_number": 1,
    "partners": [
        {"id": 3, "name": "Gemeente Overbetuwe", "owner": True},
        {"id": 5, "name": "Forte Welzijn", "owner": False},
    ],
    "leerkring": {"id": 2, "name": "Overbetuwe"},
    "location": "Elst",
    "supervisor": {"id": 9, "name": "Wijkdocent Overbetuwe"},
    "members": [MEMBER],
    "published_at": "2026-07-15T08:00:12.123456Z",
    "updated_at": "2026-07-15T08:00:12.123456Z",
}

TEAM_PAGE: dict[str, Any] = {
    "semester": "2026-S2",
    "limit": 100,
    "offset": 0,
    "total": 2,
    "watermark": "2026-07-20T09:30:00.654321Z",
    "items": [
        TEAM,
        {"id": 42, "deleted": True, "deleted_at": "2026-07-20T09:30:00.654321Z"},
    ],
}

OPDRACHT_PAGE: dict[str, Any] = {
    "semester": "2026-S2",
    "limit": 100,
    "offset": 0,
    "total": 1,
    "items": [
        {
            "id": 7,
            "semester": "2026-S2",
            "title": "Welzijn op Recept in Elst",
            "partners": TEAM["partners"],
            "leerkring": {"id": 2, "name": "Overbetuwe"},
            "location": "Elst",
            "teams": 2,
            "min_size": 3,
            "max_size": 6,
            "eligible_years": [2, 3],
            "updated_at": "2026-05-30T14:02:11.000000Z",
        }
    ],
}
