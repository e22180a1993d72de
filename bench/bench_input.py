#!/usr/bin/env python3
"""Every parser of user input on adversarial inputs of 0.5 MB and 1 MB: the time of each,
and the ratio 1 MB / 0.5 MB (about 2 for linear work; 4 would be quadratic).

Inputs: long runs of separators, one item repeated, 10^5 distinct items, nested brackets,
spaces and invisible characters, one unbroken word. Parsers: list splitting, line and
free-text cleaning, matching normalisation, search text, search query terms (jieba),
requirements extraction, diagnosis, and the import of one CSV cell.

Usage: .venv/bin/python bench/bench_input.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MB = 1024 * 1024


def inputs(size: int) -> dict[str, str]:
    """Characters, not bytes: a Chinese character is 3 bytes in UTF-8, so these are the
    worst the 512 KB body limit lets through and more."""
    def fill(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    distinct = "、".join(f"技能{n}" for n in range(size // 6))[:size]
    return {
        "separators": fill("、；,\n"),
        "one item repeated": fill("PLC编程、"),
        "distinct items": distinct,
        "nested brackets": fill("（[(") + fill(")]）"),
        "spaces and invisibles": fill(" \u200b\t\u202e "),
        "one long word": fill("数"),
        "a list beside a known skill": "、".join(f"PLC编程、热失控{n}"
                                                for n in range(size // 12))[:size],
    }


def parsers() -> dict[str, Callable[[str], object]]:
    from portal.matching.catalogue import shipped_catalogue
    from portal.matching.normalise import normalise
    from portal.matching.requirements import extract
    from portal.matching.services import _segmenter
    from portal.matching.taxonomy import shipped_taxonomy
    from portal.monitoring.vocabulary import listed_terms
    from portal.postings.diagnosis import diagnose
    from portal.postings.fulltext import index_tokens, phrase
    from portal.postings.importer import ImportFileError, read_file
    from portal.postings.text import query_terms, search_text
    from portal.text import clean_line, clean_multiline, split_list

    catalogue = shipped_catalogue()
    taxonomy, segmenter = shipped_taxonomy(), _segmenter()
    header = "ref,org,type,title,description\n"

    def import_cell(text: str) -> object:
        data = (header + 'D1,E1,talent_demand,岗位,"' + text.replace('"', "") + '"\n').encode()
        try:
            return read_file(data, "cell.csv")
        except ImportFileError as refused:  # a clear refusal is a result too
            return refused
    return {
        "split_list": split_list,
        "clean_line": clean_line,
        "clean_multiline": clean_multiline,
        "normalise (matching)": normalise,
        "search_text": search_text,
        "query_terms (jieba)": query_terms,
        "index_tokens (search)": index_tokens,
        "phrase (search)": phrase,
        "requirements": lambda text: extract(catalogue, title="岗位", description=text),
        "diagnosis": lambda text: diagnose("talent_demand", {"title": "岗位",
                                                             "description": text}),
        "import cell (CSV)": import_cell,
        "listed terms (vocabulary)": lambda text: listed_terms(text, taxonomy, segmenter),
    }


def timed(function: Callable[[str], object], text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    half, full = inputs(MB // 2), inputs(MB)
    print(f"{'parser':<22} {'input':<22} {'0.5 MB s':>9} {'1 MB s':>8} {'ratio':>6}")
    worst = 0.0
    for name, function in parsers().items():
        function("warm up")  # dictionaries and catalogues load once, not per input
        for kind in full:
            small, large = (timed(function, half[kind], args.repeat),
                            timed(function, full[kind], args.repeat))
            # Under 10 ms the work is bounded before it starts; its ratio is timer noise.
            ratio = large / small if small > 0.01 else 1.0
            worst = max(worst, ratio)
            print(f"{name:<22} {kind:<22} {small:9.3f} {large:8.3f} {ratio:6.2f}")
    print(f"worst ratio {worst:.2f} (linear ≈ 2; the target is under 3)")


if __name__ == "__main__":
    main()
