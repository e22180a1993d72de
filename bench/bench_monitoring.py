#!/usr/bin/env python3
"""Monitoring at city scale: N postings published over eight quarters in the city's
districts; the time to derive their facets, then each monitoring page (rendered, as a
coordinator's browser gets it) and the quarterly report's PDF, warm (median of 5).

Targets (issue 15): pages ≤ 300 ms warm, report ≤ 3 s. The figures are aggregated by the
database at each request (GROUP BY over the facets and indexed postings).

Usage: .venv/bin/python bench/bench_monitoring.py [--postings 100000] [--database-url URL]
A PostgreSQL URL should name an empty database or schema (it is migrated and filled).
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import synthetic  # noqa: E402
from portal_app import portal_app  # noqa: E402

RUNS = 5
QUARTERS = 8


def spread(session, districts: tuple[str, ...], latest) -> None:  # noqa: ANN001
    """Publish the postings over the eight quarters up to `latest` and across districts."""
    from sqlalchemy import bindparam, select, update

    from portal.postings.models import Posting

    rng = random.Random(15)
    start = latest.shifted(-(QUARTERS - 1)).first_day
    days = (latest.next_first_day - start).days
    first = datetime(start.year, start.month, start.day, tzinfo=UTC)
    rows = [{"row_id": posting_id, "published": first + timedelta(
                days=rng.randrange(days), hours=rng.randrange(24)),
             "place": rng.choice(districts)}
            for posting_id in session.scalars(select(Posting.id).where(
                Posting.published_at.is_not(None)))]
    statement = update(Posting.__table__).where(Posting.__table__.c.id == bindparam("row_id")) \
        .values(published_at=bindparam("published"), district=bindparam("place"))
    for offset in range(0, len(rows), 5000):
        session.connection().execute(statement, rows[offset:offset + 5000])
    session.commit()


def timed(action) -> float:  # noqa: ANN001
    action()  # warm
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--keep", metavar="DIR",
                        help="Build in DIR and leave it (to study the plans after).")
    args = parser.parse_args()

    from portal.accounts.services import system_user
    from portal.db import get_session, refresh_statistics, write_session
    from portal.demo import seed_demo
    from portal.monitoring.facets import rebuild_all
    from portal.monitoring.models import PostingFacet
    from portal.monitoring.periods import Period, PeriodKind, city_zone
    from portal.monitoring.report import render
    from portal.postings.importer import import_records, read_file
    from portal.postings.models import Posting

    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or scratch
        Path(tmp).mkdir(parents=True, exist_ok=True)
        url = args.database_url or f"sqlite:///{tmp}/monitoring.db"
        app = portal_app(tmp, url, TASKS_IMMEDIATE=False, WTF_CSRF_ENABLED=False)
        zone = city_zone(app.config)
        latest = Period.containing(PeriodKind.QUARTER, datetime.now(zone).date()).previous
        with app.app_context():
            session = get_session()
            seed_demo(session)
            data = json.dumps(synthetic(args.postings), ensure_ascii=False).encode()
            started = time.perf_counter()
            import_records(session, read_file(data, "monitoring.json"), system_user(session))
            session.commit()
            imported = time.perf_counter() - started
            spread(session, app.config["CITY_DISTRICTS"], latest)
            started = time.perf_counter()
            derived = rebuild_all()
            facets = time.perf_counter() - started
            with write_session() as write:
                refresh_statistics(write, Posting.__table__, PostingFacet.__table__)
        print(f"{args.postings:,} postings over {QUARTERS} quarters to {latest.code}, "
              f"database {url.split(':')[0]}")
        print(f"  import {imported:.1f} s; facets of {derived:,} postings {facets:.1f} s "
              f"({facets / max(derived, 1) * 1e6:.0f} µs each)")

        client = app.test_client()
        client.post("/login", data={"email": "coordinator@city.demo",
                                    "password": "demo-portal-2026"})
        period = latest.code
        pages = {
            "balance by major": f"/monitoring/?period={period}",
            "balance by skill": f"/monitoring/?period={period}&dimension=skill",
            "balance, a year": f"/monitoring/?period={latest.year}",
            "balance, one district": f"/monitoring/?period={period}&district=闵行区",
            "drill-down": f"/monitoring/postings?period={period}&dimension=major&key=数控技术",
            "districts, a major": f"/monitoring/districts?period={period}&dimension=major"
                                  "&key=数控技术",
            "unanswered": "/monitoring/unmatched?days=30",
            "emerging skills": f"/monitoring/emerging?period={period}",
        }
        print(f"  {'page':<24} {'warm ms':>8}  (target ≤ 300)")
        for name, path in pages.items():
            def get(path: str = path) -> None:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
            print(f"  {name:<24} {timed(get):>8.1f}")
        with app.app_context():
            session = get_session()
            report = timed(lambda: render(session, latest, zone))
        print(f"  {'report PDF':<24} {report:>8.1f}  (target ≤ 3000)")


if __name__ == "__main__":
    main()
