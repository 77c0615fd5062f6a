"""Form plumbing shared by every HTML slice: raw input, number and date parsing, the
team-size checks of the opdracht and semester forms, and the one Post/Redirect/Get helper.

Forms keep what the user typed (numbers as text) so a form with errors is re-rendered with
the input intact; parsing happens in ``validate`` and records messages per field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from app.i18n import lazy
from app.middleware import flash
from app.parsing import ascii_int, parse_id
from app.templating import TZ

MAX_VALUES = 200  # per multi-valued field: more than any vocabulary holds


@dataclass(frozen=True)
class FieldError:
    """An English message id, with %-style parameters filled in after translation."""

    message: str
    params: dict[str, int] = field(default_factory=dict)


Errors = dict[str, FieldError]


@dataclass
class FormInput:
    """The submitted fields, every value a list (checkbox groups send several)."""

    values: dict[str, list[str]] = field(default_factory=dict)

    def text(self, name: str, limit: int = 200) -> str:
        raw = self.values.get(name, [""])[0]
        # Browsers send CRLF for textarea line breaks; store plain newlines.
        return raw.replace("\r\n", "\n").strip()[: limit + 1]

    def ids(self, name: str) -> list[int]:
        """Whole numbers of a checkbox group; anything else cannot come from our options."""
        found = {parse_id(v) for v in self.values.get(name, [])[:MAX_VALUES]}
        return sorted(v for v in found if v is not None)

    def flag(self, name: str) -> bool:
        return self.text(name, 10) in ("1", "true", "on", "yes")


async def read_form(request: Request) -> FormInput:
    form = await request.form()
    values: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            values.setdefault(key, []).append(value)
    return FormInput(values)


FormData = Annotated[FormInput, Depends(read_form)]


def parse_int(
    errors: Errors, name: str, raw: str, *, minimum: int = 0, maximum: int = 1000
) -> int | None:
    """The whole number in ``raw``, or None with a message in ``errors``; blank is None."""
    if not raw:
        return None
    value = ascii_int(raw)
    if value is None:
        errors[name] = FieldError(lazy("Enter a whole number."))
        return None
    if not minimum <= value <= maximum:
        errors[name] = FieldError(
            lazy("Enter a number from %(minimum)s to %(maximum)s."),
            {"minimum": minimum, "maximum": maximum},
        )
        return None
    return value


def require_int(
    errors: Errors, name: str, raw: str, *, minimum: int = 0, maximum: int = 1000
) -> int | None:
    if not raw:
        errors[name] = FieldError(lazy("Enter a number."))
        return None
    return parse_int(errors, name, raw, minimum=minimum, maximum=maximum)


@dataclass(frozen=True)
class TeamRules:
    min_size: int | None
    max_size: int | None
    max_per_programme: int | None
    min_programmes: int | None


def check_team_rules(
    errors: Errors, rules: TeamRules, *, programmes: int, required: int = 0, prefix: str = ""
) -> None:
    """Rules that would make a team impossible to form; ``programmes`` is how many exist."""
    lo, hi = rules.min_size, rules.max_size
    if lo is not None and hi is not None and lo > hi:
        errors[f"{prefix}min_size"] = FieldError(
            lazy("The minimum team size cannot be larger than the maximum team size.")
        )
    if hi is not None and required > hi:
        errors["required_programme_ids"] = FieldError(
            lazy("%(required)s programmes are required, but a team has at most %(max)s members."),
            {"required": required, "max": hi},
        )
    per = rules.max_per_programme
    if per is not None and lo is not None and per * programmes < lo:
        errors[f"{prefix}max_per_programme"] = FieldError(
            lazy(
                "With at most %(per)s per programme and %(programmes)s programmes, "
                "a team can never reach the minimum size of %(min)s."
            ),
            {"per": per, "programmes": programmes, "min": lo},
        )
    need = rules.min_programmes
    if need is not None and hi is not None and need > hi:
        errors[f"{prefix}min_programmes"] = FieldError(
            lazy("A team cannot hold more programmes than its maximum size.")
        )
    elif need is not None and need > programmes:
        errors[f"{prefix}min_programmes"] = FieldError(
            lazy("There are only %(programmes)s programmes."), {"programmes": programmes}
        )


def parse_local_datetime(raw: str) -> datetime | None:
    """A ``datetime-local`` or ``date`` input, read in the Dutch time zone; None if invalid."""
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, fmt).replace(tzinfo=TZ)
        except ValueError:
            continue
    return None


def see_other(url: str, *messages: str) -> Response:
    """Post/Redirect/Get: a 303 to ``url``, with flash messages (English message ids) shown
    on the page it leads to."""
    response = RedirectResponse(url, status_code=303)
    if messages:
        flash(response, *messages)
    return response
