"""The PDF check and storage on their own: first bytes, size, names."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.outcomes import uploads
from tests.outcomes.pdf import pdf


@pytest.mark.nodb
def test_a_pdf_is_stored_under_a_random_name(tmp_path: Path):
    stored = uploads.store_pdf(io.BytesIO(pdf()), folder=tmp_path, max_bytes=1024 * 1024)
    assert stored.stored_name.endswith(".pdf")
    assert (tmp_path / stored.stored_name).read_bytes() == pdf()
    assert uploads.path_of(tmp_path, stored.stored_name) == tmp_path / stored.stored_name


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", uploads.EMPTY),
        (b"<html>%PDF-", uploads.NOT_PDF),
        (pdf(padding=4096), uploads.TOO_LARGE),
    ],
)
def test_refused_uploads_leave_nothing(tmp_path: Path, content: bytes, message: str):
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.store_pdf(io.BytesIO(content), folder=tmp_path, max_bytes=4096)
    assert refused.value.message == message
    assert list(tmp_path.iterdir()) == []  # no partial file either


@pytest.mark.nodb
def test_names_for_the_download_header_and_paths_outside_the_folder(tmp_path: Path):
    assert uploads.safe_name('rap"port\r\n.pdf') == "rap_port__.pdf"
    assert uploads.safe_name("..\\..\\etc\\passwd") == "passwd.pdf"
    assert uploads.safe_name("Verslag Welzijn op Recept.PDF") == "Verslag Welzijn op Recept.PDF"
    assert uploads.path_of(tmp_path, "../secret.pdf") is None
    assert uploads.path_of(tmp_path, ".hidden.part") is None
