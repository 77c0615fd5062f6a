"""The semester form: code, name, deadlines, focus and the default team rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.forms import (
    Errors,
    FieldError,
    FormInput,
    TeamRules,
    check_team_rules,
    parse_int,
    parse_local_datetime,
    require_int,
)
from app.i18n import lazy
from app.models import Semester, TargetGroup, Theme
from app.parsing import parse_id
from app.templating import TZ

CODE = re.compile(r"[A-Za-z0-9-]{2,16}")
MOMENTS = ("intake_deadline", "ranking_deadline", "publication_at")
DEFAULTS: tuple[str, ...] = ("default_min_size", "default_max_size", "default_max_per_programme")
DEFAULTS += ("default_min_programmes", "max_group_size")
TEXT = ("code", "name", "focus_theme_id", "focus_target_group_id", "version")
ORDER = lazy("The moments must follow each other: intake deadline, ranking deadline, publication.")


@dataclass
class SemesterForm:
    code: str = ""
    name: str = ""
    starts_on: str = ""
    intake_deadline: str = ""
    ranking_deadline: str = ""
    publication_at: str = ""
    default_min_size: str = "3"
    default_max_size: str = "6"
    default_max_per_programme: str = "2"
    default_min_programmes: str = "2"
    max_group_size: str = "3"
    restrict_to_leerkring: bool = False
    focus_theme_id: str = ""
    focus_target_group_id: str = ""
    version: str = ""
    errors: Errors = field(default_factory=dict)

    @classmethod
    def parse(cls, data: FormInput) -> SemesterForm:
        form = cls(restrict_to_leerkring=data.flag("restrict_to_leerkring"))
        for name in (*TEXT, "starts_on", *MOMENTS, *DEFAULTS):
            setattr(form, name, data.text(name, 120 if name == "name" else 20))
        return form

    @classmethod
    def from_semester(cls, semester: Semester) -> SemesterForm:
        form = cls(restrict_to_leerkring=semester.restrict_to_leerkring)
        for name in ("code", "name", "version"):
            setattr(form, name, str(getattr(semester, name)))
        for name in (*DEFAULTS, "focus_theme_id", "focus_target_group_id"):
            value = getattr(semester, name)
            setattr(form, name, "" if value is None else str(value))
        for name in MOMENTS:
            setattr(form, name, _local(getattr(semester, name)))
        form.starts_on = semester.starts_on.isoformat() if semester.starts_on else ""
        return form

    def validate(
        self, *, themes: list[Theme], groups: list[TargetGroup], programmes: int
    ) -> dict[str, Any]:
        """Column values for the semester; messages go to ``self.errors``."""
        e = self.errors
        if not CODE.fullmatch(self.code):
            e["code"] = FieldError(
                lazy("Enter a code of letters, digits and dashes, e.g. 2027-S1.")
            )
        if len(self.name) > 120:
            e["name"] = FieldError(lazy("Use at most %(limit)s characters."), {"limit": 120})
        moments: dict[str, object] = {**self._moments(), "starts_on": self._start()}
        numbers, per = self._team_defaults(programmes)
        group = require_int(e, "max_group_size", self.max_group_size, minimum=2, maximum=10)
        focus = {
            "focus_theme_id": _choice(e, "focus_theme_id", self.focus_theme_id, themes),
            "focus_target_group_id": _choice(
                e, "focus_target_group_id", self.focus_target_group_id, groups
            ),
        }
        return {
            "code": self.code,
            "name": self.name,
            **moments,
            **numbers,
            "default_max_per_programme": per,
            "max_group_size": group,
            "restrict_to_leerkring": self.restrict_to_leerkring,
            **focus,
        }

    def _team_defaults(self, programmes: int) -> tuple[dict[str, int | None], int | None]:
        """The default team rules (sizes and minimum programmes; the maximum per
        programme), checked together as a team could never be formed otherwise."""
        e = self.errors
        numbers = {
            name: require_int(e, name, getattr(self, name), minimum=1, maximum=50)
            for name in ("default_min_size", "default_max_size", "default_min_programmes")
        }
        per = parse_int(
            e, "default_max_per_programme", self.default_max_per_programme, minimum=1, maximum=50
        )
        rules = TeamRules(
            numbers["default_min_size"],
            numbers["default_max_size"],
            per,
            numbers["default_min_programmes"],
        )
        check_team_rules(e, rules, programmes=programmes, prefix="default_")
        return numbers, per

    def _start(self) -> date | None:
        """The first day of the semester: a calendar day, no time and no time zone."""
        if not self.starts_on:
            return None
        try:
            return date.fromisoformat(self.starts_on)
        except ValueError:
            self.errors["starts_on"] = FieldError(lazy("Enter a date such as 2027-01-31."))
            return None

    def _moments(self) -> dict[str, datetime | None]:
        found: dict[str, datetime | None] = {}
        previous: datetime | None = None
        for name in MOMENTS:
            raw = getattr(self, name)
            value = parse_local_datetime(raw) if raw else None
            if raw and value is None:
                self.errors[name] = FieldError(lazy("Enter a date and time."))
            # The three deadlines come one after another.
            elif value and previous and value <= previous:
                self.errors[name] = FieldError(ORDER)
            previous = value or previous
            found[name] = value
        return found


def _choice(errors: Errors, name: str, raw: str, rows: list[Any]) -> int | None:
    if not raw:
        return None
    value = parse_id(raw)
    if value is not None and value in {r.id for r in rows}:
        return value
    errors[name] = FieldError(lazy("Choose from the options shown."))
    return None


def _local(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(TZ).strftime("%Y-%m-%dT%H:%M")
