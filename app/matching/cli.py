"""Command line: ``python -m app.matching solve|check|generate``.

Exit codes: 0 optimal or feasible (or a passing check), 1 infeasible / no solution found /
a failing check, 2 input error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from app.matching.checker import check
from app.matching.generate import generate
from app.matching.problem import ProblemError
from app.matching.result import dumps, load, read_json
from app.matching.solver import solve

OK, NO_SOLUTION, INPUT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app.matching", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("solve", help="solve an instance, print or write the result JSON")
    s.add_argument("instance")
    s.add_argument("-o", "--output", help="write the result here instead of stdout")
    s.add_argument("--time-limit", type=float, default=None, help="seconds of search")
    s.add_argument(
        "--timings",
        action="store_true",
        help="fill stats.seconds (the output is then no longer byte-identical between runs)",
    )
    c = sub.add_parser("check", help="list every rule a result breaks")
    c.add_argument("instance")
    c.add_argument("result")
    g = sub.add_parser("generate", help="print a random instance")
    g.add_argument("--students", type=int, required=True)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument(
        "--groups",
        type=float,
        default=0.0,
        help="share of the students in groups of 2-3 who share a ranking (default 0)",
    )
    return parser


def _solve(args: argparse.Namespace) -> int:
    result = solve(load(args.instance), time_limit=args.time_limit)
    text = dumps(result, timings=args.timings)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return OK if result.status in ("optimal", "feasible") else NO_SOLUTION


def _check(args: argparse.Namespace) -> int:
    problem = load(args.instance)
    data = read_json(args.result)
    if not isinstance(data, dict):
        raise ProblemError([f"{args.result} is not a result object"])
    problems = check(problem, data)
    for violation in problems:
        print(violation)
    if not problems:
        print(f"ok: {data.get('status')}, objective {data.get('objective')}")
    return NO_SOLUTION if problems or data.get("status") not in ("optimal", "feasible") else OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "solve":
            return _solve(args)
        if args.command == "check":
            return _check(args)
        if args.students < 0:
            raise ProblemError(["--students must not be negative"])
        if not 0 <= args.groups <= 1:
            raise ProblemError(["--groups must be between 0 and 1"])
        instance = generate(args.students, args.seed, args.groups)
        sys.stdout.write(json.dumps(instance, indent=2) + "\n")
        return OK
    except ProblemError as exc:
        for message in exc.messages:
            print(f"error: {message}", file=sys.stderr)
        return INPUT_ERROR
