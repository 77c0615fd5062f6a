"""Exact interprofessional team formation (pure library: stdlib, numpy, scipy).

Public API: :func:`parse_problem`, :func:`load`, :func:`solve`, :func:`check`,
:func:`dump`, :func:`dumps`, :class:`Problem`, :class:`Result`, :class:`ProblemError`,
:class:`Violation`, :class:`Explanation`, :class:`Group`.
"""

from app.matching.checker import check, pair_rules, placement_cost, team_rules
from app.matching.codes import Explanation, Violation
from app.matching.problem import (
    Assignment,
    Costs,
    Group,
    Problem,
    ProblemError,
    Student,
    parse_problem,
)
from app.matching.result import Result, Team, dump, dumps, load
from app.matching.solver import solve

__all__ = [
    "Assignment",
    "Costs",
    "Explanation",
    "Group",
    "Problem",
    "ProblemError",
    "Result",
    "Student",
    "Team",
    "Violation",
    "check",
    "dump",
    "dumps",
    "load",
    "pair_rules",
    "parse_problem",
    "placement_cost",
    "solve",
    "team_rules",
]
