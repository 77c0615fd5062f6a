"""Reading CSV and XLSX exports: encodings, separators, allowlisted columns, line numbers."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from app.errors import InvalidInput
from app.student_import.parse import MAX_BYTES, read_rows

pytestmark = pytest.mark.nodb
HEADER = "studentnummer;naam;e-mail;opleiding;jaar;leerkring"


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_utf8_with_bom_and_semicolons():
    content = ("\ufeff" + HEADER + "\r\n1001;Student 001;s1@example.org;SW;2;Liemers\r\n").encode()
    (row,) = read_rows("export.csv", content)
    assert row.line == 2
    assert row.values == {
        "student_number": "1001",
        "name": "Student 001",
        "email": "s1@example.org",
        "programme": "SW",
        "year": "2",
        "leerkring": "Liemers",
    }


def test_commas_english_headers_and_quoted_fields():
    content = b'Student number,Name,Email,Programme,Year\n1002,"Student, 002",s2@example.org,VP,3\n'
    (row,) = read_rows("EXPORT.CSV", content)
    assert row.values["name"] == "Student, 002"
    assert row.values["year"] == "3"


def test_columns_outside_the_allowlist_are_never_read():
    content = (
        HEADER + ";adres;geboortedatum\n1003;S;s@example.org;SW;2;;Straat 1;2004-01-01\n"
    ).encode()
    (row,) = read_rows("a.csv", content)
    assert set(row.values) == {"student_number", "name", "email", "programme", "year", "leerkring"}
    assert "Straat 1" not in row.values.values()


def test_line_numbers_count_the_header_blank_lines_and_multiline_fields():
    content = (
        HEADER + '\n1;A;a@x.org;SW;2;\n\n2;"B\nB";b@x.org;SW;2;\n3;C;c@x.org;SW;2;\n'
    ).encode()
    assert [r.line for r in read_rows("a.csv", content)] == [2, 4, 6]


def test_windows_1252_from_dutch_excel_is_read():
    content = (HEADER + "\n1;Student Ëlla;e@x.org;Voeding en Diëtetiek;2;\n").encode("cp1252")
    (row,) = read_rows("a.csv", content)
    assert row.values["programme"] == "Voeding en Diëtetiek"


def test_xlsx_rows_with_numbers_as_cells():
    content = xlsx(
        [
            ["Studentnummer", "Naam", "E-mail", "Opleiding", "Jaar", "Notitie"],
            [1004, "Student 004", "s4@example.org", "FT", 2.0, "vertrouwelijk"],
            [None, None, None, None, None, None],
            [1005, "Student 005", "s5@example.org", "LO", 3, None],
        ]
    )
    rows = read_rows("export.xlsx", content)
    assert [r.line for r in rows] == [2, 4]
    assert rows[0].values["student_number"] == "1004"
    assert rows[0].values["year"] == "2"
    assert "vertrouwelijk" not in str(rows)


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("students.txt", b"a;b", "CSV or XLSX"),
        ("students", b"a;b", "CSV or XLSX"),
        ("students.xlsx", b"not a zip", "XLSX"),
        ("students.csv", b"", "empty"),
        ("students.csv", b"naam;e-mail\nA;a@x.org\n", "studentnummer, opleiding, jaar"),
        ("students.csv", b"x" * (MAX_BYTES + 1), "2 MB"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(filename: str, content: bytes, message: str):
    with pytest.raises(InvalidInput) as caught:
        read_rows(filename, content)
    assert message in caught.value.message.format(**caught.value.params)
