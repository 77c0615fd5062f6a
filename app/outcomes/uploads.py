"""Uploaded deliverables: PDF only (checked by the file's first bytes, not its name or the
browser's content type), at most ``upload_max_bytes``, stored under ``upload_dir`` with a
random name; the original name is kept in the database for the download."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from app.i18n import lazy

PDF_MAGIC = b"%PDF-"
_UNSAFE = re.compile(r"[^\w .()-]")
CHUNK = 64 * 1024
NOT_PDF = lazy("The file is not a PDF. Upload a PDF file or give a link.")
TOO_LARGE = lazy("The file is larger than %(mb)s MB.")
EMPTY = lazy("The file is empty.")


class UploadRefused(Exception):
    def __init__(self, message: str, **params: int) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    size: int


def store_pdf(stream: BinaryIO, *, folder: Path, max_bytes: int) -> StoredFile:
    """Copy ``stream`` into ``folder`` if it is a PDF of at most ``max_bytes``; on refusal
    nothing stays behind."""
    head = stream.read(len(PDF_MAGIC))
    if not head:
        raise UploadRefused(EMPTY)
    if head != PDF_MAGIC:
        raise UploadRefused(NOT_PDF)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.pdf"
    partial = folder / f".{name}.part"
    size = len(head)
    try:
        with partial.open("wb") as out:
            out.write(head)
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRefused(TOO_LARGE, mb=max_bytes // (1024 * 1024))
                out.write(chunk)
        os.replace(partial, folder / name)
    finally:
        partial.unlink(missing_ok=True)
    return StoredFile(name, size)


def safe_name(name: str) -> str:
    """The uploaded file's name for the download header: letters, digits and a few marks."""
    base = Path(name.replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip(" .")[:120]
    return cleaned if cleaned.lower().endswith(".pdf") else f"{cleaned or 'deliverable'}.pdf"


def path_of(folder: Path, stored_name: str) -> Path | None:
    """The stored file, or None when the name is not one of ours or the file is gone."""
    if not stored_name or "/" in stored_name or stored_name.startswith("."):
        return None
    path = folder / stored_name
    return path if path.is_file() else None


def remove(folder: Path, stored_name: str) -> None:
    path = path_of(folder, stored_name)
    if path is not None:
        path.unlink(missing_ok=True)
