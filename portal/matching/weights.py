"""The score components' weights, kept as data so a refit changes numbers, not code.

The shipped weights (data/weights.json) are fitted by developers with bench/fit_weights.py;
an installation refits from its members' outcomes with `flask --app wsgi match-refit`,
which writes the instance's own file (PORTAL_MATCH_WEIGHTS, default
instance/match-weights.json). That file, when present, wins; every process notices a new
one by its modification time. Each save keeps the weights it replaces, to roll back to.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

WEIGHTS_FILE = Path(__file__).parent / "data" / "weights.json"
KEPT_PREVIOUS = 10

# The installation's refitted weights, set from the configuration by init_app.
instance_file: Path | None = None
_cache: dict[tuple[str, float], dict[str, float]] = {}


def read(path: Path = WEIGHTS_FILE) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != "portal-weights/1":
        raise ValueError(f"{path}: not a portal-weights/1 file")
    total = sum(data["weights"].values())
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"{path}: weights sum to {total}, not 1")
    return data


def active_file() -> Path:
    """The instance's refitted weights if it has any, else the shipped ones."""
    return instance_file if instance_file is not None and instance_file.exists() \
        else WEIGHTS_FILE


def current_weights() -> dict[str, float]:
    path = active_file()
    key = (str(path), path.stat().st_mtime)
    if key not in _cache:
        _cache.clear()
        _cache[key] = dict(read(path)["weights"])
    return dict(_cache[key])


def _write(data: dict, path: Path) -> None:
    """Write to a temporary file and rename: a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
    os.replace(temporary, path)


def save(weights: dict[str, float], note: str, path: Path | None = None) -> None:
    """Make `weights` (normalised to sum 1) the current ones in `path` (default: the
    instance's file); the weights in force before go first in its list of previous ones."""
    path = path or instance_file or WEIGHTS_FILE
    data = read(path if path.exists() else active_file())
    total = sum(weights.values())
    data["previous"] = [{"note": data["note"], "weights": data["weights"]},
                        *data["previous"]][:KEPT_PREVIOUS]
    data["note"], data["weights"] = note, {k: round(v / total, 4) for k, v in weights.items()}
    largest = max(data["weights"], key=data["weights"].get)
    data["weights"][largest] = round(
        data["weights"][largest] + 1.0 - sum(data["weights"].values()), 4)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(data, path)


def roll_back(path: Path | None = None) -> dict[str, float]:
    """Restore the weights saved before the current ones."""
    path = path or instance_file or WEIGHTS_FILE
    if not path.exists():
        raise ValueError("no refitted weights to roll back")
    data = read(path)
    if not data["previous"]:
        raise ValueError("no previous weights to roll back to")
    restored, *rest = data["previous"]
    data["note"], data["weights"], data["previous"] = restored["note"], restored["weights"], rest
    _write(data, path)
    return dict(data["weights"])


def init_app(app) -> None:  # noqa: ANN001 - Flask app
    global instance_file
    configured = app.config.get("MATCH_WEIGHTS")
    instance_file = Path(configured) if configured else \
        Path(app.instance_path) / "match-weights.json"
