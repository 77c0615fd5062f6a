"""Build the solver instance (the JSON contract of ``app.matching``) from the database.

Assignments are the approved opdrachten (id ``o<id>``), students the active student accounts
(id ``s<profile id>``) with their programme code, year and ranking. Locks are the locked
members of the current run, bans the semester's Ban rows, costs and objective the semester's
settings. A re-run with minimal disruption adds the current run's teams as ``previous``.
Groups are the semester's confirmed groups of students who want to work together.
"""

from __future__ import annotations

from typing import Any

from app.runs.load import RunState, SemesterData, okey, skey


def _assignment(info: Any) -> dict[str, Any]:
    o = info.opdracht
    return {
        "id": okey(o.id),
        "teams": o.teams,
        "min_size": o.min_size,
        "max_size": o.max_size,
        "max_per_programme": o.max_per_programme,
        "min_programmes": o.min_programmes,
        "required_programmes": list(info.required),
        # An empty list in the database means "any year", which the format spells null.
        "years": sorted(o.eligible_years) or None,
    }


def result_teams(state: RunState) -> list[dict[str, Any]]:
    """The run's teams in the result format (members sorted by id, as the solver does)."""
    out = []
    for team in state.teams.values():
        members = sorted(skey(m.student_id) for m in state.members.get(team.id or 0, []))
        if members:
            out.append(
                {"assignment": okey(team.opdracht_id), "team": team.index, "members": members}
            )
    return sorted(out, key=lambda t: (t["assignment"], t["team"]))


def _locks(data: SemesterData, current: RunState | None) -> list[dict[str, str]]:
    """The locked members of ``current`` whose student and opdracht are in ``data``."""
    locks = []
    if current is not None:
        for team in current.teams.values():
            for m in current.members.get(team.id or 0, []):
                if (
                    m.locked
                    and team.opdracht_id in data.opdrachten
                    and m.student_id in data.students
                ):
                    locks.append(
                        {"student": skey(m.student_id), "assignment": okey(team.opdracht_id)}
                    )
    return locks


def _bans(data: SemesterData, locks: list[dict[str, str]]) -> list[dict[str, str]]:
    """The semester's bans in the instance, leaving out those a lock overrules."""
    locked = {(lock["student"], lock["assignment"]) for lock in locks}
    return [
        {"student": skey(sid), "assignment": okey(oid)}
        for sid, oid in sorted(data.bans)
        if sid in data.students
        and oid in data.opdrachten
        and (skey(sid), okey(oid)) not in locked  # a lock is the later, explicit decision
    ]


def build_instance(
    data: SemesterData,
    *,
    current: RunState | None = None,
    minimal_disruption: bool = False,
    objective: str | None = None,
) -> dict[str, Any]:
    """The instance dict for ``data``; locks (and ``previous``) come from ``current``."""
    semester = data.semester
    locks = _locks(data, current)
    bans = _bans(data, locks)
    instance: dict[str, Any] = {
        "students": [
            {
                "id": skey(s.id),
                "programme": s.programme.code,
                "year": s.year,
                "ranking": [okey(o) for o in s.ranking],
            }
            for s in data.students.values()
        ],
        "assignments": [_assignment(info) for info in data.opdrachten.values()],
        "locks": sorted(locks, key=lambda lock: lock["student"]),
        "bans": bans,
        "costs": {
            "rank": list(semester.rank_costs),
            "unranked": semester.unranked_cost,
            "unplaced": semester.unplaced_cost,
            "move": semester.move_cost,
        },
        "objective": objective or semester.objective,
    }
    if minimal_disruption and current is not None:
        instance["previous"] = {"teams": result_teams(current)}
    groups = instance_groups(data)
    if groups:
        instance["groups"] = groups
    return instance


def instance_groups(data: SemesterData) -> list[dict[str, Any]]:
    """The semester's confirmed groups (``app.groups``) in the instance format: id ``g<code>``,
    the members that are in the instance. A group left with one such member is no group."""
    out = []
    for code, ids in sorted(data.groups.items()):
        members = [skey(sid) for sid in ids if sid in data.students]
        if len(members) >= 2:
            out.append({"id": f"g{code}", "members": members})
    return out
