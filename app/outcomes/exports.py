"""The impact overview as CSV or XLSX: one row per team, formula-safe like the team exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook

from app.i18n import gettext as _
from app.i18n import lazy
from app.outcomes.overview import Overview
from app.runs.exports import safe
from app.templating import localized_name

PLANS = {"use": lazy("plan:use"), "continue": lazy("plan:continue"), "stop": lazy("plan:stop")}
HEADER = (
    lazy("Semester"),
    lazy("Leerkring"),
    lazy("Opdracht"),
    lazy("Team"),
    lazy("Themes"),
    lazy("Target groups"),
    lazy("Students"),
    lazy("Programmes"),
    lazy("Deliverables"),
    lazy("Usefulness"),
    lazy("Plan"),
    lazy("Follow-up wanted"),
    lazy("Continued"),
)


def rows(view: Overview) -> Iterator[list[Any]]:
    for fact in view.facts:
        t, o = fact.team, fact.outcome
        yield [
            fact.semester.code,
            t.leerkring_name or "",
            t.opdracht_title,
            t.team_number,
            ", ".join(localized_name(x) for x in view.theme_names.get(t.opdracht_id, [])),
            ", ".join(localized_name(x) for x in view.group_names.get(t.opdracht_id, [])),
            fact.students,
            ", ".join(sorted(fact.programmes)),
            fact.deliverables,
            o.usefulness if o and o.usefulness is not None else "",
            _(PLANS[o.partner_plan]) if o and o.partner_plan else "",
            _(lazy("yes")) if o and o.follow_up else "",
            _(lazy("yes")) if t.opdracht_id in view.continued_ids else "",
        ]


def to_csv(view: Overview) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_(h) for h in HEADER])
    for row in rows(view):
        writer.writerow([safe(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(view: Overview) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _(lazy("Impact"))
    sheet.append([_(h) for h in HEADER])
    for row in rows(view):
        sheet.append([safe(v) for v in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
