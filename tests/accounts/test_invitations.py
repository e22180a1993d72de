"""Members invite colleagues into their organisation with a one-time link."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts import services
from portal.accounts.models import Invitation, OrgKind, Role, User
from portal.db import utcnow
from portal.errors import PermissionDenied
from tests import factories


def invite(client, email="colleague@example.com"):
    response = client.post("/organization/members", data={"email": email})
    match = re.search(r'value="(http://[^"]+/invite/[^"]+)"', response.get_data(as_text=True))
    return response, match.group(1) if match else None


def accept(client, link, **overrides):
    data = {"user_name": "新同事", "password": factories.PASSWORD,
            "confirm": factories.PASSWORD, **overrides}
    return client.post(link.replace("http://localhost", ""), data=data)


@pytest.mark.parametrize("kind, role", [(OrgKind.ENTERPRISE, Role.ENTERPRISE_HR),
                                        (OrgKind.UNIVERSITY, Role.UNIVERSITY_STAFF)])
def test_invited_colleague_joins_the_same_organisation(app, client, db, login_as, kind, role):
    inviter = factories.member(db, kind)
    db.commit()
    login_as(inviter)
    response, link = invite(client)
    assert response.status_code == 200 and link
    assert "colleague@example.com" in response.get_data(as_text=True)  # listed as open

    newcomer = app.test_client()
    page = newcomer.get(link.replace("http://localhost", "")).get_data(as_text=True)
    assert inviter.organization.name in page and "colleague@example.com" in page
    assert accept(newcomer, link).status_code == 302
    colleague = db.scalar(select(User).where(User.email == "colleague@example.com"))
    assert colleague.organization_id == inviter.organization_id and colleague.role is role
    assert newcomer.get("/organization/members").status_code == 200

    # The link works once.
    assert app.test_client().get(link.replace("http://localhost", "")).status_code == 404


def test_expired_link_is_refused(app, client, db, login_as):
    inviter = factories.member(db)
    db.commit()
    login_as(inviter)
    _, link = invite(client)
    db.execute(Invitation.__table__.update().values(expires_at=utcnow() - timedelta(minutes=1)))
    db.commit()
    response = app.test_client().get(link.replace("http://localhost", ""))
    assert response.status_code == 404 and "已过期" in response.get_data(as_text=True)


def test_forged_token_is_refused(client):
    assert client.get("/invite/not-a-real-token").status_code == 404


def test_only_the_token_hash_is_stored(client, db, login_as):
    login_as(Role.ENTERPRISE_HR)
    _, link = invite(client)
    token = link.rsplit("/", 1)[1]
    stored = db.scalar(select(Invitation.token_hash))
    assert token not in stored and len(stored) == 64


def test_inviting_tells_the_inviter_nothing_about_who_has_an_account(app, client, db,
                                                                     login_as):
    """Issue 14: the invitation form answered differently for a registered address."""
    factories.member(db, email="already@example.com")
    db.commit()
    login_as(Role.ENTERPRISE_HR)
    answers = []
    for address in ("already@example.com", "nobody-yet@example.com"):
        response, link = invite(client, address)
        page = response.get_data(as_text=True).replace(address, "ADDRESS")
        said = re.findall(r'class="(?:flash|error|form-errors)[^"]*"[^>]*>(.*?)<', page)
        answers.append((response.status_code, bool(link), said))
    assert answers[0] == answers[1] and answers[0][2], answers
    # Only the address's holder, opening the link, learns that it cannot make a new account.
    holder = app.test_client()
    _response, link = invite(client, "already@example.com")
    assert "无法用于注册新账号" in accept(holder, link).get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(User).where(
        User.email == "already@example.com")) == 1


def test_a_new_invitation_replaces_the_open_one(client, db, login_as):
    login_as(Role.ENTERPRISE_HR)
    _, first = invite(client)
    _, second = invite(client)
    assert first != second
    now = utcnow()
    assert sum(i.is_open(now) for i in db.scalars(select(Invitation))) == 1


def test_member_withdraws_an_invitation(app, client, db, login_as):
    login_as(Role.ENTERPRISE_HR)
    _, link = invite(client)
    invitation_id = db.scalar(select(Invitation.id))
    assert client.post(f"/organization/invitations/{invitation_id}/revoke").status_code == 302
    assert app.test_client().get(link.replace("http://localhost", "")).status_code == 404


def test_another_organisation_cannot_withdraw_it(app, client, db, login_as):
    login_as(Role.ENTERPRISE_HR)
    invite(client)
    invitation = db.scalar(select(Invitation))
    outsider = factories.member(db)
    db.commit()
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = factories.sign_in_token(db, outsider)
    assert other.post(f"/organization/invitations/{invitation.id}/revoke").status_code == 404
    with pytest.raises(PermissionDenied):
        services.revoke_invitation(invitation, outsider)
    assert db.get(Invitation, invitation.id).revoked_at is None


def test_accepting_with_a_weak_password_creates_nothing(app, client, db, login_as):
    login_as(Role.ENTERPRISE_HR)
    _, link = invite(client)
    users_before = db.scalar(select(func.count()).select_from(User))
    response = accept(app.test_client(), link, password="short", confirm="short")
    assert response.status_code == 200 and "密码长度" in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(User)) == users_before


def test_pending_organisation_members_can_invite_too(client, db, login_as):
    login_as(Role.ENTERPRISE_HR, verified=False)
    _, link = invite(client)
    assert link
