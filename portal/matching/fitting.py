"""Fitting the score components' weights to labelled outcomes, by a fixed procedure
shared by developers (bench/fit_weights.py, on development sets) and installations
(`flask --app wsgi match-refit`, on members' outcomes).

Coordinate ascent, deterministic: from the current weights, for each component in turn
try its weight × 0, 0.5, 0.75, 1.33, 2 (renormalised to sum 1, never below the floors);
keep a change that raises the objective by more than 0.001; stop after `rounds` rounds or
a round with no change.
"""
from __future__ import annotations

from collections.abc import Callable

from portal.matching.scoring import COMPONENTS

FACTORS = (0.0, 0.5, 0.75, 1.33, 2.0)
MIN_GAIN = 0.001
# Shares no fit may go below. The taxonomy (and so the coordinators' synonyms) must
# carry a match with no word in common past the recommendation threshold (15 points):
# every required skill covered (coverage 5 points) and a concept cosine of 0.3 (spread to
# √0.3 ≈ 0.55) need concepts ≥ 10 / 55 ≈ 0.18. The majors a post names always count.
MIN_WEIGHTS = {"concepts": 0.18, "coverage": 0.05, "majors": 0.10}

Objective = Callable[[dict[str, float]], float]


def normalised(weights: dict[str, float]) -> dict[str, float]:
    """Weights summing to 1, none below its MIN_WEIGHTS share."""
    floors = {name: MIN_WEIGHTS.get(name, 0.0) for name in weights}
    free = {name: max(0.0, value - floors[name]) for name, value in weights.items()}
    spare = 1.0 - sum(floors.values())
    total = sum(free.values()) or 1.0
    return {name: floors[name] + spare * free[name] / total for name in weights}


def fit(objective: Objective, start: dict[str, float], rounds: int = 3) -> dict[str, float]:
    best = normalised({name: start.get(name, 0.0) for name in COMPONENTS})
    best_value = objective(best)
    for _round in range(rounds):
        changed = False
        for name in COMPONENTS:
            for factor in FACTORS:
                trial = dict(best)
                # A zero weight can grow again: it restarts from a small share.
                trial[name] = trial[name] * factor if trial[name] else 0.05 * factor
                trial = normalised(trial)
                value = objective(trial)
                if value > best_value + MIN_GAIN:
                    best, best_value, changed = trial, value, True
        if not changed:
            break
    return best
