"""Structured verdicts: rule violations found by ``check`` and explanations of ``solve``.

Both carry a code and the ids and numbers that go with it, never a sentence: the web app
puts them into words in the user's language (``docs/matching.md`` lists every code).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

# Parameter values: ids, numbers, flags and lists of them (everything JSON can hold).
Param = str | int | bool | None | list[str] | list[int]


@dataclass(frozen=True)
class Violation:
    """One broken rule of a result, by kind, with the ids and numbers involved.

    ``value`` is what the result has (members, students of a programme, a year, a claimed
    objective) and ``limit`` what the rule allows or the checker computed; fields that do
    not apply to a kind stay ``None`` (see ``docs/matching.md`` for the kinds).
    """

    kind: str
    student: str | None = None
    assignment: str | None = None
    team: int | None = None
    programme: str | None = None
    group: str | None = None
    value: int | None = None
    limit: int | None = None
    years: tuple[int, ...] | None = None
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The fields that apply, as JSON-ready data (``kind`` always present)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v is not None:
                out[f.name] = list(v) if isinstance(v, tuple) else v
        return out

    def __str__(self) -> str:
        """A compact ``kind key=value ...`` line for logs and the command line."""
        rest = " ".join(f"{k}={v}" for k, v in self.to_dict().items() if k != "kind")
        return f"{self.kind} {rest}".rstrip()


@dataclass(frozen=True)
class Explanation:
    """A code with parameters; ``reasons`` holds nested explanations (one per higher choice,
    or one per conflict of an infeasible instance)."""

    code: str
    params: Mapping[str, Param] = field(default_factory=dict)
    reasons: tuple[Explanation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """``{"code", "params"}`` plus ``"reasons"`` when there are any."""
        out: dict[str, Any] = {"code": self.code, "params": dict(self.params)}
        if self.reasons:
            out["reasons"] = [r.to_dict() for r in self.reasons]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Explanation:
        """The inverse of :meth:`to_dict`."""
        return cls(
            str(data["code"]),
            dict(data.get("params") or {}),
            tuple(cls.from_dict(r) for r in data.get("reasons") or ()),
        )


def explanation(code: str, *reasons: Explanation, **params: Param) -> Explanation:
    """Shorthand for ``Explanation(code, params, reasons)``."""
    return Explanation(code, params, tuple(reasons))
