#!/usr/bin/env python3
"""Matching speed at city scale, and quality with and without candidate pruning.

For N demands × N supplies (synthetic postings written with the taxonomy's Chinese and
English aliases) prints: full recompute time (top 10 both ways: supplies for each demand
and demands for each supply, with explanations), peak memory,
pairs per second, the time to match one newly published demand against N supplies and one new supply
against N demands, and
two ratios measured in the same run: against raw rapidfuzz.process.cdist (fuzz.ratio)
over the same normalised strings (twice: the short fields alone, and all the text the
matcher reads, description included), and against a per-pair Python loop (timed on a
sample, extrapolated). Each N runs in a process of its own so its peak memory is its own.

Usage: .venv/bin/python bench/bench_matching.py [--sizes 1000 5000 20000] [--skip-quality]
       .venv/bin/python bench/bench_matching.py --sizes 20000 --workers 1 2   (the recompute
       split into blocks over worker processes, as MATCH_BLOCKS does: wall time and
       speed-up, cold and with the analyses cached)
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.matching.normalise import Segmenter, normalise  # noqa: E402
from portal.matching.scoring import Doc, SupplyIndex, analyse_many, rank  # noqa: E402
from portal.matching.taxonomy import shipped_taxonomy  # noqa: E402

DEMAND_KINDS = ["talent_demand", "training_order", "research_topic"]
SUPPLY_KINDS = ["curriculum", "curriculum", "mentor_offer"]
ROLES = ["工程师", "技术员", "订单班", "专员", "运维", "engineer", "technician"]
PHRASES = ["负责", "参与", "熟悉", "掌握", "能够独立完成", "配合团队完成", "有相关项目经验"]


def synthetic(n: int, seed: int) -> tuple[list[Doc], list[Doc]]:
    """N demands and N supplies in the taxonomy's sectors (a major and the skills it
    teaches), each written with randomly chosen aliases, Chinese or English."""
    rng = random.Random(seed)
    taxonomy = shipped_taxonomy()
    majors = [c for c in taxonomy.concepts.values() if c.teaches]

    def alias(concept_id: str) -> str:
        return rng.choice(taxonomy.concepts[concept_id].aliases)

    def post(i: int, side: str) -> Doc:
        major = rng.choice(majors)
        skills = [alias(c) for c in rng.sample(major.teaches, min(4, len(major.teaches)))]
        sentence = "，".join(f"{rng.choice(PHRASES)}{alias(c)}"
                            for c in rng.choices(major.teaches, k=4))
        if side == "demand":
            return Doc(ref=f"D{i}", kind=rng.choice(DEMAND_KINDS),
                       title=f"{skills[0]}{rng.choice(ROLES)}", description=sentence,
                       skills=skills, major=rng.choice(major.aliases),
                       headcount=rng.randint(1, 40), district=rng.choice(["闵行区", "浦东新区"]))
        courses = [alias(c) for c in rng.sample(major.teaches, min(6, len(major.teaches)))]
        return Doc(ref=f"S{i}", kind=rng.choice(SUPPLY_KINDS), title=f"{major.aliases[0]}专业",
                   description=sentence, skills=skills, courses=courses,
                   major=major.aliases[0], capacity=rng.randint(20, 200),
                   district=rng.choice(["闵行区", "浦东新区", "奉贤区"]))

    return [post(i, "demand") for i in range(n)], [post(i, "supply") for i in range(n)]


def flat(doc: Doc, description: bool = False) -> str:
    """A posting as one normalised string: its short fields, or all the text the matcher
    reads (with the description)."""
    return normalise(" ".join([doc.title, doc.major, *doc.skills, *doc.courses,
                               doc.description if description else ""]))


def measure(n: int) -> dict:
    from rapidfuzz import fuzz, process

    demands, supplies = synthetic(n, seed=n)
    taxonomy = shipped_taxonomy()
    segmenter = Segmenter(taxonomy.words())
    started = time.perf_counter()
    # As the portal does: every posting analysed in one batch, then both ways ranked.
    everything = analyse_many([*demands, *supplies], taxonomy, segmenter)
    analysed, supplied = everything[:n], everything[n:]
    index = SupplyIndex(supplied, taxonomy, segmenter, corpus=analysed)
    ranking = index.rank_both(analysed, top=10)
    full = time.perf_counter() - started
    assert len(ranking.by_demand) == len(ranking.by_supply) == n

    newcomer = synthetic(1, seed=n + 1)[0][0]
    started = time.perf_counter()
    for _ in range(20):
        index.rank_both([newcomer], top=10, supply_lists=False)
    one = (time.perf_counter() - started) / 20
    # A new supply is ranked against every demand (it may enter any demand's list).
    supply = synthetic(1, seed=n + 2)[1][0]
    started = time.perf_counter()
    for _ in range(5):
        SupplyIndex([supply], taxonomy, segmenter, corpus=analysed).rank_both(
            analysed, top=10, demand_lists=False)
    one_supply = (time.perf_counter() - started) / 5

    left, right = [flat(d) for d in demands], [flat(s) for s in supplies]
    started = time.perf_counter()
    process.cdist(left, right, scorer=fuzz.ratio, workers=-1, dtype="uint8")
    brute = time.perf_counter() - started
    started = time.perf_counter()
    process.cdist([flat(d, True) for d in demands], [flat(s, True) for s in supplies],
                  scorer=fuzz.ratio, workers=-1, dtype="uint8")
    brute_full = time.perf_counter() - started

    sample = 150
    started = time.perf_counter()
    for a in left[:sample]:
        for b in right[:sample]:
            fuzz.WRatio(a, b)
    loop = (time.perf_counter() - started) / (sample * sample) * n * n

    return {"n": n, "full_s": full, "peak_mb": resource.getrusage(resource.RUSAGE_SELF)
            .ru_maxrss / 1024, "pairs_per_s": n * n / full, "one_ms": one * 1000,
            "one_supply_ms": one_supply * 1000,
            "cdist_ratio_s": brute, "cdist_full_s": brute_full, "loop_wratio_s_est": loop}


def block(n: int, blocks: int, which: int) -> dict:
    """One block of a recompute split `blocks` ways, as one worker scores it: every
    posting analysed (a worker with a cold cache), then its share of the demands
    ranked against every supply (what portal.matching.services.match_block does)."""
    demands, supplies = synthetic(n, seed=n)
    taxonomy = shipped_taxonomy()
    segmenter = Segmenter(taxonomy.words())
    started = time.perf_counter()
    everything = analyse_many([*demands, *supplies], taxonomy, segmenter)
    analysed = time.perf_counter()
    index = SupplyIndex(everything[n:], taxonomy, segmenter, corpus=everything[:n])
    index.rank_both(everything[:n][which::blocks], top=20)
    return {"analyse_s": analysed - started, "rank_s": time.perf_counter() - analysed}


def split(n: int, workers: int) -> dict:
    """`workers` processes scoring one block each at once: the wall time, and the time
    when their analyses are already cached (long-lived workers keep them)."""
    started = time.perf_counter()
    children = [subprocess.Popen([sys.executable, __file__, "--block", str(n), str(workers),
                                  str(which)], stdout=subprocess.PIPE, text=True)
                for which in range(workers)]
    results = [json.loads(child.communicate()[0].strip().splitlines()[-1])
               for child in children]
    return {"wall_s": time.perf_counter() - started,
            "warm_s": max(result["rank_s"] for result in results)}


def quality(candidates: int | None) -> str:
    """The development set scored in process, with pruning as shipped or with none."""
    shared = ROOT.parent / "shared"
    sys.path.insert(0, str(shared / "tools"))
    from eval_matching import score  # the same scoring as bench/eval

    data = json.loads((shared / "data" / "matching-dev.json").read_text(encoding="utf-8"))
    labels = json.loads((shared / "data" / "matching-dev-labels.json").read_text(
        encoding="utf-8"))
    docs = [Doc(ref=p["ref"], kind=p["type"], title=p.get("title", ""),
                description=p.get("description", ""), skills=p.get("skills", []),
                courses=p.get("courses", []), major=p.get("major", ""),
                district=p.get("district", ""), headcount=p.get("headcount"),
                capacity=p.get("capacity")) for p in data["postings"]]
    demands = [d for d in docs if d.kind in DEMAND_KINDS]
    supplies = [d for d in docs if d.kind not in DEMAND_KINDS]
    taxonomy = shipped_taxonomy()
    results = rank(demands, supplies, taxonomy, Segmenter(taxonomy.words()), top=10,
                   candidates=candidates or len(supplies))
    predictions = [{"posting": ref, "matches": [{"posting": m.supply, "score": m.score}
                                                for m in matches]}
                   for ref, matches in results.items()]
    figures = score(predictions, labels)
    return (f"mrr {figures['mrr']:.3f}  recall@1 {figures['recall@1']:.3f}  "
            f"recall@5 {figures['recall@5']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--workers", type=int, nargs="+",
                        help="instead: a recompute split over each number of worker "
                             "processes, against one")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process mode
    parser.add_argument("--block", type=int, nargs=3, help=argparse.SUPPRESS)  # n blocks b
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    if args.block:
        print(json.dumps(block(*args.block)))
        return
    if args.workers:
        print(f"{'N':>6} {'workers':>7} {'wall':>8} {'speed-up':>9} {'warm cache':>11} "
              f"{'speed-up':>9}")
        for n in args.sizes:
            one = split(n, 1)
            for workers in args.workers:
                r = one if workers == 1 else split(n, workers)
                print(f"{n:>6} {workers:>7} {r['wall_s']:>7.2f}s "
                      f"{one['wall_s'] / r['wall_s']:>8.2f}x {r['warm_s']:>10.2f}s "
                      f"{one['warm_s'] / r['warm_s']:>8.2f}x", flush=True)
        return

    if not args.skip_quality:
        print(f"quality, candidates pruned to 200: {quality(200)}")
        print(f"quality, every pair scored:        {quality(None)}")
    print(f"{'N':>6} {'recompute':>10} {'peak':>8} {'pairs/s':>11} {'new dem.':>9} "
          f"{'new sup.':>9} {'cdist short':>12} {'vs short':>9} {'cdist full':>11} "
          f"{'vs full':>8} {'py loop (est)':>14} {'vs loop':>8}")
    for n in args.sizes:
        child = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True,
                               capture_output=True, text=True)
        r = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"{n:>6} {r['full_s']:>9.2f}s {r['peak_mb']:>6.0f}MB {r['pairs_per_s']:>11,.0f} "
              f"{r['one_ms']:>7.1f}ms {r['one_supply_ms']:>7.1f}ms {r['cdist_ratio_s']:>11.2f}s "
              f"{r['full_s'] / r['cdist_ratio_s']:>8.2f}x {r['cdist_full_s']:>10.2f}s "
              f"{r['full_s'] / r['cdist_full_s']:>7.2f}x {r['loop_wratio_s_est']:>13.0f}s "
              f"{r['full_s'] / r['loop_wratio_s_est']:>8.4f}x")


if __name__ == "__main__":
    main()
