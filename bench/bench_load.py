#!/usr/bin/env python3
"""Pages under load on 127.0.0.1: the portal in gunicorn (2 workers) beside a minimal
Flask + SQLAlchemy page reading the same database in the same run.

For each page and each number of clients: throughput and p50/p95/p99 latency, and p95
against the minimal page's. Readers: browse, Chinese search, a posting, our matches, all
matches (a coordinator). Writers: messages on a partnership (an insert, a notification
and its queued e-mail per request). Every scenario is bounded in time (--seconds).

Usage: .venv/bin/python bench/bench_load.py [--postings 20000] [--clients 16 64]
           [--seconds 10] [--database-url URL]   (default: SQLite in a temporary folder)
           [--computed-matches]   (score with the engine beyond 20,000 postings too)
A PostgreSQL URL should name an empty database or schema: the run migrates it and fills
it (e.g. postgresql://127.0.0.1:5432/test?options=-csearch_path%3Dbench).
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import synthetic  # noqa: E402
from portal_app import portal_app  # noqa: E402

MINIMAL_APP = '''
import os
from flask import Flask
from sqlalchemy import create_engine, text
from portal.db import normalise_url
app = Flask(__name__)
engine = create_engine(normalise_url(os.environ["PORTAL_DATABASE_URL"]), pool_pre_ping=True)
@app.get("/")
def page():
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, title FROM postings WHERE status = "
                                       "'published' ORDER BY published_at DESC, id DESC "
                                       "LIMIT 20")).all()
    return "<ul>" + "".join(f"<li>{title}</li>" for _id, title in rows) + "</ul>"
'''


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(tmp: str, url: str | None, postings: int, computed: bool) -> tuple[str, dict]:
    """The demo (people, partnerships) and `postings` synthetic postings, matched by the
    engine (`computed`) or given ten random pairs per demand (pages read stored pairs
    the same way, however they were scored; the engine's own speed is bench_matching's)."""
    from sqlalchemy import insert, select

    from portal.accounts.services import system_user
    from portal.cooperation.models import Proposal, ProposalStatus
    from portal.db import get_session, read_session, refresh_statistics, utcnow, write_session
    from portal.demo import seed_demo
    from portal.matching.models import PostingMatch
    from portal.matching.store import recompute_all
    from portal.postings.importer import import_records, read_file
    from portal.postings.models import Posting, PostingSkill

    database = url or f"sqlite:///{tmp}/load.db"
    # Jobs are queued, never run: the data is matched below, once.
    app = portal_app(tmp, database, TASKS_IMMEDIATE=False)
    with app.app_context():
        session = get_session()
        seed_demo(session)
        data = json.dumps(synthetic(postings), ensure_ascii=False).encode()
        import_records(session, read_file(data, "load.json"), system_user(session))
        session.commit()
        if computed:
            with read_session() as read, write_session() as write:
                recompute_all(read, write)
        else:
            chosen = random.Random(14)
            demands, supplies = [], []
            for posting_id, kind in session.execute(select(Posting.id, Posting.kind)):
                (demands if kind.is_demand else supplies).append(posting_id)
            # The demo's own postings were matched when it was seeded.
            stored = set(session.execute(select(PostingMatch.demand_id, PostingMatch.supply_id)))
            session.commit()  # this session writes too: free the lock for the inserts
            now = utcnow()
            rows = [{"demand_id": demand, "supply_id": supply,
                     "score": round(chosen.uniform(40, 95), 1), "computed_at": now,
                     "explanation": {"components": {}, "matched": [], "missing": []}}
                    for demand in demands for supply in chosen.sample(supplies, 10)
                    if (demand, supply) not in stored]
            with write_session() as write:
                for start in range(0, len(rows), 5000):
                    write.execute(insert(PostingMatch.__table__), rows[start:start + 5000])
        with write_session() as write:
            refresh_statistics(write, Posting.__table__, PostingSkill.__table__,
                               PostingMatch.__table__)
        active = session.scalar(select(Proposal.id).where(
            Proposal.status == ProposalStatus.ACTIVE).order_by(Proposal.id))
        posting = session.scalar(select(Posting.id).where(Posting.external_ref == "P000000"))
    return database, {"proposal": active, "posting": posting}


class Client:
    """One keep-alive connection with its own cookies, as one browser."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.csrf: str | None = None  # the form token, once read from a page

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle keep-alive connection; a browser opens a new one.
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read().decode("utf-8", "replace")

    def sign_in(self, email: str, password: str) -> None:
        _status, page = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, _page = self.request("POST", "/login", {"csrf_token": token, "email": email,
                                                          "password": password})
        assert status == 302, f"sign-in failed: {status}"

    def token(self, path: str) -> str:
        _status, page = self.request("GET", path)
        return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def run(port: int, clients: int, seconds: float, step, setup=None,  # noqa: ANN001
        make_client=None) -> dict:  # noqa: ANN001
    """`clients` threads doing `step(client)` for `seconds`; latencies of each request.
    `make_client(port)` opens each client's connection (default: a browser's)."""
    latencies: list[float] = []
    errors: collections.Counter[str] = collections.Counter()
    lock = threading.Lock()
    ready = []
    for _ in range(clients):
        client = (make_client or Client)(port)
        if setup:
            setup(client)
        ready.append(client)
    deadline = time.perf_counter() + seconds

    def work(client: Client) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            failure = None
            try:
                status = step(client)
                failure = str(status) if status >= 400 else None
            except (OSError, http.client.HTTPException) as error:
                failure = type(error).__name__
                client.connection.close()
            elapsed = time.perf_counter() - started
            with lock:
                if failure:
                    errors[failure] += 1
                else:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=work, args=(client,)) for client in ready]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    if not latencies:
        return {"requests": 0, "rps": 0, "p50": 0, "p95": 0, "p99": 0, "errors": errors}
    cuts = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "rps": len(latencies) / took, "p50": cuts[49] * 1000,
            "p95": cuts[94] * 1000, "p99": cuts[98] * 1000, "errors": errors}


def kinds(errors: collections.Counter[str]) -> str:
    """What the failed requests got: a status or the exception the connection raised."""
    return ", ".join(f"{kind} ×{count}" for kind, count in errors.most_common())


def deep_page(port: int, sign_in, pages: int) -> str:  # noqa: ANN001
    """The path of the browse page `pages` pages in, reached by its "next" links."""
    client = Client(port)
    sign_in(client)
    path = "/postings/"
    for _ in range(pages - 1):
        _status, page = client.request("GET", path)
        found = re.search(r'<a href="([^"]+)" rel="next">', page)
        if not found:
            break
        path = found.group(1).replace("&amp;", "&")
    return path


def start(command: list[str], env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"{command[0]} did not start on port {port}")


@contextlib.contextmanager
def portal_server(tmp: str, database: str, **settings: str) -> Iterator[int]:
    """The portal in gunicorn (2 workers, the deployed configuration) on a free port of
    127.0.0.1, reading `database`; `settings` are extra PORTAL_* variables."""
    env = {**os.environ, "PORTAL_DATABASE_URL": database, "PORTAL_INSTANCE_PATH": tmp,
           "PORTAL_SECRET_KEY": "bench", "PORTAL_LOG_FORMAT": "text",
           **{f"PORTAL_{name}": value for name, value in settings.items()}}
    port = free_port()
    process = start([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
                     "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"], env, port)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=20_000)
    parser.add_argument("--clients", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--database-url")
    parser.add_argument("--computed-matches", action="store_true",
                        help="score the postings with the engine (default up to 20,000 "
                             "postings; beyond, ten random pairs per demand)")
    args = parser.parse_args()
    computed = args.computed_matches or args.postings <= 20_000

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        database, ids = prepare(tmp, args.database_url, args.postings, computed)
        print(f"{args.postings:,} postings on {database.split(':')[0]} "
              f"({'engine' if computed else 'random'} matches), ready in "
              f"{time.perf_counter() - started:.0f} s; {args.seconds:.0f} s per scenario")
        minimal = free_port()
        (Path(tmp) / "minimal_app.py").write_text(MINIMAL_APP)
        env = {**os.environ, "PORTAL_DATABASE_URL": database, "PYTHONPATH": str(ROOT)}
        minimal_process = start([sys.executable, "-m", "gunicorn", "--workers", "2",
                                 "--threads", "2", "--worker-class", "gthread", "--chdir", tmp,
                                 "--bind", f"127.0.0.1:{minimal}", "minimal_app:app"], env,
                                minimal)
        try:
            with portal_server(tmp, database) as portal:
                measure(portal, minimal, ids, args)
        finally:
            minimal_process.terminate()
            minimal_process.wait(15)


def measure(portal: int, minimal: int, ids: dict, args: argparse.Namespace) -> None:
    """Each scenario at each number of clients, printed as a table row."""
    member = lambda client: client.sign_in("hr@chengyao.demo", "demo-portal-2026")  # noqa: E731
    coordinator = lambda client: client.sign_in("coordinator@city.demo",  # noqa: E731
                                                "demo-portal-2026")

    def page(path: str):  # noqa: ANN202
        return lambda client: client.request("GET", path)[0]

    def write_message(client: Client) -> int:
        path = f"/cooperation/{ids['proposal']}"
        client.csrf = client.csrf or client.token(path)
        return client.request("POST", f"{path}/messages",
                              {"csrf_token": client.csrf, "body": "压力测试留言"})[0]

    deep = deep_page(portal, member, pages=50)
    scenarios = [
        ("minimal page", minimal, None, page("/")),
        ("browse", portal, member, page("/postings/")),
        ("browse, page 50", portal, member, page(deep)),
        ("skill filter", portal, member, page("/postings/?skill=plc")),
        ("search 电气", portal, member, page("/postings/?q=" +
                                           urllib.parse.quote("电气"))),
        ("a posting", portal, member, page(f"/postings/{ids['posting']}")),
        ("our matches", portal, member, page("/matching/mine")),
        ("all matches", portal, coordinator, page("/matching/all")),
        ("write: message", portal, member, write_message),
    ]
    print(f"{'scenario':<16} {'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>7} "
          f"{'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'p95/minimal':>11}")
    for clients in args.clients:
        baseline = None
        for name, port, setup, step in scenarios:
            figures = run(port, clients, args.seconds, step, setup)
            baseline = baseline or figures["p95"] or 1
            print(f"{name:<16} {clients:>7} {figures['requests']:>8} "
                  f"{figures['rps']:>7.1f} {figures['p50']:>7.1f} {figures['p95']:>7.1f} "
                  f"{figures['p99']:>7.1f} {figures['errors'].total():>6} "
                  f"{figures['p95'] / baseline:>10.1f}x  {kinds(figures['errors'])}",
                  flush=True)


if __name__ == "__main__":
    main()
