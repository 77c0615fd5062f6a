"""Synthetic instances shaped like a Zorgalliantie semester (for tests and benchmarks)."""

from __future__ import annotations

from typing import Any

import numpy as np

PROGRAMMES = ("SW", "VP", "FT", "ET", "LO", "VD", "TP")
# Unequal programme sizes: social work and nursing dominate, small paramedical programmes.
_SHARE = np.array([0.30, 0.22, 0.14, 0.11, 0.09, 0.08, 0.06])
RANKS = 10
RANK_COSTS = [r * (r + 1) // 2 for r in range(RANKS)]  # 0, 1, 3, 6, 10, ... (convex)


def _assignments(rng: np.random.Generator, students: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    capacity = 0
    while capacity < 1.2 * students:
        teams = int(rng.choice([1, 1, 1, 2, 2, 3]))
        size = 6  # teams of 3..6 members
        a: dict[str, Any] = {
            "teams": teams,
            "min_size": 3,
            "max_size": size,
            "max_per_programme": 2,
            "min_programmes": 2,
        }
        if rng.random() < 0.15:
            a["required_programmes"] = [str(rng.choice(PROGRAMMES, p=_SHARE))]
        if rng.random() < 0.1:
            a["years"] = [3, 4]
        out.append(a)
        capacity += teams * size
    width = len(str(len(out)))
    for i, a in enumerate(out):
        a["id"] = f"a{i + 1:0{width}d}"
    return out


def _rankings(rng: np.random.Generator, n: int, n_a: int, programme: np.ndarray) -> list[list[int]]:
    # Popularity skew (Zipf-like), plus each assignment appeals more to one programme.
    base = 1.0 / np.arange(1, n_a + 1) ** 0.7
    base = base[rng.permutation(n_a)]
    favourite = rng.integers(0, len(PROGRAMMES), n_a)
    out: list[list[int]] = [[] for _ in range(n)]
    for p in range(len(PROGRAMMES)):
        who = np.nonzero(programme == p)[0]
        w = base * np.where(favourite == p, 3.0, 1.0)
        draws = rng.choice(n_a, size=(len(who), 4 * RANKS), p=w / w.sum())
        for i, row in zip(who, draws, strict=True):
            # dict.fromkeys keeps the first occurrence: sampling without replacement.
            out[int(i)] = list(dict.fromkeys(row.tolist()))[: min(RANKS, n_a)]
    return out


def _groups(
    rng: np.random.Generator, students: list[dict[str, Any]], share: float
) -> list[dict[str, Any]]:
    """Groups of 2-3 covering about ``share`` of the students; members adopt the first
    member's ranking (friends who rank together). At most 2 members share a programme, as
    no generated team holds 3 (the app refuses such a group when it is formed)."""
    order = rng.permutation(len(students)).tolist()
    target = min(round(share * len(students)), len(order))
    out: list[dict[str, Any]] = []
    used = 0
    while used + 2 <= target:
        size = min(int(rng.choice([2, 3])), target - used)
        members = [students[i] for i in order[used : used + size]]
        if size == 3 and len({m["programme"] for m in members}) == 1:
            members = members[:2]
        for m in members[1:]:
            m["ranking"] = list(members[0]["ranking"])
        out.append({"id": f"g{len(out) + 1}", "members": sorted(m["id"] for m in members)})
        used += len(members)
    return out


def generate(students: int, seed: int, groups: float = 0.0) -> dict[str, Any]:
    """A random instance; the same ``(students, seed)`` gives the same instance.

    Parameters
    ----------
    students : int
        Number of students.
    seed : int
        Seed of the numpy random generator.
    groups : float
        Share of the students in groups of 2-3 who share a ranking (0: no ``groups`` key,
        and the instance is the same as before groups existed).

    Returns
    -------
    dict
        Instance data in the JSON format (7 programmes, teams of 3..6 with min 3, at most
        2 per programme, at least 2 programmes, capacity about 1.2x, 10 ranks).
    """
    rng = np.random.default_rng(seed)
    assignments = _assignments(rng, students)
    out_students = _students(rng, students, [a["id"] for a in assignments])
    out: dict[str, Any] = {
        "students": out_students,
        "assignments": assignments,
        "locks": [],
        "bans": [],
        "costs": {"rank": RANK_COSTS, "unranked": None, "unplaced": 100},
    }
    if groups > 0:
        out["groups"] = _groups(np.random.default_rng([seed, 1]), out_students, groups)
    return out


def _students(rng: np.random.Generator, students: int, aids: list[str]) -> list[dict[str, Any]]:
    """``students`` random students (programme, year, ranking of assignments ``aids``), with
    ids padded to one width so they sort in number order."""
    programme = rng.choice(len(PROGRAMMES), size=students, p=_SHARE)
    years = rng.choice([1, 2, 3, 4], size=students, p=[0.1, 0.35, 0.3, 0.25])
    ranks = _rankings(rng, students, len(aids), programme)
    width = len(str(students))
    return [
        {
            "id": f"s{i + 1:0{width}d}",
            "programme": PROGRAMMES[int(programme[i])],
            "year": int(years[i]),
            "ranking": [aids[j] for j in ranks[i]],
        }
        for i in range(students)
    ]
