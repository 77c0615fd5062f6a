"""Count the functions in ``app/`` that run over a number of lines (40 unless told).

``python scripts/long_functions.py [--over N] [--list]``: prints the count and, with
``--list``, each long function as ``path:line name length``, longest first. A function's
length runs from its ``def`` (decorators left out) to its last line, docstring included.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def long_functions(root: Path, over: int) -> list[tuple[int, str, int, str]]:
    """(length, path, line, name) of every function under ``root`` longer than ``over``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > over:
                    found.append((length, str(path.relative_to(ROOT)), node.lineno, node.name))
    return sorted(found, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--over", type=int, default=40)
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    found = long_functions(ROOT / "app", args.over)
    total = sum(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for path in (ROOT / "app").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    )
    print(f"{len(found)} of {total} functions in app/ run over {args.over} lines")
    if args.list:
        for length, path, line, name in found:
            print(f"  {path}:{line} {name} {length}")


if __name__ == "__main__":
    main()
