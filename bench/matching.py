"""Benchmark of the matching engine on generated instances, side by side with alternatives.

Usage::

    python -m bench.matching                       # 200, 1k, 5k, 20k, 50k students
    python -m bench.matching --sizes 200,1000      # a short run
    python -m bench.matching --quick               # 200 and 1,000, every method
    python -m bench.matching --groups 0.2 --sizes 1000,5000   # with and without groups
    python -m bench.matching --profiles --sizes 1000          # sum, greedy, generous

Each (size, method) runs in its own subprocess so peak memory (ru_maxrss) is per case.
Methods: ``ours`` (``solve``), ``direct`` (the same model straight into ``scipy.optimize.milp``),
``relaxed`` (ours without min_size / min_programmes / required_programmes: a lower bound),
``stable`` (resident-optimal stable matching from the ``matching`` package, team rules ignored).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import replace
from typing import Any

import numpy as np

from app.matching import check, parse_problem, solve
from app.matching.build import build_model
from app.matching.cuts import xy_rows
from app.matching.generate import generate
from app.matching.problem import Problem
from app.matching.teams import deal

METHODS = ("ours", "direct", "relaxed", "stable")


def _hist(problem: Problem, placement: dict[str, str]) -> dict[str, int]:
    h: Counter[str] = Counter()
    for s in problem.students:
        a = placement.get(s.id)
        h[
            "unplaced"
            if a is None
            else str(s.ranking.index(a) + 1)
            if a in s.ranking
            else "unranked"
        ] += 1
    return dict(h)


def _ours(problem: Problem, limit: float) -> dict[str, Any]:
    r = solve(problem, time_limit=limit)
    return {
        "status": r.status,
        "objective": r.objective,
        "bound": r.bound,
        "hist": {k: v for k, v in r.rank_histogram.items() if v},
        "timings": {k: round(v, 2) for k, v in r.timings.items()},
    }


def _relaxed(problem: Problem, limit: float) -> dict[str, Any]:
    loose = tuple(
        replace(a, min_size=1, min_programmes=1, required_programmes=())
        for a in problem.assignments
    )
    return _ours(replace(problem, assignments=loose), limit)


def _direct(problem: Problem, limit: float) -> dict[str, Any]:
    from scipy.optimize import Bounds, LinearConstraint, milp

    m = build_model(problem)
    xy, xy_rhs = xy_rows(m)  # the x <= y cuts that ours adds lazily, all of them up front
    res = milp(
        m.base_cost(),
        constraints=[
            LinearConstraint(m.a_ub, -np.inf, m.b_ub),
            LinearConstraint(xy, -np.inf, xy_rhs),
            LinearConstraint(m.a_eq, m.b_eq, m.b_eq),
        ],
        integrality=m.integrality,
        bounds=Bounds(m.lb, m.ub),
        options={"time_limit": limit, "mip_rel_gap": 0.0},
    )
    has_x = res.x is not None
    status = "optimal" if res.status == 0 else ("feasible" if has_x else "no solution")
    bound = getattr(res, "mip_dual_bound", None)
    return {
        "status": status,
        "objective": round(float(res.fun)) if has_x else None,
        "bound": None if bound is None else int(np.ceil(bound - 1e-6)),
    }


def _stable(problem: Problem, limit: float) -> dict[str, Any]:
    from matching.games import HospitalResident

    banned = set(problem.bans)
    by_id = {a.id: a for a in problem.assignments}

    def ok(s: Any, aid: str) -> bool:
        a = by_id[aid]
        return (s.id, aid) not in banned and a.teams > 0 and (a.years is None or s.year in a.years)

    res_prefs = {s.id: [a for a in s.ranking if ok(s, a)] for s in problem.students}
    hosp_prefs: dict[str, list[str]] = {a.id: [] for a in problem.assignments}
    for sid in sorted(res_prefs):
        for aid in res_prefs[sid]:
            hosp_prefs[aid].append(sid)
    caps = {a.id: a.teams * (a.max_size or len(problem.students)) for a in problem.assignments}
    # The package recurses deeply (deepcopy of player graphs): give it a big stack.
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 29)
    box: dict[str, Any] = {}

    def run() -> None:
        game = HospitalResident.create_from_dictionaries(res_prefs, hosp_prefs, caps)
        box["m"] = game.solve(optimal="resident")

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    matching = box["m"]
    placement = {str(r.name): str(h.name) for h, rs in matching.items() for r in rs}
    cost = problem.costs
    programme = {s.id: s.programme for s in problem.students}
    total = sum(
        cost.rank[s.ranking.index(placement[s.id])] if s.id in placement else cost.unplaced or 0
        for s in problem.students
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for sid, aid in placement.items():
        groups.setdefault(aid, []).append((sid, programme[sid]))
    broken = sum(deal(by_id[a], m) is None for a, m in groups.items())
    return {
        "status": f"{broken} assignments break team rules",
        "objective": total,
        "bound": None,
        "hist": _hist(problem, placement),
    }


def _timed(problem: Problem, limit: float) -> dict[str, Any]:
    """``solve`` and ``check`` with wall and CPU seconds (CPU: the box is shared)."""
    start, cpu = time.perf_counter(), time.process_time()
    r = solve(problem, time_limit=limit)
    out = {
        "status": r.status,
        "objective": r.objective,
        "bound": r.bound,
        "seconds": round(time.perf_counter() - start, 2),
        "cpu": round(time.process_time() - cpu, 2),
        "check": len(check(problem, r)),
        "splits": int(r.timings.get("splits", 0)),
    }
    return out


def compare_groups(n: int, seed: int, share: float, limit: float) -> list[str]:
    """The same instance with and without its groups (members keep the shared rankings)."""
    data = generate(n, seed, share)
    rows = []
    plain = _timed(parse_problem({k: v for k, v in data.items() if k != "groups"}), limit)
    grouped = _timed(parse_problem(data), limit)
    members = sum(len(g["members"]) for g in data["groups"])
    for label, r in (
        ("without groups", plain),
        (f"{members} in {len(data['groups'])} groups", grouped),
    ):
        rows.append(
            f"| {n:,} | {label} | {r['status']} | {r['seconds']} | {r['cpu']} "
            f"| {r['objective']} | {r['bound']} | {r['check']} | {r['splits']} |"
        )
    ratio = grouped["cpu"] / plain["cpu"] if plain["cpu"] else float("nan")
    rows.append(f"<!-- {n} groups/no groups CPU ratio: {ratio:.1f} -->")
    return rows


def compare_profiles(n: int, seed: int, limit: float) -> list[str]:
    """sum, greedy and generous on one generated instance, one after the other."""
    data = generate(n, seed)
    rows, total = [], 0.0
    for objective in ("sum", "greedy", "generous"):
        r = _timed(parse_problem({**data, "objective": objective}), limit)
        total += r["cpu"]
        rows.append(
            f"| {n:,} | {objective} | {r['status']} | {r['seconds']} | {r['cpu']} "
            f"| {r['objective']} | {r['bound']} | {r['check']} |"
        )
    rows.append(f"| {n:,} | all three | | | {total:.2f} | | | |")
    return rows


def run_case(n: int, seed: int, method: str, limit: float) -> dict[str, Any]:
    problem = parse_problem(generate(n, seed))
    start, cpu = time.perf_counter(), time.process_time()
    out = {"ours": _ours, "direct": _direct, "relaxed": _relaxed, "stable": _stable}[method](
        problem, limit
    )
    out["seconds"] = round(time.perf_counter() - start, 2)
    # CPU seconds of this process (all its threads): the box is shared, wall time is noisy.
    out["cpu"] = round(time.process_time() - cpu, 2)
    out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def _spawn(n: int, seed: int, method: str, limit: float) -> dict[str, Any]:
    cmd = [
        sys.executable,
        "-m",
        "bench.matching",
        "--case",
        method,
        "--sizes",
        str(n),
        "--seed",
        str(seed),
        "--time-limit",
        str(limit),
    ]
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=limit * 2 + 120, check=False
        )
    except subprocess.TimeoutExpired:
        return {"status": "killed (timeout)"}
    if done.returncode != 0:
        return {"status": "error: " + done.stderr.strip().splitlines()[-1][:80]}
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _row(n: int, method: str, r: dict[str, Any]) -> str:
    hist = " ".join(
        f"{k}:{v}" for k, v in sorted(r.get("hist", {}).items(), key=lambda kv: (len(kv[0]), kv[0]))
    )
    cells = [
        f"{n:,}",
        method,
        r.get("status", ""),
        str(r.get("seconds", "")),
        str(r.get("cpu", "")),
        str(r.get("peak_mb", "")),
        str(r.get("objective", "")),
        str(r.get("bound", "")),
        hist,
    ]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="200,1000,5000,20000,50000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--time-limit", type=float, default=300.0, help="for ours/relaxed")
    parser.add_argument("--direct-limit", type=float, default=120.0)
    parser.add_argument("--skip-direct-above", type=int, default=20000)
    parser.add_argument("--skip-stable-above", type=int, default=20000)
    parser.add_argument("--quick", action="store_true", help="sizes 200 and 1,000 only")
    parser.add_argument("--case", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument(
        "--groups", type=float, help="compare with and without groups covering this share"
    )
    parser.add_argument("--profiles", action="store_true", help="time sum, greedy, generous")
    args = parser.parse_args()
    sizes = [200, 1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    if args.groups is not None:
        print(
            "| students | instance | status | seconds | CPU s | objective | bound | check "
            "| splits |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for n in sizes:
            print("\n".join(compare_groups(n, args.seed, args.groups, args.time_limit)), flush=True)
        return
    if args.profiles:
        print("| students | objective | status | seconds | CPU s | objective | bound | check |")
        print("|---|---|---|---|---|---|---|---|")
        for n in sizes:
            print("\n".join(compare_profiles(n, args.seed, args.time_limit)), flush=True)
        return
    if args.case:
        print(json.dumps(run_case(sizes[0], args.seed, args.case, args.time_limit)))
        return
    print(
        "| students | method | status | seconds | CPU s | peak MB | objective | bound "
        "| rank histogram |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        for method in args.methods.split(","):
            if method == "direct" and n > args.skip_direct_above:
                print(
                    _row(n, method, {"status": f"skipped (> {args.skip_direct_above:,} students)"})
                )
                continue
            if method == "stable" and n > args.skip_stable_above:
                print(
                    _row(n, method, {"status": f"skipped (> {args.skip_stable_above:,} students)"})
                )
                continue
            limit = args.direct_limit if method == "direct" else args.time_limit
            r = _spawn(n, args.seed, method, limit)
            print(_row(n, method, r), flush=True)
            if "timings" in r:
                print(f"<!-- {n} {method} timings: {r['timings']} -->", flush=True)


if __name__ == "__main__":
    main()
