"""A brute-force reference solver for tiny instances, written from the issue text alone."""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

NONE = None


def _options(inst: dict[str, Any], s: dict[str, Any]) -> list[str | None]:
    costs = inst["costs"]
    locks = {lk["student"]: lk["assignment"] for lk in inst.get("locks", [])}
    if s["id"] in locks:
        return [locks[s["id"]]]
    bans = {(b["student"], b["assignment"]) for b in inst.get("bans", [])}
    out: list[str | None] = []
    for a in inst["assignments"]:
        if (s["id"], a["id"]) in bans or a.get("teams", 1) == 0:
            continue
        if a.get("years") is not None and s.get("year") not in a["years"]:
            continue
        if a["id"] in s.get("ranking", []) or costs.get("unranked") is not None:
            out.append(a["id"])
    if costs.get("unplaced") is not None:
        out.append(NONE)
    return out


def _team_ok(a: dict[str, Any], progs: list[str]) -> bool:
    c = Counter(progs)
    if len(progs) < a.get("min_size", 1):
        return False
    if a.get("max_size") is not None and len(progs) > a["max_size"]:
        return False
    mpp = a.get("max_per_programme")
    if mpp is not None and max(c.values()) > mpp:
        return False
    if len(c) < a.get("min_programmes", 1):
        return False
    return all(c[p] > 0 for p in a.get("required_programmes", []))


def teamable(a: dict[str, Any], units: tuple[tuple[str, ...], ...], memo: dict[Any, bool]) -> bool:
    """Whether these units (the programmes of one student, or of one group's members, who
    share a team) split into at most ``teams`` valid teams."""
    key = (a["id"], units)
    if key not in memo:
        teams = a.get("teams", 1)
        memo[key] = not units or any(
            all(
                _team_ok(
                    a, [p for u, lab in zip(units, labels, strict=True) if lab == t for p in u]
                )
                for t in set(labels)
            )
            for labels in itertools.product(range(teams), repeat=len(units))
        )
    return memo[key]


def cost_and_category(inst: dict[str, Any], s: dict[str, Any], aid: str | None) -> tuple[int, int]:
    costs = inst["costs"]
    k = len(costs["rank"])
    ranking = s.get("ranking", [])
    if aid is None:
        return costs["unplaced"], k + 2
    prev = {}
    for t in (inst.get("previous") or {}).get("teams", []):
        for m in t["members"]:
            prev[m] = t["assignment"]
    move = costs.get("move", 0) if s["id"] in prev and prev[s["id"]] != aid else 0
    if aid in ranking:
        r = ranking.index(aid)
        return costs["rank"][r] + move, r + 1
    return (costs.get("unranked") or 0) + move, k + 1


def brute_force(inst: dict[str, Any]) -> tuple[int, tuple[int, ...]] | None:
    """Best (objective, profile key) under the instance's objective, or None if infeasible."""
    students = inst["students"]
    by_id = {a["id"]: a for a in inst["assignments"]}
    k = len(inst["costs"]["rank"])
    memo: dict[Any, bool] = {}
    best: tuple[tuple[int, ...], int] | None = None
    group_of = {m: g["id"] for g in inst.get("groups", []) for m in g["members"]}
    for choice in itertools.product(*[_options(inst, s) for s in students]):
        where: dict[str, set[str | None]] = {}
        units: dict[str, dict[str, list[str]]] = {}
        for s, aid in zip(students, choice, strict=True):
            unit = group_of.get(s["id"], "single " + s["id"])
            where.setdefault(unit, set()).add(aid)
            if aid is not None:
                units.setdefault(aid, {}).setdefault(unit, []).append(s["programme"])
        if any(len(w) > 1 for w in where.values()):
            continue  # a group's members on different assignments, or some unplaced
        if not all(
            teamable(by_id[a], tuple(sorted(tuple(sorted(u)) for u in us.values())), memo)
            for a, us in units.items()
        ):
            continue
        pairs = [cost_and_category(inst, s, a) for s, a in zip(students, choice, strict=True)]
        total = sum(c for c, _ in pairs)
        cats = Counter(cat for _, cat in pairs)
        objective = inst.get("objective", "sum")
        if objective == "greedy":
            key = tuple(-cats[c] for c in range(1, k + 2))
        elif objective == "generous":
            key = tuple(cats[c] for c in range(k + 2, 1, -1))
        else:
            key = ()
        cand = (*key, total)
        if best is None or cand < best[0]:
            best = (cand, total)
    if best is None:
        return None
    return best[1], best[0][:-1]


def profile_key(inst: dict[str, Any], result: dict[str, Any]) -> tuple[int, ...]:
    k = len(inst["costs"]["rank"])
    h = result["stats"]["rank_histogram"]
    cats = {r: h[str(r)] for r in range(1, k + 1)}
    cats[k + 1], cats[k + 2] = h["unranked"], h["unplaced"]
    if inst.get("objective") == "greedy":
        return tuple(-cats[c] for c in range(1, k + 2))
    if inst.get("objective") == "generous":
        return tuple(cats[c] for c in range(k + 2, 1, -1))
    return ()
