"""The matching settings form: what the admin typed, kept as text, and its validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from app.forms import Errors, FieldError, FormInput, parse_int, require_int
from app.i18n import lazy
from app.match_settings.rules import MAX_COST, MAX_RANKS, PRESET_LABELS, PRESETS, preset_of
from app.matching.problem import OBJECTIVES
from app.models import Semester
from app.parsing import ascii_int

TEXT: tuple[str, ...] = ("preset", "rank_costs", "unranked_cost", "unplaced_cost", "objective")
TEXT += ("version",)
TEXT += ("min_ranking_length", "max_ranking_length")
# Field name -> label, so every message in the error summary names its field.
LABELS = {
    "preset": lazy("Cost per choice"),
    "rank_costs": lazy("Own costs per choice"),
    "unranked_cost": lazy("Cost of an unranked placement"),
    "unplaced_cost": lazy("Cost of an unplaced student"),
    "min_ranking_length": lazy("Fewest choices"),
    "max_ranking_length": lazy("Most choices"),
    "objective": lazy("Default fairness profile"),
}


def _costs_text(costs: list[int]) -> str:
    return ", ".join(str(c) for c in costs)


@dataclass
class SettingsForm:
    preset: str = "default"
    rank_costs: str = ""
    unranked_allowed: bool = False
    unranked_cost: str = ""
    unplaced_cost: str = ""
    min_ranking_length: str = ""
    max_ranking_length: str = ""
    objective: str = "sum"
    version: str = ""
    errors: Errors = field(default_factory=dict)

    @classmethod
    def parse(cls, data: FormInput) -> SettingsForm:
        form = cls(unranked_allowed=data.flag("unranked_allowed"))
        for name in TEXT:
            setattr(form, name, data.text(name, 200))
        return form

    @classmethod
    def from_semester(cls, semester: Semester) -> SettingsForm:
        fewest, most = semester.ranking_length()
        costs = list(semester.rank_costs)
        return cls(
            preset=preset_of(costs),
            rank_costs=_costs_text(costs),
            unranked_allowed=semester.unranked_cost is not None,
            unranked_cost="" if semester.unranked_cost is None else str(semester.unranked_cost),
            unplaced_cost="" if semester.unplaced_cost is None else str(semester.unplaced_cost),
            min_ranking_length=str(fewest),
            max_ranking_length=str(most),
            objective=semester.objective,
            version=str(semester.version),
        )

    def costs(self, most: int | None) -> list[int] | None:
        """The cost per choice: the preset's for ``most`` choices, or the typed list."""
        e = self.errors
        if self.preset not in PRESET_LABELS:
            e["preset"] = FieldError(lazy("Choose one of the options."))
            return None
        if self.preset != "custom":
            return PRESETS[self.preset](most) if most is not None else None
        parts = [p.strip() for p in self.rank_costs.replace(";", ",").split(",") if p.strip()]
        values = [ascii_int(p) for p in parts]
        if not parts or any(v is None or not 0 <= v <= MAX_COST for v in values):
            e["rank_costs"] = FieldError(
                lazy("Enter whole numbers from 0 to %(maximum)s, separated by commas."),
                {"maximum": MAX_COST},
            )
            return None
        costs = [v for v in values if v is not None]
        if any(b < a for a, b in pairwise(costs)):
            e["rank_costs"] = FieldError(
                lazy("A later choice cannot cost less than an earlier one.")
            )
        elif most is not None and len(costs) != most:
            e["rank_costs"] = FieldError(
                lazy("Enter one cost for each of the %(n)s choices."), {"n": most}
            )
        return costs

    def validate(self) -> dict[str, Any]:
        """Column values for the semester; messages go to ``self.errors``."""
        e = self.errors
        most = require_int(
            e, "max_ranking_length", self.max_ranking_length, minimum=1, maximum=MAX_RANKS
        )
        fewest = require_int(
            e, "min_ranking_length", self.min_ranking_length, minimum=1, maximum=most or MAX_RANKS
        )
        costs = self.costs(most)
        top = costs[-1] if costs else 0
        unranked = None
        if self.unranked_allowed:
            unranked = require_int(e, "unranked_cost", self.unranked_cost, maximum=MAX_COST)
            if unranked is not None and unranked < top:
                e["unranked_cost"] = FieldError(
                    lazy("An unranked placement cannot cost less than the last choice (%(n)s)."),
                    {"n": top},
                )
        unplaced = parse_int(e, "unplaced_cost", self.unplaced_cost, maximum=MAX_COST)
        floor = max(top, unranked or 0)
        if unplaced is not None and unplaced < floor:
            e["unplaced_cost"] = FieldError(
                lazy("Leaving a student unplaced cannot cost less than placing them (%(n)s)."),
                {"n": floor},
            )
        if self.objective not in OBJECTIVES:
            e["objective"] = FieldError(lazy("Choose a fairness profile."))
        return {
            "rank_costs": costs,
            "unranked_cost": unranked,
            "unplaced_cost": unplaced,
            "number_of_ranks": most,
            # Stored as None when it equals the most: "exactly that many", as before.
            "min_ranking_length": None if fewest == most else fewest,
            "objective": self.objective,
        }
