"""The forms of the outcome pages: raw input kept for a re-render, messages per field."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from app.forms import Errors, FieldError, FormInput, require_int
from app.i18n import lazy
from app.models import PartnerPlan
from app.parsing import parse_id

TITLE_MAX, SUMMARY_MAX, LINK_MAX, NOTE_MAX = 200, 2000, 500, 2000


def _too_long(errors: Errors, name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors[name] = FieldError(lazy("At most %(max)s characters."), {"max": limit})


@dataclass
class DeliverableForm:
    title: str = ""
    kind_id: str = ""
    summary: str = ""
    link: str = ""
    errors: Errors = field(default_factory=dict)

    @classmethod
    def parse(cls, data: FormInput) -> DeliverableForm:
        return cls(
            title=data.text("title", TITLE_MAX),
            kind_id=data.text("kind_id", 12),
            summary=data.text("summary", SUMMARY_MAX),
            link=data.text("link", LINK_MAX),
        )

    def validate(self, kind_ids: set[int], *, has_file: bool) -> int | None:
        """The kind's id when the form is valid; messages in ``errors`` otherwise."""
        e = self.errors
        if not self.title:
            e["title"] = FieldError(lazy("Enter a title."))
        _too_long(e, "title", self.title, TITLE_MAX)
        _too_long(e, "summary", self.summary, SUMMARY_MAX)
        kind = parse_id(self.kind_id)
        if kind not in kind_ids:
            e["kind_id"] = FieldError(lazy("Choose a kind of deliverable."))
        if self.link:
            parts = urlsplit(self.link)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                e["link"] = FieldError(lazy("Enter a web address starting with https://."))
            _too_long(e, "link", self.link, LINK_MAX)
        elif not has_file:
            e["link"] = FieldError(lazy("Give a link or upload a PDF."))
        return kind


@dataclass
class EvaluationForm:
    usefulness: str = ""
    plan: str = ""
    follow_up: bool = False
    comment: str = ""
    version: str = ""
    errors: Errors = field(default_factory=dict)

    @classmethod
    def parse(cls, data: FormInput) -> EvaluationForm:
        return cls(
            usefulness=data.text("usefulness", 4),
            plan=data.text("plan", 16),
            follow_up=data.flag("follow_up"),
            comment=data.text("comment", NOTE_MAX),
            version=data.text("version", 12),
        )

    def validate(self) -> tuple[int | None, PartnerPlan | None]:
        usefulness = require_int(self.errors, "usefulness", self.usefulness, minimum=1, maximum=5)
        if "usefulness" in self.errors:
            self.errors["usefulness"] = FieldError(lazy("Choose a score from 1 to 5."))
        plan = PartnerPlan(self.plan) if self.plan in set(PartnerPlan) else None
        if plan is None:
            self.errors["plan"] = FieldError(lazy("Choose what you will do with the result."))
        _too_long(self.errors, "comment", self.comment, NOTE_MAX)
        return usefulness, plan
