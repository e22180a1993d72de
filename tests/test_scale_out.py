"""Past one machine, as far as this one allows (issue 14): two gunicorn instances and a
Huey worker on one PostgreSQL and one Redis share sign-ins, throttling and jobs."""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import delete

from portal.accounts.models import LoginFailure
from tests import factories

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not os.environ.get("PORTAL_TEST_POSTGRES_URL")
                                or not factories.redis_reachable(),
                                reason="needs PostgreSQL and Redis (CI has both)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def cluster(db, migrated_database, tmp_path, font_dir):
    """Set up after (so torn down before) the test database session empties the tables."""
    env = {**os.environ, "PORTAL_DATABASE_URL": migrated_database,
           "PORTAL_REDIS_URL": "redis://127.0.0.1:6379/15",
           "PORTAL_TASKS_QUEUE": f"portal-scale-{uuid.uuid4().hex[:8]}",
           "PORTAL_SECRET_KEY": "shared-" + uuid.uuid4().hex,
           "PORTAL_INSTANCE_PATH": str(tmp_path / "shared"), "PORTAL_FONT_DIR": str(font_dir),
           "PORTAL_ARGON2_TIME_COST": "1", "PORTAL_ARGON2_MEMORY_COST": "1024",
           "PORTAL_ARGON2_PARALLELISM": "1", "PORTAL_API_RATE_LIMIT": "3 per minute"}
    ports = [free_port(), free_port()]
    processes = [subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for port in ports]
    processes.append(subprocess.Popen(
        [str(Path(sys.executable).parent / "huey_consumer"), "portal.worker.huey",
         "--workers", "1", "--worker-type", "thread"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        for port in ports:
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)
                    break
                # Not listening yet, or (on a busy machine) still loading the app.
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    time.sleep(0.2)
            else:
                pytest.fail(f"the instance on port {port} did not start")
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(15)


class Browser:
    """A person's browser: one cookie jar, whichever instance answers."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url: str, form_page: str, **fields: str) -> tuple[int, str]:
        _status, page = self.get(form_page)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
            re.search(r'name="csrf_token" value="([^"]+)"', page)
        data = urllib.parse.urlencode({"csrf_token": token.group(1), **fields}).encode()
        try:
            with self.opener.open(url, data=data, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def test_two_instances_share_sign_ins_throttles_and_jobs(cluster, db):
    first, second = cluster
    office = factories.coordinator(db, email="scale@city.example")
    db.commit()

    secret = factories.api_token(db, office, "read")  # an API token's limit counts in Redis
    statuses = []
    for host in (first, second, first, second):
        request = urllib.request.Request(f"{host}/api/v1/organizations",
                                         headers={"Authorization": f"Bearer {secret}"})
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:
                statuses.append(answer.status)
        except urllib.error.HTTPError as refused:
            statuses.append(refused.code)
    assert statuses == [200, 200, 200, 429]

    person = Browser()
    status, _page = person.post(f"{first}/login", f"{first}/login",
                                email="scale@city.example", password=factories.PASSWORD)
    assert status == 200  # signed in on the first, and sent on to the overview
    for host in (first, second):  # the same cookie is a sign-in on either instance
        assert person.get(f"{host}/matching/all")[0] == 200
    person.post(f"{second}/logout", f"{second}/")
    assert "/login" in person.get(f"{first}/matching/all")[1]  # ended for both

    attacker = Browser()  # failures on both instances count together
    for n in range(5):
        host = cluster[n % 2]
        attacker.post(f"{host}/login", f"{host}/login", email="scale@city.example",
                      password="wrong-password-123")
    _status, page = attacker.post(f"{first}/login", f"{first}/login",
                                  email="scale@city.example", password=factories.PASSWORD)
    assert "登录失败次数过多" in page

    db.execute(delete(LoginFailure))  # the holder waits out the delay
    db.commit()
    again = Browser()  # a job queued through one instance is run by the worker
    again.post(f"{second}/login", f"{second}/login", email="scale@city.example",
               password=factories.PASSWORD)
    again.post(f"{second}/matching/recompute", f"{second}/matching/all")
    for _ in range(100):
        _status, page = again.get(f"{first}/matching/all")
        if "已完成" in page:
            break
        time.sleep(0.2)
    assert "已完成" in page
