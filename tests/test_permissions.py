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

HR, STAFF, COORDINATOR = Role.ENTERPRISE_HR, Role.UNIVERSITY_STAFF, Role.COORDINATOR
EVERYONE = dict.fromkeys(ROLES, 200)
VISITORS_ONLY = {ANONYMOUS: 200, HR: HOME, STAFF: HOME, COORDINATOR: HOME}
SIGNED_IN = {ANONYMOUS: LOGIN, HR: 200, STAFF: 200, COORDINATOR: 200}
MEMBERS_ONLY = {ANONYMOUS: LOGIN, HR: 200, STAFF: 200, COORDINATOR: 403}
COORDINATORS_ONLY = {ANONYMOUS: LOGIN, HR: 403, STAFF: 403, COORDINATOR: 200}
OTHER_ORGANISATIONS = {ANONYMOUS: LOGIN, HR: 404, STAFF: 404, COORDINATOR: 403}

# (method, path, {role: status}); {org} is a pending organisation, {other_invite} an open
# invitation of another organisation.
MATRIX = [
    ("GET", "/", EVERYONE),
    ("GET", "/login", VISITORS_ONLY),
    ("GET", "/register", EVERYONE),
    ("GET", "/register/enterprise", VISITORS_ONLY),
    ("GET", "/register/university", VISITORS_ONLY),
    ("GET", "/account/password", SIGNED_IN),
    ("GET", "/organization/", MEMBERS_ONLY),
    ("POST", "/organization/", MEMBERS_ONLY),
    ("GET", "/organization/members", MEMBERS_ONLY),
    ("POST", "/organization/members", MEMBERS_ONLY),
    ("POST", "/organization/invitations/{other_invite}/revoke", OTHER_ORGANISATIONS),
    ("GET", "/review/organizations", COORDINATORS_ONLY),
    ("GET", "/review/organizations/{org}", COORDINATORS_ONLY),
    ("POST", "/review/organizations/{org}", COORDINATORS_ONLY),
    ("GET", "/verify", EVERYONE),
    ("GET", "/agreements", COORDINATORS_ONLY),
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
