#!/usr/bin/env python3
"""Matching quality, component by component, on any data set of the import format.

For each data set: MRR, recall@1, recall@5 and nDCG@5 of every score component alone,
of the full engine, and of the two anchors of shared/tools/eval_matching.py (WRatio,
jieba TF-IDF); then the full engine per sector (the industry of each demand, or of its
organisation), so a regression in one field shows. Scoring runs in this process on the
data as the importer would store it (programmes take their level from their university).
`bench/eval` runs the full engine through the CLI as well, on a fresh database.

Usage: .venv/bin/python bench/eval_report.py [--data D.json --labels L.json]... [--sectors]
With no --data, the shipped development set (../shared/data).
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.matching.normalise import Segmenter  # noqa: E402
from portal.matching.scoring import COMPONENTS, Doc, rank  # noqa: E402
from portal.matching.taxonomy import shipped_taxonomy  # noqa: E402
from portal.postings.importer import LEVEL_EDUCATION, university_level  # noqa: E402

SHARED = ROOT.parent / "shared"
TOOL = SHARED / "tools" / "eval_matching.py"


def _tool():
    spec = importlib.util.spec_from_file_location("eval_matching", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def docs(data: dict) -> tuple[list[Doc], list[Doc], dict[str, str]]:
    """Demands, supplies and each demand's sector, as the importer would store them."""
    orgs = {o["ref"]: o for o in data["organizations"]}
    demands, supplies, sectors = [], [], {}
    for p in data["postings"]:
        org = orgs.get(p["org"], {})
        level = university_level(str(org.get("level", ""))) if org.get("level") else None
        education = (LEVEL_EDUCATION[level].rank
                     if p["type"] == "curriculum" and level is not None else None)
        doc = Doc(ref=p["ref"], kind=p["type"], title=p.get("title", ""),
                  description=p.get("description", ""), skills=p.get("skills", []),
                  courses=p.get("courses", []), major=p.get("major", ""),
                  district=p.get("district") or org.get("district", ""),
                  education_rank=education, headcount=p.get("headcount"),
                  capacity=p.get("capacity"))
        if p["type"] in ("talent_demand", "training_order", "research_topic"):
            demands.append(doc)
            sectors[p["ref"]] = p.get("industry") or org.get("industry") or "?"
        else:
            supplies.append(doc)
    return demands, supplies, sectors


def predictions(demands, supplies, weights=None, top=10) -> list[dict]:
    taxonomy = shipped_taxonomy()
    ranked = rank(demands, supplies, taxonomy, Segmenter(taxonomy.words()), top=top,
                  weights=weights)
    return [{"posting": ref, "matches": [{"posting": m.supply, "score": m.score}
                                         for m in matches]}
            for ref, matches in ranked.items()]


def figures(scores: dict) -> str:
    return (f"{scores['mrr']:.3f}  {scores['recall@1']:.3f}  {scores['recall@5']:.3f}  "
            f"{scores['ndcg@5']:.3f}")


def report(data_path: Path, labels_path: Path, sectors: bool) -> dict[str, float]:
    tool = _tool()
    data, labels = tool.load(data_path), tool.load(labels_path)
    demands, supplies, sector_of = docs(data)
    print(f"\n## {data_path.name}: {len(labels['relevant'])} labelled demands × "
          f"{len(supplies)} supplies")
    print(f"{'':<16}{'mrr':>6}{'r@1':>7}{'r@5':>7}{'ndcg5':>7}")
    results = {}
    rows = [(f"alone: {name}", {name: 1.0}) for name in COMPONENTS] + [("full engine", None)]
    for label, weights in rows:
        scores = tool.score(predictions(demands, supplies, weights), labels)
        results[label] = scores["mrr"]
        print(f"{label:<16}{figures(scores)}")
    for anchor in ("tfidf", "wratio"):
        scores = tool.score(tool.baseline(data, 10, anchor), labels)
        results[anchor] = scores["mrr"]
        print(f"{'anchor: ' + anchor:<16}{figures(scores)}")
    print(f"full − tfidf: {results['full engine'] - results['tfidf']:+.3f}")
    if sectors:
        full = predictions(demands, supplies)
        print("per sector (full engine):")
        groups: dict[str, list[str]] = {}
        for ref in labels["relevant"]:
            groups.setdefault(sector_of.get(ref, "?"), []).append(ref)
        for sector, refs in sorted(groups.items(), key=lambda item: -len(item[1])):
            subset = {"relevant": {ref: labels["relevant"][ref] for ref in refs}}
            print(f"  {sector:<24} n={len(refs):<4} mrr {tool.score(full, subset)['mrr']:.3f}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", action="append", type=Path, default=[])
    parser.add_argument("--labels", action="append", type=Path, default=[])
    parser.add_argument("--sectors", action="store_true", help="the full engine per sector")
    args = parser.parse_args()
    if len(args.data) != len(args.labels):
        parser.error("give one --labels for each --data")
    sets = list(zip(args.data, args.labels, strict=True)) or [
        (SHARED / "data" / "matching-dev.json", SHARED / "data" / "matching-dev-labels.json")]
    for data_path, labels_path in sets:
        report(data_path, labels_path, args.sectors)


if __name__ == "__main__":
    main()
