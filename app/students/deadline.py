"""The time left until a deadline, in words ("nog 3 dagen en 4 uur")."""

from __future__ import annotations

from datetime import datetime

from app.i18n import gettext as _
from app.i18n import ngettext
from app.models import utcnow


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
        parts.append(ngettext("%(num)d day", "%(num)d days", days) % {"num": days})
    if hours:
        parts.append(ngettext("%(num)d hour", "%(num)d hours", hours) % {"num": hours})
    if not days and minutes:
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", minutes) % {"num": minutes})
    text = (
        parts[0]
        if len(parts) == 1
        else _("%(first)s and %(second)s") % {"first": parts[0], "second": parts[1]}
    )
    return _("%(time)s left") % {"time": text}
