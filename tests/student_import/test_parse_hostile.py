"""Broken and hostile files for the import parsers: every one is a clear refusal
(``InvalidInput``, the app's 422), never another exception (a 500)."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import InvalidInput
from app.student_import.parse import read_rows
from tests.student_import.test_parse import xlsx

pytestmark = pytest.mark.nodb
HEADER = "studentnummer;naam;e-mail;opleiding;jaar"
WORKBOOK = xlsx(
    [["studentnummer", "naam", "e-mail", "opleiding", "jaar"], ["1001", "A", "a@b.nl", "SW", 2]]
)
PARTS = zipfile.ZipFile(io.BytesIO(WORKBOOK)).namelist()


def _refused(name: str, content: bytes) -> str:
    with pytest.raises(InvalidInput) as refused:
        read_rows(name, content)
    return str(refused.value.message)


def _rezip(replace: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(WORKBOOK))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name in source.namelist():
            archive.writestr(name, replace.get(name, source.read(name)))
    return buffer.getvalue()


def _set_in_every_header(content: bytes, *, offset: int, value: int) -> bytes:
    """Write a 16-bit field into every local and central directory header of the zip."""
    data = bytearray(content)
    for signature, base in ((b"PK\x03\x04", 0), (b"PK\x01\x02", 2)):
        start = data.find(signature)
        while start != -1:
            struct.pack_into("<H", data, start + base + offset, value)
            start = data.find(signature, start + 4)
    return bytes(data)


def test_a_csv_field_over_the_csv_modules_limit_is_refused():
    content = f"{HEADER}\n1001;{'x' * 131_073};a@b.nl;SW;2\n".encode()
    assert _refused("students.csv", content).startswith("A field of the CSV file is too long")


# The parts openpyxl reads; it ignores the others (the application properties, the theme, the
# package relationships), so a workbook whose broken part is one of those is still read.
NEEDED = (
    "[Content_Types].xml",
    "docProps/core.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "xl/worksheets/sheet1.xml",
)
BROKEN_XML = b"<?xml version='1.0'?><broken><unclosed"


@pytest.mark.parametrize("part", PARTS)
def test_broken_xml_in_any_part_of_a_workbook_is_refused_or_ignored(part: str):
    content = _rezip({part: BROKEN_XML})
    if part in NEEDED:
        assert (
            _refused("students.xlsx", content) == "The file could not be read as an XLSX workbook."
        )
    else:
        assert [r.values["student_number"] for r in read_rows("students.xlsx", content)] == ["1001"]


def test_the_needed_parts_are_in_the_sample_workbook():
    assert set(NEEDED) <= set(PARTS)


def test_an_encrypted_workbook_is_refused():
    encrypted = _set_in_every_header(WORKBOOK, offset=6, value=0x1)  # general purpose flag
    assert _refused("students.xlsx", encrypted).startswith("The workbook is encrypted")


def test_an_unknown_compression_method_is_refused():
    odd = _set_in_every_header(WORKBOOK, offset=8, value=99)  # 99: AES, which zipfile lacks
    assert _refused("students.xlsx", odd).startswith("The workbook is compressed")


def _read_or_refused(name: str, content: bytes) -> str:
    """ "read" or "refused" (InvalidInput); any other exception fails the test."""
    try:
        rows = read_rows(name, content)
    except InvalidInput:
        return "refused"
    assert isinstance(rows, list)
    return "read"


def _corrupt(content: bytes, data: st.DataObject) -> bytes:
    """The file with a few bytes overwritten, a slice cut out, or cut short."""
    buffer = bytearray(content)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(buffer) - 1))
        kind = data.draw(st.sampled_from(["flip", "cut", "truncate"]))
        if kind == "flip":
            buffer[at] = data.draw(st.integers(0, 255))
        elif kind == "cut":
            del buffer[at : at + data.draw(st.integers(1, 64))]
        else:
            del buffer[at:]
        if not buffer:
            break
    return bytes(buffer)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=st.data())
def test_a_corrupted_workbook_is_read_or_refused_never_an_error(data: st.DataObject):
    content = _corrupt(WORKBOOK, data)
    assert _read_or_refused("students.xlsx", content) in ("read", "refused")


@FUZZ
@given(data=st.data())
def test_a_corrupted_workbook_part_is_read_or_refused_never_an_error(data: st.DataObject):
    part = data.draw(st.sampled_from(PARTS))
    source = zipfile.ZipFile(io.BytesIO(WORKBOOK)).read(part)
    assert _read_or_refused("students.xlsx", _rezip({part: _corrupt(source, data)})) in (
        "read",
        "refused",
    )


@FUZZ
@given(
    text=st.text(
        st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=300
    ),
    field_size=st.sampled_from([0, 10, 131_073]),
)
def test_a_hostile_csv_is_read_or_refused_never_an_error(text: str, field_size: int):
    field = '"' + "y" * field_size  # an opening quote that never closes
    content = f"{HEADER}\n{text}\n1001;{field};a@b.nl;SW;2\n{text}".encode()
    assert _read_or_refused("students.csv", content) in ("read", "refused")
