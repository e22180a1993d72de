"""Resetting a forgotten password by e-mail (issue 16): one answer for every address, a
signed link good once and for 30 minutes, other sign-ins ended, requests throttled."""
from __future__ import annotations

import logging
import re
import time

import pytest
from itsdangerous import TimestampSigner

from portal.accounts.models import Role
from portal.notifications.models import Notification
from tests import factories

NEW_PASSWORD = "新的口令-Harbour-2026"


@pytest.fixture
def mails(caplog):
    caplog.set_level(logging.INFO, logger="portal.notifications.services")

    def sent_to(email: str) -> list[str]:
        """The reset mails sent to the address (factories' own mails left out)."""
        return [record.getMessage() for record in caplog.records
                if record.getMessage().startswith(f"mail to {email}:")
                and "/password/reset/" in record.getMessage()]
    return sent_to


def link_in(mail: str) -> str:
    return re.search(r"http://localhost:5000(/password/reset/[\w.\-]+)", mail).group(1)


def ask(client, email: str):  # noqa: ANN001, ANN201
    return client.post("/password/forgot", data={"email": email})


def test_the_same_answer_whether_or_not_the_address_has_an_account(client, db, mails):
    user = factories.user(db, Role.ENTERPRISE_HR)
    db.commit()
    known, unknown = ask(client, user.email), ask(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    strip = lambda page, email: page.get_data(as_text=True).replace(email, "")  # noqa: E731
    assert strip(known, user.email) == strip(unknown, "nobody@example.com")
    assert len(mails(user.email)) == 1 and mails("nobody@example.com") == []


def test_the_link_sets_a_new_password_once_and_ends_other_sign_ins(client, db, mails,
                                                                    login_as, app):
    user = factories.user(db, Role.UNIVERSITY_STAFF)
    db.commit()
    other_device = app.test_client()
    with other_device.session_transaction() as session:
        session["_user_id"] = factories.sign_in_token(db, user)
    db.commit()
    assert other_device.get("/account/password").status_code == 200
    ask(client, user.email.upper())  # the address as typed, in any case
    link = link_in(mails(user.email)[0])
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/account/password").status_code == 200  # signed in afresh
    assert other_device.get("/account/password").status_code == 302  # signed out
    # Used once: the link is refused now, with a way to ask again.
    other = "另一个口令-Ocean-77"
    again = client.post(link, data={"password": other, "confirm": other})
    assert again.status_code == 410 and "/password/forgot" in again.get_data(as_text=True)
    client.post("/logout", data={})
    signed_in = client.post("/login", data={"email": user.email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_the_link_expires_after_thirty_minutes(client, db, mails, monkeypatch):
    user = factories.user(db, Role.ENTERPRISE_HR)
    db.commit()
    now = [time.time()]  # the signer's clock, moved by hand
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(now[0]))
    ask(client, user.email)
    link = link_in(mails(user.email)[0])
    now[0] += 29 * 60
    assert client.get(link).status_code == 200
    now[0] += 2 * 60
    expired = client.get(link)
    assert expired.status_code == 410 and "过期" in expired.get_data(as_text=True)


def test_a_forged_or_altered_link_is_refused(client, db, mails):
    user = factories.user(db, Role.ENTERPRISE_HR)
    db.commit()
    ask(client, user.email)
    link = link_in(mails(user.email)[0])
    assert client.get(link[:-2] + ("AA" if not link.endswith("AA") else "BB")).status_code == 410
    assert client.get("/password/reset/" + "x" * 5000).status_code in (410, 414)


def test_a_weak_password_is_refused_with_a_message_and_the_link_stays_good(client, db,
                                                                            mails):
    user = factories.user(db, Role.ENTERPRISE_HR)
    db.commit()
    ask(client, user.email)
    link = link_in(mails(user.email)[0])
    page = client.post(link, data={"password": "12345678", "confirm": "12345678"})
    assert page.status_code == 200 and 'aria-invalid="true"' in page.get_data(as_text=True)
    assert client.get(link).status_code == 200
    mismatch = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert mismatch.status_code == 200 and client.get(link).status_code == 200


def test_the_link_is_mailed_only_never_kept_in_the_inbox(client, db, mails):
    user = factories.user(db, Role.ENTERPRISE_HR)
    db.commit()
    ask(client, user.email)
    assert len(mails(user.email)) == 1
    assert db.query(Notification).filter_by(user_id=user.id, event="password_reset").count() == 0
    assert "/password/reset/" not in client.get("/inbox/").get_data(as_text=True)


def test_requests_are_throttled_per_address_and_the_answer_stays_the_same(client, db, mails,
                                                                          app):
    user = factories.user(db, Role.ENTERPRISE_HR)
    db.commit()
    limit = app.config["PASSWORD_RESETS_PER_ACCOUNT"]
    answers = {ask(client, user.email).status_code for _ in range(limit + 2)}
    assert answers == {200} and len(mails(user.email)) == limit


def test_an_inactive_account_gets_no_link(client, db, mails):
    user = factories.user(db, Role.ENTERPRISE_HR)
    user.active = False
    db.commit()
    assert ask(client, user.email).status_code == 200 and mails(user.email) == []


def test_an_empty_address_gets_a_message(client):
    page = client.post("/password/forgot", data={"email": ""})
    assert page.status_code == 200 and 'aria-invalid="true"' in page.get_data(as_text=True)


def test_the_sign_in_page_offers_it_in_english_too(client):
    client.post("/language", data={"language": "en"})
    page = client.get("/login").get_data(as_text=True)
    assert "Forgot your password?" in page
    assert "Reset your password" in client.get("/password/forgot").get_data(as_text=True)
