"""Untrusted text read as numbers, ids and e-mail addresses: the one place for each rule.

``str.isdigit()`` is true for Unicode digits such as ``²`` that ``int()`` then refuses (a 500),
and ``int()`` itself accepts ``"١٢"``, ``"1_000"`` and surrounding whitespace. Input from a
form, a query, a JSON body or an upload is read here instead: ASCII digits only.
"""

from __future__ import annotations

import json
import re
import unicodedata
from itertools import accumulate

_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_ID = re.compile(r"[0-9]{1,10}")  # an INTEGER column on PostgreSQL holds up to 2**31 - 1
# A practical address: no spaces, quotes, CR/LF or other control characters; a dotted domain.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})+")
MAX_EMAIL_LENGTH = 254


def ascii_int(raw: object) -> int | None:
    """The integer written in ``raw`` (ASCII digits, an optional sign, at most 18 digits,
    spaces around allowed), or None for anything else."""
    if not isinstance(raw, str):
        return None
    text = raw.strip(" \t")
    return int(text) if _INTEGER.fullmatch(text) else None


def parse_id(raw: object) -> int | None:
    """A row id from a query, form or JSON value: ASCII digits that fit an INTEGER column,
    or None (no choice at all). A JSON number is taken as it is when it is a plain int."""
    if type(raw) is int:
        return raw if 0 <= raw < 2**31 else None
    if not isinstance(raw, str):
        return None
    text = raw.strip(" \t")
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if value < 2**31 else None


def normalise_email(raw: str) -> str | None:
    """The address in lower case, or None when it is not one an e-mail header can carry
    (CR or LF anywhere, spaces inside, no dotted domain, over 254 characters)."""
    if "\r" in raw or "\n" in raw:
        return None
    text = raw.strip(" \t").lower()
    if len(text) > MAX_EMAIL_LENGTH or len(text.split("@")[0]) > 64:
        return None
    return text if _EMAIL.fullmatch(text) else None


MAX_JSON_DEPTH = 32  # far more than any body the app takes (the deepest is two levels)
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_OPENING, _CLOSING = b"[{", b"]}"
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _OPENING + _CLOSING)
_STEP = [1 if b in _OPENING else -1 for b in range(256)]


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON in ``body`` nests arrays and objects deeper than ``limit``: checked
    before any parser recurses into it (5,000 levels exhaust Python's stack, a 500)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = _JSON_STRING.sub(b'""', body).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


def load_json(body: bytes) -> object | None:
    """The JSON value in ``body``, or None when it is not JSON or nests too deep."""
    if json_too_deep(body):
        return None
    try:
        value: object = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return value


def slugify(text: str, separator: str = "-") -> str:
    """An ASCII code made of ``text``: lower case, accents dropped, runs of anything else one
    ``separator`` ("Ontwikkelboom: tak één" -> "ontwikkelboom-tak-een")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", separator, ascii_text.lower()).strip(separator)
