from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app.matching import check, parse_problem
from app.models import User
from app.runs.exports import safe
from tests import factories as f
from tests.runs.conftest import World
from tests.runs.helpers import run_now


@pytest.mark.nodb
@pytest.mark.parametrize("text", ["=1+1", "+31 6", "-2", "@SUM(A1)", "\tx", "\r=1"])
def test_cells_that_look_like_formulas_are_neutralised(text: str):
    assert safe(text) == "'" + text


@pytest.mark.nodb
def test_other_cells_pass_unchanged():
    assert safe("Welzijn op Recept") == "Welzijn op Recept"
    assert safe(3) == 3


def _hostile(session: Session, world: World) -> None:
    world.opdrachten[0].title = '=HYPERLINK("http://example.org","klik")'
    session.add(world.opdrachten[0])
    user = session.get(User, world.students[0].user_id)
    assert user is not None
    user.name = "@SUM(1+1)"
    session.add(user)
    session.flush()


def test_the_xlsx_export_has_one_row_per_student_and_no_formulas(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    _hostile(session, world)
    f.login(anon, session, world.wijkdocent)
    response = anon.get(f"/runs/{run.id}/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Opdracht", "Leerkring", "Team")
    assert len(rows) == 1 + 8
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert '\'=HYPERLINK("http://example.org","klik")' in {c.value for c in cells}
    assert "'@SUM(1+1)" in {c.value for c in cells}


def test_the_csv_export_is_excel_friendly_for_dutch_locales(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    _hostile(session, world)
    f.login(anon, session, world.wijkdocent)
    response = anon.get(f"/runs/{run.id}/export.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 8
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_json_exports_work_with_the_solver_checker(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    instance = json.loads(anon.get(f"/runs/{run.id}/export.instance.json").content)
    assert instance == run.parameters["instance"]
    result = json.loads(anon.get(f"/runs/{run.id}/export.result.json").content)
    assert check(parse_problem(instance), result) == []
    assert result["objective"] == run.objective
    assert anon.get(f"/runs/{run.id}/export.pdf").status_code == 422
