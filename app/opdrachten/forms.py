"""The opdracht form: parsing, validation, and the comparison shown on an edit conflict."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any

from app.forms import (
    Errors,
    FieldError,
    FormInput,
    TeamRules,
    check_team_rules,
    parse_int,
    require_int,
)
from app.i18n import lazy
from app.models import Leerkring, Partner, Programme, Semester, TargetGroup, Theme
from app.opdrachten.cards import Card
from app.parsing import normalise_email, parse_id

YEARS = (1, 2, 3, 4)
LIMITS = {"title": 200, "location": 200, "contact_name": 200, "contact_email": 254}
DESCRIPTION_LIMIT = 10_000
TEXT = ("title", "description", "location", "contact_name", "contact_email")
NUMBERS = ("teams", "min_size", "max_size", "max_per_programme", "min_programmes")
CHOICES = ("leerkring_id", "continues_id", "owner_partner_id")
LISTS: tuple[str, ...] = (
    "theme_ids",
    "target_group_ids",
    "eligible_years",
    "required_programme_ids",
)
LISTS += ("copartner_ids",)
# What an edit conflict compares, with the label the form uses.
LABELS = {
    "title": lazy("Title"),
    "description": lazy("Description"),
    "theme_ids": lazy("Themes"),
    "target_group_ids": lazy("Target groups"),
    "leerkring_id": lazy("Leerkring"),
    "location": lazy("Location"),
    "eligible_years": lazy("Years"),
    "teams": lazy("Number of teams"),
    "min_size": lazy("Minimum team size"),
    "max_size": lazy("Maximum team size"),
    "max_per_programme": lazy("At most per programme"),
    "min_programmes": lazy("At least this many programmes"),
    "required_programme_ids": lazy("Required programmes"),
    "contact_name": lazy("Contact person"),
    "contact_email": lazy("Contact e-mail address"),
    "copartner_ids": lazy("Co-partners"),
    "continues_id": lazy("Continues"),
}
# The error summary names each field; the owner is not compared, so it is only here.
SUMMARY_LABELS = LABELS | {"owner_partner_id": lazy("Posted by")}
# A draft may be incomplete; submitting it for review needs these.
NEEDED_TO_SUBMIT = {
    "description": lazy("Describe the opdracht."),
    "theme_ids": lazy("Choose at least one theme."),
    "target_group_ids": lazy("Choose at least one target group."),
    "leerkring_id": lazy("Choose a leerkring."),
    "contact_name": lazy("Enter a contact person."),
    "contact_email": lazy("Enter an e-mail address for the contact."),
}


@dataclass
class Options:
    """The choices the form offers; validation accepts nothing else."""

    themes: list[Theme]
    target_groups: list[TargetGroup]
    leerkringen: list[Leerkring]
    programmes: list[Programme]
    partners: list[Partner]
    owners: list[Partner]
    history: list[Card]
    years: tuple[int, ...] = YEARS


@dataclass
class OpdrachtForm:
    title: str = ""
    description: str = ""
    theme_ids: list[int] = field(default_factory=list)
    target_group_ids: list[int] = field(default_factory=list)
    leerkring_id: str = ""
    location: str = ""
    eligible_years: list[int] = field(default_factory=list)
    teams: str = "1"
    min_size: str = "3"
    max_size: str = "6"
    max_per_programme: str = ""
    min_programmes: str = "1"
    required_programme_ids: list[int] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    copartner_ids: list[int] = field(default_factory=list)
    continues_id: str = ""
    owner_partner_id: str = ""
    version: str = ""
    errors: Errors = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)  # list fields sent with values not ours

    @classmethod
    def parse(cls, data: FormInput) -> OpdrachtForm:
        form = cls()
        for name in TEXT + NUMBERS + CHOICES + ("version",):
            limit = DESCRIPTION_LIMIT if name == "description" else LIMITS.get(name, 20)
            setattr(form, name, data.text(name, limit))
        for name in LISTS:
            setattr(form, name, data.ids(name))
            # A value that is not one of our ids (``eligible_years=x``) is refused with the
            # field's message; dropped silently, it would turn into "all years".
            if any(not _is_number(v) for v in data.values.get(name, [])):
                form.unknown.add(name)
        return form

    @classmethod
    def defaults(cls, semester: Semester) -> OpdrachtForm:
        """A new opdracht starts from the semester's default team rules."""
        per = semester.default_max_per_programme
        return cls(
            min_size=str(semester.default_min_size),
            max_size=str(semester.default_max_size),
            max_per_programme="" if per is None else str(per),
            min_programmes=str(semester.default_min_programmes),
        )

    @classmethod
    def from_card(cls, card: Card) -> OpdrachtForm:
        o = card.opdracht
        form = cls(
            theme_ids=sorted(t.id for t in card.themes if t.id),
            target_group_ids=sorted(g.id for g in card.target_groups if g.id),
            required_programme_ids=sorted(p.id for p in card.required if p.id),
            copartner_ids=sorted(p.id for p in card.copartners if p.id),
            eligible_years=sorted(o.eligible_years),
            leerkring_id=_text(o.leerkring_id),
            continues_id=_text(o.continues_id),
            owner_partner_id=_text(o.owner_partner_id),
            version=str(o.version),
        )
        for name in TEXT:
            setattr(form, name, getattr(o, name))
        for name in NUMBERS:
            setattr(form, name, _text(getattr(o, name)))
        return form

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in LABELS}

    def changed_fields(self, other: OpdrachtForm) -> list[str]:
        mine, theirs = self.values(), other.values()
        return [name for name in LABELS if mine[name] != theirs[name]]

    def validate(
        self, options: Options, *, creating: bool, submitting: bool = False
    ) -> dict[str, Any]:
        """The column values for the opdracht; messages go to ``self.errors``."""
        e = self.errors
        self._check_text()
        if submitting:
            self.check_complete()
        numbers = {
            name: require_int(e, name, getattr(self, name), minimum=1, maximum=50)
            for name in ("teams", "min_size", "max_size", "min_programmes")
        }
        per = parse_int(e, "max_per_programme", self.max_per_programme, minimum=1, maximum=50)
        rules = TeamRules(numbers["min_size"], numbers["max_size"], per, numbers["min_programmes"])
        check_team_rules(
            e, rules, programmes=len(options.programmes), required=len(self.required_programme_ids)
        )
        self._check_choices(options, creating=creating)
        return {
            **{name: getattr(self, name) for name in TEXT},
            **numbers,
            "max_per_programme": per,
            "eligible_years": list(self.eligible_years),
            "leerkring_id": _int(self.leerkring_id),
            "continues_id": _int(self.continues_id),
        }

    def check_complete(self) -> bool:
        """Record a message for every field a submission needs that is empty; True if none."""
        missing = [name for name in NEEDED_TO_SUBMIT if not getattr(self, name)]
        for name in missing:
            self.errors.setdefault(name, FieldError(NEEDED_TO_SUBMIT[name]))
        return not missing

    def _check_text(self) -> None:
        e = self.errors
        if not visible(self.title):
            e["title"] = FieldError(lazy("Enter a title."))
        for name, limit in LIMITS.items():
            if len(getattr(self, name)) > limit:
                e[name] = FieldError(lazy("Use at most %(limit)s characters."), {"limit": limit})
        if len(self.description) > DESCRIPTION_LIMIT:
            e["description"] = FieldError(
                lazy("Use at most %(limit)s characters."), {"limit": DESCRIPTION_LIMIT}
            )
        if self.contact_email and normalise_email(self.contact_email) is None:
            e["contact_email"] = FieldError(lazy("Enter a valid e-mail address."))

    def _check_choices(self, options: Options, *, creating: bool) -> None:
        e = self.errors
        allowed: dict[str, set[int]] = {
            "theme_ids": {t.id for t in options.themes if t.id},
            "target_group_ids": {g.id for g in options.target_groups if g.id},
            "required_programme_ids": {p.id for p in options.programmes if p.id},
            "copartner_ids": {p.id for p in options.partners if p.id},
            "eligible_years": set(options.years),
        }
        for name, ids in allowed.items():
            if name in self.unknown or not set(getattr(self, name)) <= ids:
                e[name] = FieldError(lazy("Choose from the options shown."))
        single: dict[str, set[int | None]] = {
            "leerkring_id": {lk.id for lk in options.leerkringen},
            "continues_id": {c.opdracht.id for c in options.history},
        }
        for name, choices in single.items():
            if getattr(self, name) and _int(getattr(self, name)) not in choices:
                e[name] = FieldError(lazy("Choose from the options shown."))
        owner = _int(self.owner_partner_id)
        if creating and owner not in {p.id for p in options.owners}:
            e["owner_partner_id"] = FieldError(lazy("Choose the organisation that posts this."))
        if owner is not None and owner in self.copartner_ids:
            e["copartner_ids"] = FieldError(lazy("The owner cannot also be a co-partner."))


def describe(form: OpdrachtForm, options: Options) -> dict[str, list[Any]]:
    """Each compared field as a list of values for the conflict table: names, not ids.

    Vocabulary rows stay objects so the template shows them in the reader's language.
    """
    rows: dict[str, dict[int, Any]] = {
        "theme_ids": {t.id: t for t in options.themes if t.id},
        "target_group_ids": {g.id: g for g in options.target_groups if g.id},
        "required_programme_ids": {p.id: p for p in options.programmes if p.id},
        "copartner_ids": {p.id: p.name for p in options.partners if p.id},
        "leerkring_id": {lk.id: lk.name for lk in options.leerkringen if lk.id},
        "continues_id": {
            c.opdracht.id: f"{c.opdracht.title} ({c.semester_code})"
            for c in options.history
            if c.opdracht.id
        },
    }
    shown: dict[str, list[Any]] = {}
    for name, value in form.values().items():
        values = value if isinstance(value, list) else [value] if value != "" else []
        if name in rows:
            values = [rows[name].get(_int(str(v)) or 0, v) for v in values]
        shown[name] = values
    return shown


def visible(text: str) -> bool:
    """True when ``text`` shows something: not only spaces, zero-width or other format
    characters (U+200B, U+2060, U+FEFF...), which ``str.strip`` keeps."""
    return any(unicodedata.category(c)[0] not in "CZ" for c in text)


def _is_number(value: str) -> bool:
    value = value.strip()
    return value.isascii() and value.isdigit()


def _int(value: str) -> int | None:
    return parse_id(value)


def _text(value: int | None) -> str:
    return "" if value is None else str(value)
