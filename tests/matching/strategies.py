"""Hypothesis strategies: tiny random instances that include infeasible ones."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

PROGS = ["FT", "SW", "VP"]


def _prefixes(ranking: list[str]) -> st.SearchStrategy[list[str]]:
    return st.integers(0, len(ranking)).map(lambda k: ranking[:k])


@st.composite
def assignments(draw: st.DrawFn, aid: str) -> dict[str, Any]:
    a: dict[str, Any] = {"id": aid, "teams": draw(st.sampled_from([0, 1, 1, 2, 2]))}
    a["min_size"] = draw(st.integers(1, 3))
    if draw(st.booleans()):
        a["max_size"] = draw(st.integers(a["min_size"], 4))
    if draw(st.booleans()):
        a["max_per_programme"] = draw(st.integers(1, 2))
    a["min_programmes"] = draw(st.integers(1, 2))
    if draw(st.integers(0, 3)) == 0:
        a["required_programmes"] = [draw(st.sampled_from(PROGS))]
    if draw(st.integers(0, 3)) == 0:
        a["years"] = sorted(draw(st.sets(st.integers(1, 3), min_size=1, max_size=2)))
    return a


@st.composite
def groups(draw: st.DrawFn, sids: list[str]) -> list[dict[str, Any]]:
    """Up to two groups of 2-3 distinct students (a student in at most one)."""
    order = draw(st.permutations(sids))
    out: list[dict[str, Any]] = []
    i = 0
    for g in range(draw(st.integers(1, 2))):
        size = draw(st.integers(2, 3))
        if i + size > len(order):
            break
        out.append({"id": f"g{g + 1}", "members": list(order[i : i + size])})
        i += size
    return out


@st.composite
def instances(
    draw: st.DrawFn, objective: str | None = None, max_students: int = 6
) -> dict[str, Any]:
    n_a = draw(st.integers(1, 3))
    aids = [f"a{i}" for i in range(1, n_a + 1)]
    n_s = draw(st.integers(1, max_students))
    students = [
        {
            "id": f"s{i}",
            "programme": draw(st.sampled_from(PROGS)),
            "year": draw(st.integers(1, 3)),
            "ranking": draw(st.permutations(aids).map(lambda p: list(p)).flatmap(_prefixes)),
        }
        for i in range(1, n_s + 1)
    ]
    pairs = [(str(s["id"]), a) for s in students for a in aids]
    locks: dict[str, str] = {}
    for sid, aid in draw(st.lists(st.sampled_from(pairs), max_size=2)):
        locks.setdefault(sid, aid)
    bans = [
        p for p in draw(st.lists(st.sampled_from(pairs), max_size=3)) if locks.get(p[0]) != p[1]
    ]
    costs = {
        "rank": draw(st.lists(st.integers(0, 9), min_size=n_a, max_size=n_a)),
        "unranked": draw(st.one_of(st.none(), st.integers(0, 12))),
        "unplaced": draw(st.one_of(st.none(), st.integers(0, 25))),
    }
    inst: dict[str, Any] = {
        "students": students,
        "assignments": [draw(assignments(a)) for a in aids],
        "locks": [{"student": s, "assignment": a} for s, a in sorted(locks.items())],
        "bans": [{"student": s, "assignment": a} for s, a in sorted(set(bans))],
        "costs": costs,
        "objective": objective or "sum",
    }
    if draw(st.integers(0, 2)) > 0:
        inst["groups"] = draw(groups([str(s["id"]) for s in students]))
    if draw(st.integers(0, 3)) == 0:
        costs["move"] = draw(st.integers(0, 10))
        prev = draw(
            st.lists(
                st.tuples(st.sampled_from([str(s["id"]) for s in students]), st.sampled_from(aids)),
                max_size=n_s,
            )
        )
        members: dict[str, list[str]] = {}
        for sid, aid in dict(prev).items():
            members.setdefault(aid, []).append(sid)
        inst["previous"] = {
            "teams": [
                {"assignment": a, "team": 1, "members": m} for a, m in sorted(members.items())
            ]
        }
    return inst
