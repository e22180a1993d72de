"""Concurrent requests over real HTTP: read-then-write requests never fail with a lock error."""
import threading
import urllib.error
import urllib.parse
import urllib.request

from sqlalchemy import func, select

from portal.accounts.models import LoginFailure
from tests import factories


def post(url: str, data: dict) -> int:
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_simultaneous_sign_ins_all_get_an_answer(live_server, app, db):
    """Each sign-in reads the account and the failure counts, then writes: 8 at a time."""
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 1000
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 1000
    factories.member(db, email="hr@example.com")
    db.commit()
    statuses: list[int] = []

    def sign_in_repeatedly(n: int) -> None:
        for attempt in range(5):
            password = factories.PASSWORD if attempt == 4 else f"wrong-{n}-{attempt}-xxxxx"
            statuses.append(post(f"{live_server}/login",
                                 {"email": "hr@example.com", "password": password}))

    threads = [threading.Thread(target=sign_in_repeatedly, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    # urllib follows the redirect after a successful sign-in: every answer is a page.
    assert statuses == [200] * 40
    # 32 failed attempts, two counters each, minus the account counter cleared by each
    # success: at least the address counters remain, one per failure.
    address_failures = db.scalar(select(func.count()).where(
        LoginFailure.key.like("address:%")))
    assert address_failures == 32
