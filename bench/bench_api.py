#!/usr/bin/env python3
"""The API under load on 127.0.0.1, beside the same reads as HTML pages: the portal in
gunicorn (2 workers), the database filled as bench_load fills it.

For each endpoint and each number of clients: throughput, p50/p95/p99 latency, and p95
against the HTML page that shows the same thing. Endpoints: the postings list, a word
search, a posting, its matches, the organisations directory. Each scenario is bounded in
time (--seconds); the rate limit is lifted for the run (it is per token, and every
client here shares one).

Usage: .venv/bin/python bench/bench_api.py [--postings 20000] [--clients 16 64]
           [--seconds 10] [--database-url URL]   (default: SQLite in a temporary folder)
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import Client, kinds, portal_server, prepare, run  # noqa: E402
from portal_app import portal_app  # noqa: E402


class ApiClient(Client):
    """One keep-alive connection sending a bearer token, as an integrator's system."""

    def __init__(self, port: int, secret: str) -> None:
        super().__init__(port)
        self.secret = secret

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        self.connection.request(method, path, headers={"Authorization": f"Bearer {self.secret}"})
        response = self.connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")


def api_token(tmp: str, database: str) -> str:
    from sqlalchemy import select

    from portal.accounts.models import User
    from portal.api.models import Scope
    from portal.api.tokens import create_token
    from portal.db import get_session

    app = portal_app(tmp, database, migrate=False, TASKS_IMMEDIATE=False)
    with app.app_context():
        session = get_session()
        hr = session.scalar(select(User).where(User.email == "hr@chengyao.demo"))
        _token, secret = create_token(session, hr, "bench", [Scope.READ], 30)
        session.commit()
    return secret


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=20_000)
    parser.add_argument("--clients", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        database, ids = prepare(tmp, args.database_url, args.postings,
                                computed=args.postings <= 20_000)
        secret = api_token(tmp, database)
        print(f"{args.postings:,} postings on {database.split(':')[0]}, ready in "
              f"{time.perf_counter() - started:.0f} s; {args.seconds:.0f} s per scenario")
        with portal_server(tmp, database, API_RATE_LIMIT="100000000 per minute") as port:
            measure(port, ids, secret, args)


def measure(port: int, ids: dict, secret: str, args: argparse.Namespace) -> None:
    """Each endpoint beside its page, at each number of clients, as a table row."""
    def member(client: Client) -> None:
        client.sign_in("hr@chengyao.demo", "demo-portal-2026")

    def get(path: str):  # noqa: ANN202
        return lambda client: client.request("GET", path)[0]

    word = urllib.parse.quote("电气")
    posting = ids["posting"]
    # (name, the API call, the page that shows the same)
    pairs = [
        ("postings list", "/api/v1/postings", "/postings/"),
        ("search 电气", f"/api/v1/postings?q={word}", f"/postings/?q={word}"),
        ("a posting", f"/api/v1/postings/{posting}", f"/postings/{posting}"),
        ("its matches", f"/api/v1/postings/{posting}/matches",
         f"/postings/{posting}"),
        ("organisations", "/api/v1/organizations", "/organizations/"),
    ]
    print(f"{'endpoint':<15} {'clients':>7} {'side':>4} {'requests':>8} {'req/s':>7} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'p95 api/html':>12}")
    for clients in args.clients:
        for name, api_path, page_path in pairs:
            html = run(port, clients, args.seconds, get(page_path), member)
            api = run_api(port, clients, args.seconds, api_path, secret)
            for side, figures in (("html", html), ("api", api)):
                ratio = (f"{api['p95'] / html['p95']:>11.2f}x"
                         if side == "api" and html["p95"] else "")
                print(f"{name:<15} {clients:>7} {side:>4} {figures['requests']:>8} "
                      f"{figures['rps']:>7.1f} {figures['p50']:>7.1f} "
                      f"{figures['p95']:>7.1f} {figures['p99']:>7.1f} "
                      f"{figures['errors'].total():>6} {ratio:>12}  "
                      f"{kinds(figures['errors'])}", flush=True)


def run_api(port: int, clients: int, seconds: float, path: str, secret: str) -> dict:
    return run(port, clients, seconds, lambda client: client.request("GET", path)[0],
               make_client=lambda port: ApiClient(port, secret))


if __name__ == "__main__":
    main()
