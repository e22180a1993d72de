#!/usr/bin/env python3
"""Matching inside the portal, database included: N imported postings, the full recompute
that stores every match, and the refresh when one posting is published (the first one in
a worker analyses every posting; later ones reuse the worker's analyses).

Usage: .venv/bin/python bench/bench_refresh.py [--postings 10000] [--database-url URL]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import synthetic  # noqa: E402
from portal_app import portal_app  # noqa: E402

NEW_DEMAND = {"title": "CNC数控操机工", "description": "负责数控机床编程与操作，会看机械图纸。",
              "skills": ["CNC编程", "机械制图"], "major": "数控技术", "headcount": 5}
NEW_SUPPLY = {"title": "数控技术专业", "description": "培养数控编程与操作人才。",
              "courses": ["数控机床编程与操作", "机械制图"], "major": "数控技术",
              "skills": [], "capacity": 60}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from portal.accounts.auth import find_user_by_email
    from portal.accounts.services import system_user
    from portal.db import get_session, read_session, write_session
    from portal.demo import seed_demo  # verified organisations whose members publish
    from portal.matching.store import recommendations, recompute_all, stored_pairs
    from portal.postings.importer import import_records, read_file
    from portal.postings.models import PostingKind
    from portal.postings.services import create_posting, publish_posting

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        app = portal_app(tmp, url)
        data = json.dumps(synthetic(args.postings), ensure_ascii=False).encode()
        with app.app_context():
            session = get_session()
            seed_demo(session)
            import_records(session, read_file(data, "bench.json"), system_user(session))
            session.commit()
        print(f"{args.postings:,} postings, database {url.split(':')[0]}")

        with app.app_context():
            started = time.perf_counter()
            with read_session() as read, write_session() as write:
                recompute_all(read, write)
            full = time.perf_counter() - started
            print(f"full recompute, stored: {full:.2f} s, "
                  f"{stored_pairs(get_session()):,} pairs kept")

        for label, kind, fields in (("demand", PostingKind.TALENT_DEMAND, NEW_DEMAND),
                                    ("supply", PostingKind.CURRICULUM, NEW_SUPPLY)):
            timings = []
            for attempt in range(3):
                with app.app_context():
                    session = get_session()
                    actor = find_user_by_email(session, "hr@chengyao.demo" if kind.is_demand
                                               else "staff@lingang.demo")
                    posting = create_posting(session, actor.organization, actor, kind,
                                             {**fields, "title": f"{fields['title']}{attempt}"})
                    started = time.perf_counter()
                    publish_posting(session, posting, actor)  # refreshes its matches
                    session.commit()
                    timings.append(time.perf_counter() - started)
                    found = len(recommendations(session, posting))
            print(f"publish one {label}: first {timings[0] * 1000:.0f} ms, then "
                  f"{timings[1] * 1000:.0f} / {timings[2] * 1000:.0f} ms "
                  f"({found} recommendations)")


if __name__ == "__main__":
    main()
