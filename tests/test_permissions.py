"""Endpoint × role → expected status: the one table of who may open what."""
import pytest
from sqlalchemy import select

from portal.accounts.models import Invitation, Role
from portal.accounts.services import invite_member
from tests import factories

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, Role.ENTERPRISE_HR, Role.UNIVERSITY_STAFF, Role.COORDINATOR]

LOGIN = 302  # sent to the sign-in page
HOME = 302  # already signed in: sent to the overview

# (method, path, {role: status}); {org} is a pending organisation, {other_invite} an open
# invitation of another organisation.
MATRIX = [
    ("GET", "/", dict.fromkeys(ROLES, 200)),
    ("GET", "/login", {ANONYMOUS: 200, Role.ENTERPRISE_HR: HOME, Role.UNIVERSITY_STAFF: HOME,
                       Role.COORDINATOR: HOME}),
    ("GET", "/register", dict.fromkeys(ROLES, 200)),
    ("GET", "/register/enterprise", {ANONYMOUS: 200, Role.ENTERPRISE_HR: HOME,
                                     Role.UNIVERSITY_STAFF: HOME, Role.COORDINATOR: HOME}),
    ("GET", "/account/password", {ANONYMOUS: LOGIN, Role.ENTERPRISE_HR: 200,
                                  Role.UNIVERSITY_STAFF: 200, Role.COORDINATOR: 200}),
    ("GET", "/organization/", {ANONYMOUS: LOGIN, Role.ENTERPRISE_HR: 200,
                               Role.UNIVERSITY_STAFF: 200, Role.COORDINATOR: 403}),
    ("GET", "/organization/members", {ANONYMOUS: LOGIN, Role.ENTERPRISE_HR: 200,
                                      Role.UNIVERSITY_STAFF: 200, Role.COORDINATOR: 403}),
    ("POST", "/organization/members", {ANONYMOUS: LOGIN, Role.ENTERPRISE_HR: 200,
                                       Role.UNIVERSITY_STAFF: 200, Role.COORDINATOR: 403}),
    ("POST", "/organization/invitations/{other_invite}/revoke",
     {ANONYMOUS: LOGIN, Role.ENTERPRISE_HR: 404, Role.UNIVERSITY_STAFF: 404,
      Role.COORDINATOR: 403}),
    ("GET", "/review/organizations", {ANONYMOUS: LOGIN, Role.ENTERPRISE_HR: 403,
                                      Role.UNIVERSITY_STAFF: 403, Role.COORDINATOR: 200}),
    ("GET", "/review/organizations/{org}", {ANONYMOUS: LOGIN, Role.ENTERPRISE_HR: 403,
                                            Role.UNIVERSITY_STAFF: 403, Role.COORDINATOR: 200}),
    ("POST", "/review/organizations/{org}", {ANONYMOUS: LOGIN, Role.ENTERPRISE_HR: 403,
                                             Role.UNIVERSITY_STAFF: 403, Role.COORDINATOR: 200}),
    ("GET", "/logout", dict.fromkeys(ROLES, 405)),
]

CASES = [(method, path, role, expected[role])
         for method, path, expected in MATRIX for role in ROLES]


@pytest.mark.parametrize("method, path, role, expected", CASES,
                         ids=[f"{m} {p} {getattr(r, 'value', r)}" for m, p, r, _ in CASES])
def test_permission_matrix(client, db, login_as, method, path, role, expected):
    pending = factories.organization(db)
    inviter = factories.member(db)
    invite_member(db, inviter.organization, inviter, "someone@example.com")
    db.commit()
    invitation_id = db.scalar(select(Invitation.id))
    if role != ANONYMOUS:
        login_as(role)
    url = path.format(org=pending.id, other_invite=invitation_id)
    response = client.open(url, method=method, data={})
    assert response.status_code == expected
    if expected == LOGIN and role == ANONYMOUS:
        assert "/login" in response.headers["Location"]


def test_a_member_never_reviews_their_own_organisation(client, db, login_as):
    user = factories.member(db, verified=False)
    db.commit()
    login_as(user)
    response = client.post(f"/review/organizations/{user.organization_id}",
                           data={"decision": "verify", "version": 1})
    assert response.status_code == 403
