"""Sign-in, throttling, remember-me, sign-out and password change."""
import pytest
from sqlalchemy import select

from portal.accounts.auth import set_password
from portal.accounts.models import LoginFailure, Role, User
from tests import factories

WRONG = "电子邮箱或密码不正确"
THROTTLED = "登录失败次数过多"


def sign_in(client, email, password=factories.PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


@pytest.fixture
def hr(db):
    user = factories.member(db, email="hr@example.com")
    db.commit()
    return user


def test_correct_credentials_sign_in(client, db, hr):
    response = sign_in(client, "HR@Example.com ")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert hr.organization.name in client.get("/").get_data(as_text=True)
    assert db.get(User, hr.id).last_login_at is not None


@pytest.mark.parametrize("email, password", [
    ("hr@example.com", "wrong-password-123"),
    ("nobody@example.com", factories.PASSWORD),
])
def test_wrong_password_and_unknown_email_get_the_same_answer(client, hr, email, password):
    response = sign_in(client, email, password)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert WRONG in page
    assert client.get("/organization/").status_code == 302  # still signed out


def test_deactivated_account_cannot_sign_in(client, db, hr):
    hr.active = False
    db.commit()
    assert WRONG in sign_in(client, "hr@example.com").get_data(as_text=True)


def test_account_is_throttled_after_repeated_failures(client, app, hr):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        response = sign_in(client, "hr@example.com", "wrong-password-123")
        assert WRONG in response.get_data(as_text=True)
    # Even the right password is refused while throttled.
    response = sign_in(client, "hr@example.com")
    assert response.status_code == 200 and THROTTLED in response.get_data(as_text=True)


def test_unknown_accounts_are_throttled_alike_so_throttling_reveals_nothing(client, app):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        sign_in(client, "nobody@example.com", "wrong-password-123")
    assert THROTTLED in sign_in(client, "nobody@example.com").get_data(as_text=True)


def test_one_address_trying_many_accounts_is_throttled(client, app, hr):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for n in range(limit):
        sign_in(client, f"guess{n}@example.com", "wrong-password-123")
    assert THROTTLED in sign_in(client, "hr@example.com").get_data(as_text=True)


def test_old_failures_no_longer_count(client, db, app, hr):
    from portal.db import utcnow

    window = app.config["LOGIN_FAILURE_WINDOW"]
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        db.add(LoginFailure(key="account:hr@example.com", created_at=utcnow() - window * 2))
    db.commit()
    assert sign_in(client, "hr@example.com").status_code == 302


def test_success_clears_the_account_failures(client, db, hr):
    sign_in(client, "hr@example.com", "wrong-password-123")
    sign_in(client, "hr@example.com")
    keys = db.scalars(select(LoginFailure.key)).all()
    assert "account:hr@example.com" not in keys


def test_remember_me_sets_a_long_lived_http_only_cookie(client, hr):
    response = sign_in(client, "hr@example.com", remember="y")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if "portal_remember=" in c)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie


def test_without_remember_me_no_remember_cookie(client, hr):
    response = sign_in(client, "hr@example.com")
    assert not any("portal_remember=" in c for c in response.headers.getlist("Set-Cookie"))


def test_sign_out_needs_post(client, hr):
    sign_in(client, "hr@example.com")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/organization/").status_code == 302


def test_password_change_ends_other_sessions(app, client, db, hr):
    sign_in(client, "hr@example.com")
    other_device = app.test_client()
    sign_in(other_device, "hr@example.com")
    new_password = "a-new-and-longer-secret"
    response = client.post("/account/password", data={
        "current_password": factories.PASSWORD, "password": new_password,
        "confirm": new_password})
    assert response.status_code == 302
    assert client.get("/organization/").status_code == 200  # this device stays signed in
    assert other_device.get("/organization/").status_code == 302  # the other is signed out
    client.post("/logout")
    assert WRONG in sign_in(client, "hr@example.com").get_data(as_text=True)
    assert sign_in(client, "hr@example.com", new_password).status_code == 302


def test_password_change_checks_the_current_password(client, login_as):
    login_as(Role.ENTERPRISE_HR)
    response = client.post("/account/password", data={
        "current_password": "not-my-password", "password": "a-new-and-longer-secret",
        "confirm": "a-new-and-longer-secret"})
    assert "当前密码不正确" in response.get_data(as_text=True)


def test_outdated_hash_parameters_are_upgraded_on_sign_in(app, client, db, hr):
    app.config["ARGON2_TIME_COST"] = 2
    sign_in(client, "hr@example.com")
    assert "t=2" in db.get(User, hr.id).password_hash


def test_set_password_ends_every_sign_in(db, hr):
    from portal.accounts.models import SignIn

    factories.sign_in_token(db, hr)
    factories.sign_in_token(db, hr, remembered=True)
    set_password(db, hr, "another-long-password")
    db.commit()
    assert db.scalars(select(SignIn).where(SignIn.user_id == hr.id)).all() == []


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
    " //evil.example", "\t//evil.example", "http:evil.example", "javascript:alert(1)",
    "///evil.example", "/%0a//evil.example".replace("%0a", "\n"), "https:/evil.example",
])
def test_next_never_leaves_the_site(client, hr, target):
    response = sign_in(client, "hr@example.com", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_to_a_page_of_the_site_is_followed(client, hr):
    response = sign_in(client, "hr@example.com", next="/organization/members?tab=1")
    assert response.headers["Location"] == "/organization/members?tab=1"


def test_login_page_carries_next_from_the_query(client):
    response = client.get("/organization/")
    assert response.status_code == 302
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="/organization/"' in login_page


# Sign-ins kept on the server (issue 14) ---------------------------------------------------

def signed_in(client) -> bool:
    return client.get("/organization/").status_code == 200


def browser_with(app, cookies: dict[str, str]):
    """Another browser holding copies of these cookies (as a thief would)."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def cookies_of(client, *names) -> dict[str, str]:
    return {name: client.get_cookie(name).value for name in names if client.get_cookie(name)}


def test_signing_out_ends_the_session_on_the_server(app, client, hr):
    sign_in(client, "hr@example.com", remember="y")
    stolen = cookies_of(client, "portal_session", "portal_remember")
    assert set(stolen) == {"portal_session", "portal_remember"}
    assert signed_in(browser_with(app, stolen))  # a copy works while the sign-in lasts
    client.post("/logout")
    assert not signed_in(browser_with(app, stolen))
    assert not signed_in(browser_with(app, {"portal_remember": stolen["portal_remember"]}))


def test_a_remember_me_cookie_is_replaced_each_time_it_signs_in(app, client, hr):
    sign_in(client, "hr@example.com", remember="y")
    first = cookies_of(client, "portal_remember")["portal_remember"]
    returning = browser_with(app, {"portal_remember": first})  # the browser was closed
    assert signed_in(returning)
    second = cookies_of(returning, "portal_remember")["portal_remember"]
    assert second != first
    assert signed_in(browser_with(app, {"portal_remember": second}))
    assert not signed_in(browser_with(app, {"portal_remember": first}))  # used up


def test_a_password_change_revokes_remembered_devices(app, client, hr):
    sign_in(client, "hr@example.com", remember="y")
    remembered = cookies_of(client, "portal_remember")
    new_password = "a-new-and-longer-secret"
    client.post("/account/password", data={"current_password": factories.PASSWORD,
                                            "password": new_password, "confirm": new_password})
    assert signed_in(client)
    assert not signed_in(browser_with(app, remembered))


@pytest.mark.parametrize("column, age, remembered, ends", [
    ("last_seen_at", "SIGN_IN_IDLE_TIMEOUT", False, True),
    ("created_at", "SIGN_IN_MAX_AGE", False, True),
    ("last_seen_at", "SIGN_IN_IDLE_TIMEOUT", True, False),  # remembered: days, not hours
    ("last_seen_at", "REMEMBER_COOKIE_DURATION", True, True),
    ("created_at", "REMEMBER_MAX_AGE", True, True),
])
def test_idle_and_old_sign_ins_end(app, client, db, hr, column, age, remembered, ends):
    from datetime import timedelta

    from sqlalchemy import update

    from portal.accounts.models import SignIn
    from portal.db import utcnow

    sign_in(client, "hr@example.com", **({"remember": "y"} if remembered else {}))
    db.execute(update(SignIn).values(
        {column: utcnow() - app.config[age] - timedelta(minutes=1)}))
    db.commit()
    assert signed_in(client) is not ends


# Throttling that cannot be turned into a lock-out (issue 14) ------------------------------

def attempt(client, email, password="wrong-password-123", address="203.0.113.7", **headers):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def age_failures(db, by):
    """As if `by` had passed since each failure."""
    db.expire_all()
    for failure in db.scalars(select(LoginFailure)):
        failure.created_at -= by
    db.commit()


def test_delays_grow_with_each_failure_and_then_let_the_right_password_in(app, client, db,
                                                                          hr):
    from datetime import timedelta

    free = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(free):
        attempt(client, "hr@example.com")
    assert THROTTLED in attempt(client, "hr@example.com", factories.PASSWORD).get_data(
        as_text=True)
    age_failures(db, app.config["LOGIN_DELAY_BASE"] + timedelta(seconds=1))
    assert WRONG in attempt(client, "hr@example.com").get_data(as_text=True)  # one more try
    age_failures(db, app.config["LOGIN_DELAY_BASE"] + timedelta(seconds=1))
    assert THROTTLED in attempt(client, "hr@example.com").get_data(as_text=True)  # doubled
    age_failures(db, app.config["LOGIN_DELAY_BASE"])
    assert attempt(client, "hr@example.com", factories.PASSWORD).status_code == 302


def test_guessing_from_many_addresses_does_not_keep_the_holder_out(app, client, db, hr):
    from portal.notifications.models import Notification

    sign_in(client, "hr@example.com")  # the holder's browser, known to the account
    client.post("/logout")
    attacker = app.test_client()
    for n in range(40):
        attempt(attacker, "hr@example.com", address=f"198.51.100.{n}")
    stranger = app.test_client()  # a browser the account has never used
    assert THROTTLED in attempt(stranger, "hr@example.com", factories.PASSWORD,
                                address="192.0.2.1").get_data(as_text=True)
    assert attempt(client, "hr@example.com", factories.PASSWORD,
                   address="192.0.2.2").status_code == 302
    told = db.scalars(select(Notification).where(Notification.user_id == hr.id,
                                                 Notification.event == "sign_in_failures"))
    assert len(told.all()) == 1  # once, not for each guess


def test_a_busy_address_does_not_keep_out_accounts_known_on_its_browsers(app, client, db, hr):
    sign_in(client, "hr@example.com")
    client.post("/logout")
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        attempt(app.test_client(), f"guess{n}@example.com")
    assert THROTTLED in attempt(app.test_client(), "hr@example.com",
                                factories.PASSWORD).get_data(as_text=True)
    assert attempt(client, "hr@example.com", factories.PASSWORD).status_code == 302


def test_a_forged_forwarded_for_header_is_not_a_new_address(app, client, hr):
    """Without a trusted proxy configured, X-Forwarded-For is the client's own claim."""
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        attempt(client, "hr@example.com", **{"X-Forwarded-For": f"10.9.9.{n}"})
    assert THROTTLED in attempt(client, "hr@example.com", factories.PASSWORD,
                                **{"X-Forwarded-For": "10.9.9.99"}).get_data(as_text=True)
