"""The rules behind the matching settings: presets of rank costs, when settings are locked,
and the record of the settings a run used.

Settings can change until the semester's first run (one queued, running or finished with
teams; a failed run does not count: the admin may need other costs to make the match
feasible). Starting a run and saving the settings both take the semester's row lock first
(``lock_semester``), so a save and a run at the same moment happen one after the other: the
run uses the saved settings, or the save sees the run and is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session, col, select

from app.i18n import lazy
from app.models import MatchRun, RunStatus, Semester

MAX_RANKS = 20  # the semester form's limit on number_of_ranks
MAX_COST = 100_000
LOCKING_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.SUCCEEDED)


def _linear(n: int) -> list[int]:
    return list(range(n))


def _heavy_after_three(n: int) -> list[int]:
    """Small steps up to choice 3, then ten per choice: choices 4 and later are a last resort."""
    return [r if r < 3 else 10 * (r - 1) for r in range(n)]


def _triangular(n: int) -> list[int]:
    """0, 1, 3, 6, 10: each choice costs one more than the step before (the app's default)."""
    return [r * (r + 1) // 2 for r in range(n)]


PRESETS: dict[str, Callable[[int], list[int]]] = {
    "linear": _linear,
    "heavy_after_3": _heavy_after_three,
    "default": _triangular,
}
PRESET_LABELS = {
    "linear": lazy("Linear: every next choice costs one more"),
    "heavy_after_3": lazy("Heavy after choice 3: choices 4 and later cost much more"),
    "default": lazy("Growing (the default): each step costs more than the one before"),
    "custom": lazy("Custom: your own cost per choice"),
}


def preset_of(costs: list[int]) -> str:
    """The preset whose costs these are, or ``custom``."""
    for name, make in PRESETS.items():
        if make(len(costs)) == list(costs):
            return name
    return "custom"


def lock_semester(session: Session, semester: Semester) -> Semester:
    """Take the semester's row lock for the rest of the transaction and read it afresh.

    PostgreSQL: ``SELECT ... FOR UPDATE``, so a concurrent save or run start waits. SQLite:
    every transaction begins with BEGIN IMMEDIATE, so writers already go one at a time.
    """
    stmt = (
        select(Semester)
        .where(Semester.id == semester.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).one()


def first_run(session: Session, semester: Semester) -> MatchRun | None:
    """The semester's first run that locks the settings, if any."""
    stmt = select(MatchRun).where(
        MatchRun.semester_id == semester.id, col(MatchRun.status).in_(LOCKING_STATUSES)
    )
    return session.exec(stmt.order_by(col(MatchRun.id))).first()


def settings_used(semester: Semester, objective: str) -> dict[str, Any]:
    """The settings a run starts with, stored on the run (``parameters["settings"]``)."""
    fewest, most = semester.ranking_length()
    return {
        "rank_costs": list(semester.rank_costs),
        "unranked_cost": semester.unranked_cost,
        "unplaced_cost": semester.unplaced_cost,
        "move_cost": semester.move_cost,
        "objective": objective,
        "min_ranking_length": fewest,
        "max_ranking_length": most,
        "time_limit_seconds": semester.time_limit_seconds,
    }
