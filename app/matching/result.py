"""The result format, its statistics, and JSON load/dump helpers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.matching.codes import Explanation
from app.matching.problem import Problem, ProblemError, parse_problem

UNRANKED, UNPLACED = "unranked", "unplaced"


@dataclass(frozen=True)
class Team:
    """One formed team: ``team`` numbers the teams of an assignment from 1."""

    assignment: str
    team: int
    members: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    """A solve outcome; ``to_dict`` gives the JSON contract of ``docs/matching.md``."""

    status: str
    objective: int | None
    bound: int | None
    teams: tuple[Team, ...] = ()
    unplaced: tuple[str, ...] = ()
    rank_histogram: Mapping[str, int] = field(default_factory=dict)
    per_programme: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    explanations: Mapping[str, Explanation] = field(default_factory=dict)
    seconds: float = 0.0
    timings: Mapping[str, float] = field(default_factory=dict)

    def placement(self) -> dict[str, str]:
        """Student id to assignment id for every placed student."""
        return {m: t.assignment for t in self.teams for m in t.members}

    def to_dict(self, *, timings: bool = False) -> dict[str, Any]:
        """The result as JSON-ready data.

        Parameters
        ----------
        timings : bool
            Put the wall-clock ``stats.seconds`` in; otherwise it is ``null`` so that the
            same input always gives byte-identical output.

        Returns
        -------
        dict
            Keys ``status, objective, bound, teams, unplaced, stats, explanations``.
        """
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "teams": [
                {"assignment": t.assignment, "team": t.team, "members": list(t.members)}
                for t in self.teams
            ],
            "unplaced": list(self.unplaced),
            "stats": {
                "rank_histogram": dict(self.rank_histogram),
                "per_programme": {p: dict(h) for p, h in self.per_programme.items()},
                "seconds": round(self.seconds, 3) if timings else None,
            },
            "explanations": {k: v.to_dict() for k, v in self.explanations.items()},
        }


def histograms(
    problem: Problem, placement: Mapping[str, str]
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Rank histogram overall and per programme; every key present, zeros included."""
    keys = [str(r) for r in range(1, len(problem.costs.rank) + 1)] + [UNRANKED, UNPLACED]
    total = dict.fromkeys(keys, 0)
    per: dict[str, dict[str, int]] = {}
    for s in problem.students:
        aid = placement.get(s.id)
        if aid is None:
            key = UNPLACED
        elif aid in s.ranking:
            key = str(s.ranking.index(aid) + 1)
        else:
            key = UNRANKED
        total[key] += 1
        per.setdefault(s.programme, dict.fromkeys(keys, 0))[key] += 1
    return total, dict(sorted(per.items()))


def dumps(result: Result, *, timings: bool = False) -> str:
    """Serialise deterministically: sorted keys, two-space indent, trailing newline.

    Examples
    --------
    >>> print(dumps(Result("infeasible", None, None)).splitlines()[1])
      "bound": null,
    """
    return json.dumps(result.to_dict(timings=timings), sort_keys=True, indent=2) + "\n"


def dump(result: Result, path: str | Path, *, timings: bool = False) -> None:
    """Write ``dumps(result)`` to ``path`` (UTF-8)."""
    Path(path).write_text(dumps(result, timings=timings), encoding="utf-8")


def read_json(path: str | Path) -> Any:
    """Read a JSON file, turning unreadable or malformed files into a ProblemError."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProblemError([f"cannot read {Path(path).name}: {exc}"]) from exc


def load(path: str | Path) -> Problem:
    """Read and validate an instance file.

    Parameters
    ----------
    path : str or Path
        A JSON instance.

    Returns
    -------
    Problem

    Raises
    ------
    ProblemError
        If the file is unreadable, not JSON, or not a valid instance.
    """
    return parse_problem(read_json(path))
