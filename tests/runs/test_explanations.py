from __future__ import annotations

from app.matching import parse_problem, solve
from app.runs.explanations import as_text


def test_stored_codes_read_as_the_old_lines_and_old_strings_pass_through() -> None:
    problem = parse_problem(
        {
            "students": [
                {"id": "s1", "programme": "FT", "ranking": ["o1", "o2"]},
                {"id": "s2", "programme": "VP", "ranking": ["o1", "o2"]},
            ],
            "assignments": [{"id": "o1", "max_size": 1}, {"id": "o2", "max_size": 1}],
            "costs": {"rank": [0, 1], "unplaced": 10},
        }
    )
    stored = solve(problem).to_dict()["explanations"]
    assert as_text(stored["s2"]) == "choice 2 (o2): choice 1 o1 is full (1 team(s) of at most 1)"
    assert as_text("unplaced: ranked no assignments") == "unplaced: ranked no assignments"
    assert as_text({"code": "unplaced", "params": {}}) == "unplaced: ranked no assignments"
