"""Demo opdrachten: a few of the closed semester 2026-S1 and many of the current 2026-S2."""

from app.demo.opdrachten import lingewaard_nijmegen_brabant, overbetuwe_liemers_achterhoek
from app.demo.opdrachten.spec import PAST_OPDRACHTEN, OpdrachtSpec

CURRENT_OPDRACHTEN: tuple[OpdrachtSpec, ...] = (
    overbetuwe_liemers_achterhoek.OPDRACHTEN + lingewaard_nijmegen_brabant.OPDRACHTEN
)

__all__ = ["CURRENT_OPDRACHTEN", "PAST_OPDRACHTEN", "OpdrachtSpec"]
