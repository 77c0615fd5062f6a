"""The time left until a deadline, in words ("nog 3 dagen en 4 uur")."""

from __future__ import annotations

from datetime import datetime

from app.i18n import gettext as _
from app.models import utcnow


def _amount(n: int, one: str, many: str) -> str:
    # Two plain (translated) messages rather than ngettext: Dutch needs only one/many here.
    return (one if n == 1 else many) % {"num": n}


def time_left(deadline: datetime | None, now: datetime | None = None) -> str:
    """Whole days and hours (or hours and minutes in the last day); "" once passed or unset."""
    if deadline is None:
        return ""
    seconds = int((deadline - (now or utcnow())).total_seconds())
    if seconds <= 0:
        return ""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = max(1, rest // 60) if not (days or hours) else rest // 60
    parts = []
    if days:
        parts.append(_amount(days, _("%(num)d day"), _("%(num)d days")))
    if hours:
        parts.append(_amount(hours, _("%(num)d hour"), _("%(num)d hours")))
    if not days and minutes:
        parts.append(_amount(minutes, _("%(num)d minute"), _("%(num)d minutes")))
    text = (
        parts[0]
        if len(parts) == 1
        else _("%(first)s and %(second)s") % {"first": parts[0], "second": parts[1]}
    )
    return _("%(time)s left") % {"time": text}
