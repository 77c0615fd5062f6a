"""Turn a notification's facts into a mail in the recipient's language: text and HTML.

Each kind has a builder that reads only the stored facts, so the preview, the outbox and the
dashboard all show the same words. Builders run with the recipient's language set.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from app.i18n import get_language, lazy, ngettext, set_language
from app.i18n import gettext as _
from app.templating import env

Facts = dict[str, Any]


@dataclass
class Mail:
    subject: str
    paragraphs: list[str]
    link: str
    link_label: str
    reason: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)  # heading, lines

    def text(self, greeting: str) -> str:
        parts = [greeting, *self.paragraphs]
        for heading, lines in self.sections:
            parts.append("\n".join([f"{heading}:", *(f"- {line}" for line in lines)]))
        parts += [f"{self.link_label}: {self.link}", "-- ", self.reason]
        return "\n\n".join(parts) + "\n"

    def html(self, greeting: str) -> str:
        template = env.get_template("notifications/mail.html")
        return template.render(mail=self, greeting=greeting, lang=get_language())


@contextmanager
def language(code: str) -> Any:
    before = get_language()
    set_language(code)
    try:
        yield
    finally:
        set_language(before)


def absolute(base_url: str, path: str) -> str:
    """A link that opens ``path`` after login (at once when a session is still open)."""
    return f"{base_url.rstrip('/')}/login?next={quote(path, safe='/')}"


def _person(p: dict[str, str] | None) -> str:
    if not p:
        return _("not known yet")
    return f"{p['name']} <{p['email']}>" if p.get("email") else p["name"]


def _team_lines(team: Facts) -> list[str]:
    members = [_person(m) for m in team.get("teammates", [])]
    lines = [
        _("Opdracht: {title} (team {number})").format(title=team["title"], number=team["number"]),
        _("Location: {location}").format(location=team.get("location") or "-"),
        _("Contact at the partner: {person}").format(person=_person(team.get("contact"))),
        _("Wijkdocent: {person}").format(person=_person(team.get("supervisor"))),
    ]
    if members:
        lines.append(_("Teammates: {names}").format(names="; ".join(members)))
    return lines


def _placed(facts: Facts) -> tuple[str, list[str], list[tuple[str, list[str]]]]:
    now = facts["now"]
    subject = _("Your team is known")
    text = _("Your team for semester {semester} is known.").format(semester=facts["semester"])
    return subject, [text], [(_("Your team"), _team_lines(now))]


def _unplaced_text(facts: Facts) -> list[str]:
    contacts = "; ".join(_person(p) for p in facts["now"].get("contacts", []))
    return [
        _(
            "The match of semester {semester} could not place you in a team. This happens "
            "when the opdrachten you chose were full or could not form a team."
        ).format(semester=facts["semester"]),
        _(
            "What now: a wijkdocent looks for a place for you and contacts you. "
            "If you have questions, contact {contacts}."
        ).format(contacts=contacts or _("the wijkdocenten of your leerkring")),
    ]


def _student_publication(facts: Facts) -> tuple[str, list[str], list[tuple[str, list[str]]]]:
    before, now = facts.get("before"), facts["now"]
    if before is None:
        if now.get("placed"):
            return _placed(facts)
        return _("You have no team yet"), _unplaced_text(facts), []
    subject = _("Your team has changed")
    changes: list[str] = []
    if not now.get("placed"):
        return subject, _unplaced_text(facts), []
    if not before.get("placed"):
        changes.append(_("You now have a team."))
    elif (before["title"], before["number"]) != (now["title"], now["number"]):
        changes.append(
            _("Your opdracht changed from {old} to {new}.").format(
                old=before["title"], new=now["title"]
            )
        )
    old = {m["name"] for m in before.get("teammates", [])}
    new = {m["name"] for m in now.get("teammates", [])}
    if new - old:
        changes.append(_("New in your team: {names}.").format(names=", ".join(sorted(new - old))))
    if old - new:
        changes.append(
            _("No longer in your team: {names}.").format(names=", ".join(sorted(old - new)))
        )
    if not changes:
        changes.append(_("The details of your team changed."))
    intro = _("The teams of semester {semester} were published again.").format(
        semester=facts["semester"]
    )
    return subject, [intro, *changes], [(_("Your team now"), _team_lines(now))]


def _partner_publication(facts: Facts) -> tuple[str, list[str], list[tuple[str, list[str]]]]:
    now, again = facts["now"], facts.get("before") is not None
    sections: list[tuple[str, list[str]]] = []
    for team in now["teams"]:
        heading = _("{title}, team {number}").format(title=team["title"], number=team["number"])
        sections.append((heading, [_person(m) for m in team["members"]]))
    lines = []
    for o in now["no_team"]:
        if o["ranked_by"] < o["min_size"]:
            reason = ngettext(
                "%(n)s student chose it; a team needs at least %(min)s.",
                "%(n)s students chose it; a team needs at least %(min)s.",
                o["ranked_by"],
            ) % {"n": o["ranked_by"], "min": o["min_size"]}
        else:
            reason = _(
                "Enough students chose it, but no team could meet the team rules "
                "together with the other choices."
            )
        lines.append(f"{o['title']}: {reason}")
    if lines:
        sections.append((_("Opdrachten without a team"), lines))
    if again:
        subject = _("The teams for your opdrachten have changed")
        text = _("The teams of semester {semester} were published again; yours changed.")
        paragraphs = [text.format(semester=facts["semester"]), *_changed_teams(facts)]
        return subject, paragraphs, sections
    subject = _("Teams published")
    text = _("The student teams for your opdrachten in semester {semester} are published.")
    return subject, [text.format(semester=facts["semester"])], sections


def _changed_teams(facts: Facts) -> list[str]:
    """One line per team that is new, gone or has other members than in the last mail."""

    def teams(side: Facts) -> dict[tuple[str, int], list[Any]]:
        return {(t["title"], t["number"]): t["members"] for t in side["teams"]}

    before, now = teams(facts["before"]), teams(facts["now"])
    changed = [k for k in sorted(before.keys() | now.keys()) if before.get(k) != now.get(k)]
    names = ", ".join(
        _("{title}, team {number}").format(title=title, number=number) for title, number in changed
    )
    return [_("Changed: {teams}.").format(teams=names)] if changed else []


def _opdracht_event(facts: Facts) -> tuple[str, list[str], list[tuple[str, list[str]]]]:
    title, decision = facts["title"], facts["decision"]
    texts = {
        "submit": (
            _("Opdracht submitted for review"),
            _("{partner} submitted the opdracht \u201c{title}\u201d for review."),
        ),
        "approve": (_("Opdracht approved"), _("The opdracht \u201c{title}\u201d was approved.")),
        "reject": (_("Opdracht rejected"), _("The opdracht \u201c{title}\u201d was rejected.")),
        "send_back": (
            _("Opdracht sent back"),
            _("The opdracht \u201c{title}\u201d was sent back to you to change it."),
        ),
    }
    subject, text = texts[decision]
    paragraphs = [text.format(title=title, partner=facts.get("partner", ""))]
    sections = (
        [(_("Comment of the wijkdocent"), [facts["comment"]])] if facts.get("comment") else []
    )
    return f"{subject}: {title}", paragraphs, sections


def _ranking(facts: Facts) -> tuple[str, list[str], list[tuple[str, list[str]]]]:
    semester, deadline = facts["semester"], facts.get("deadline") or _("none")
    when = facts["when"]
    if when == "open":
        return (
            _("Rank the opdrachten"),
            [
                _("You can now rank the opdrachten of semester {semester}.").format(
                    semester=semester
                ),
                _("Deadline: {deadline}.").format(deadline=deadline),
            ],
            [],
        )
    status = _("Choose {needed} opdrachten, in the order you prefer them.").format(
        needed=facts["needed"]
    )
    if when == "passed":
        text = _(
            "The ranking deadline of semester {semester} ({deadline}) has passed and your "
            "ranking is not complete. Complete it now if the ranking is still open, or "
            "contact your wijkdocent."
        )
        subject = _("The ranking deadline has passed")
    else:
        text = _("Your ranking for semester {semester} is not complete. Deadline: {deadline}.")
        subject = _("Reminder: complete your ranking")
    return subject, [text.format(semester=semester, deadline=deadline), status], []


_REASONS = {
    "student": lazy("You receive this message because you are a student in semester {semester}."),
    "partner": lazy(
        "You receive this message because you work for {partner}, a partner of this opdracht."
    ),
    "partner_semester": lazy(
        "You receive this message because your organisation has opdrachten in semester {semester}."
    ),
    "wijkdocent": lazy(
        "You receive this message because you review the opdrachten of leerkring {leerkring}."
    ),
}
_LINK_LABELS = {
    "/student/team": lazy("See your team"),
    "/partner/teams": lazy("See your teams"),
    "/student/ranking": lazy("Go to your ranking"),
}
Builder = Callable[[Facts], tuple[str, list[str], list[tuple[str, list[str]]]]]
BUILDERS: dict[str, Builder] = {
    "team_placed": _student_publication,
    "team_unplaced": _student_publication,
    "team_changed": _student_publication,
    "partner_teams": _partner_publication,
    "partner_teams_changed": _partner_publication,
    "opdracht_submitted": _opdracht_event,
    "opdracht_decided": _opdracht_event,
    "ranking": _ranking,
}


def compose(*, kind: str, facts: Facts, path: str, base_url: str) -> Mail:
    """The mail of ``kind`` in the current language (set it with ``language`` first)."""
    subject, paragraphs, sections = BUILDERS[kind](facts)
    why = _REASONS[facts["why"]]
    reason = _(why).format(**facts.get("why_args", {}))
    label = _(_LINK_LABELS.get(path, lazy("Open in opdrachtmatch")))
    return Mail(subject, paragraphs, absolute(base_url, path), label, reason, sections)


def greeting(name: str) -> str:
    return _("Hello {name},").format(name=name)
