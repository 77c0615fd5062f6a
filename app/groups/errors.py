"""The refusal of a group change: a form message naming its field, with plural forms."""

from __future__ import annotations

from typing import Any

from app.errors import InvalidInput
from app.i18n import gettext as _
from app.i18n import ngettext


class GroupRefused(InvalidInput):
    """Why a group cannot be formed, joined, left or shared; ``field`` is the form field the
    message belongs to (``code``, ``group``, ``share``, ``reason``). ``message`` is an English
    id, or a ``nlazy`` pair translated with the count ``n``."""

    def __init__(
        self, message: str | tuple[str, str], *, field: str = "group", n: int = 1, **params: Any
    ) -> None:
        self.forms = message if isinstance(message, tuple) else (message, "")
        super().__init__(self.forms[0], **params)
        self.field, self.n = field, n

    def translated(self) -> str:
        singular, plural = self.forms
        text = ngettext(singular, plural, self.n) if plural else _(singular)
        return text.format(n=self.n, **self.params)
