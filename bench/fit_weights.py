#!/usr/bin/env python3
"""Fit the score components' weights on labelled development data.

The procedure is portal.matching.fitting's (coordinate ascent with documented floors).
The objective is the mean MRR over the data sets given, minus a penalty of 1 × any
shortfall below the TF-IDF anchor + 0.03 on a set (the issue's floor), so no set is
given up for another. Every set's figures are printed before and after; --save writes
the shipped data/weights.json, keeping the previous weights to roll back to.

Usage: .venv/bin/python bench/fit_weights.py --data D.json --labels L.json [...] [--save]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval_report import _tool, docs  # noqa: E402

from portal.matching import weights as weights_file  # noqa: E402
from portal.matching.fitting import fit  # noqa: E402
from portal.matching.normalise import Segmenter  # noqa: E402
from portal.matching.scoring import SupplyIndex, analyse_many  # noqa: E402
from portal.matching.taxonomy import shipped_taxonomy  # noqa: E402

FLOOR_MARGIN = 0.03


class DataSet:
    """One labelled set, analysed once; ranked again for each candidate weighting."""

    def __init__(self, data: Path, labels: Path, taxonomy, segmenter, tool) -> None:
        self.name, self.tool = data.name, tool
        raw, self.labels = tool.load(data), tool.load(labels)
        demands, supplies, _sectors = docs(raw)
        self.demands = analyse_many(demands, taxonomy, segmenter)
        self.supplies = analyse_many(supplies, taxonomy, segmenter)
        self.taxonomy, self.segmenter = taxonomy, segmenter
        self.tfidf = tool.score(tool.baseline(raw, 10, "tfidf"), self.labels)["mrr"]

    def mrr(self, weights: dict[str, float]) -> float:
        index = SupplyIndex(self.supplies, self.taxonomy, self.segmenter,
                            corpus=self.demands, weights=weights)
        ranked = index.rank(self.demands, top=10)
        predictions = [{"posting": ref, "matches": [{"posting": m.supply} for m in found]}
                       for ref, found in ranked.items()]
        return self.tool.score(predictions, self.labels)["mrr"]


def objective(sets: list[DataSet], weights: dict[str, float]) -> tuple[float, list[float]]:
    scores = [s.mrr(weights) for s in sets]
    shortfall = sum(max(0.0, s.tfidf + FLOOR_MARGIN - m) for s, m in zip(sets, scores, strict=True))
    return sum(scores) / len(scores) - shortfall, scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", action="append", type=Path, required=True)
    parser.add_argument("--labels", action="append", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--save", action="store_true")
    args = parser.parse_args()
    taxonomy = shipped_taxonomy()
    segmenter = Segmenter(taxonomy.words())
    tool = _tool()
    sets = [DataSet(data, labels, taxonomy, segmenter, tool)
            for data, labels in zip(args.data, args.labels, strict=True)]
    start = weights_file.read(weights_file.WEIGHTS_FILE)["weights"]
    _, before = objective(sets, start)
    best = fit(lambda weights: objective(sets, weights)[0], start, args.rounds)
    _, after = objective(sets, best)
    print(f"{'set':<28}{'tfidf':>7}{'before':>8}{'after':>8}")
    for s, b, a in zip(sets, before, after, strict=True):
        print(f"{s.name:<28}{s.tfidf:>7.3f}{b:>8.3f}{a:>8.3f}")
    print("weights:", ", ".join(f"{k} {v:.3f}" for k, v in best.items()))
    if args.save:
        weights_file.save(best, "fitted by bench/fit_weights.py on " +
                          ", ".join(s.name for s in sets), weights_file.WEIGHTS_FILE)
        print("saved to", weights_file.WEIGHTS_FILE)


if __name__ == "__main__":
    main()
