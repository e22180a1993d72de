"""The score components' weights, kept as data (data/weights.json) so that a refit by
bench/fit_weights.py or `flask --app wsgi match-refit` changes numbers, not code. Each
save keeps the weights it replaces, to roll back to."""
from __future__ import annotations

import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

WEIGHTS_FILE = Path(__file__).parent / "data" / "weights.json"
KEPT_PREVIOUS = 10


def read(path: Path = WEIGHTS_FILE) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != "portal-weights/1":
        raise ValueError(f"{path}: not a portal-weights/1 file")
    total = sum(data["weights"].values())
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"{path}: weights sum to {total}, not 1")
    return data


@lru_cache(maxsize=1)
def current_weights() -> dict[str, float]:
    return dict(read()["weights"])


def save(weights: dict[str, float], note: str, path: Path = WEIGHTS_FILE) -> None:
    """Make `weights` (normalised to sum 1) the current ones; the old ones go first in
    the list of previous weights. Written to a temporary file and renamed."""
    total = sum(weights.values())
    data = read(path)
    data["previous"] = [{"note": data["note"], "weights": data["weights"]},
                        *data["previous"]][:KEPT_PREVIOUS]
    data["note"], data["weights"] = note, {k: round(v / total, 4) for k, v in weights.items()}
    drift = 1.0 - sum(data["weights"].values())
    largest = max(data["weights"], key=data["weights"].get)
    data["weights"][largest] = round(data["weights"][largest] + drift, 4)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
    os.replace(temporary, path)
    current_weights.cache_clear()


def roll_back(path: Path = WEIGHTS_FILE) -> dict[str, float]:
    """Restore the weights saved before the current ones."""
    data = read(path)
    if not data["previous"]:
        raise ValueError("no previous weights to roll back to")
    restored, *rest = data["previous"]
    data["note"], data["weights"], data["previous"] = restored["note"], restored["weights"], rest
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    current_weights.cache_clear()
    return dict(data["weights"])
