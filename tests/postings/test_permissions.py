"""Postings: route × role × own or other organisation → expected status."""
import pytest

from portal.accounts.models import OrgKind, Role
from portal.postings.models import PostingKind
from tests import factories

ANONYMOUS, OWN, OTHER_HR, STAFF, COORDINATOR = "anonymous", "own", "other_hr", "staff", "coord"
WHO = [ANONYMOUS, OWN, OTHER_HR, STAFF, COORDINATOR]
LOGIN = 302

# {published} and {draft} belong to the OWN organisation (an enterprise).
MATRIX = [
    ("GET", "/postings/", {ANONYMOUS: LOGIN, OWN: 200, OTHER_HR: 200, STAFF: 200,
                           COORDINATOR: 200}),
    ("GET", "/postings/mine", {ANONYMOUS: LOGIN, OWN: 200, OTHER_HR: 200, STAFF: 200,
                               COORDINATOR: 403}),
    ("GET", "/postings/new/talent_demand", {ANONYMOUS: LOGIN, OWN: 200, OTHER_HR: 200,
                                            STAFF: 403, COORDINATOR: 403}),
    ("GET", "/postings/new/curriculum", {ANONYMOUS: LOGIN, OWN: 403, OTHER_HR: 403, STAFF: 200,
                                         COORDINATOR: 403}),
    ("GET", "/postings/{published}", {ANONYMOUS: LOGIN, OWN: 200, OTHER_HR: 200, STAFF: 200,
                                      COORDINATOR: 200}),
    ("GET", "/postings/{draft}", {ANONYMOUS: LOGIN, OWN: 200, OTHER_HR: 404, STAFF: 404,
                                  COORDINATOR: 200}),
    ("GET", "/postings/{published}/edit", {ANONYMOUS: LOGIN, OWN: 200, OTHER_HR: 403,
                                           STAFF: 403, COORDINATOR: 403}),
    ("GET", "/postings/{draft}/edit", {ANONYMOUS: LOGIN, OWN: 200, OTHER_HR: 404, STAFF: 404,
                                       COORDINATOR: 403}),
    ("POST", "/postings/{published}/edit", {ANONYMOUS: LOGIN, OWN: 200, OTHER_HR: 403,
                                            STAFF: 403, COORDINATOR: 403}),
    ("POST", "/postings/{published}/close", {ANONYMOUS: LOGIN, OWN: 302, OTHER_HR: 403,
                                             STAFF: 403, COORDINATOR: 403}),
    ("POST", "/postings/{draft}/publish", {ANONYMOUS: LOGIN, OWN: 302, OTHER_HR: 404,
                                           STAFF: 404, COORDINATOR: 403}),
    ("POST", "/postings/{draft}/delete", {ANONYMOUS: LOGIN, OWN: 302, OTHER_HR: 404,
                                          STAFF: 404, COORDINATOR: 403}),
    ("GET", "/postings/export.csv", {ANONYMOUS: LOGIN, OWN: 200, OTHER_HR: 200, STAFF: 200,
                                     COORDINATOR: 200}),
    ("GET", "/postings/import", {ANONYMOUS: LOGIN, OWN: 403, OTHER_HR: 403, STAFF: 403,
                                 COORDINATOR: 200}),
    ("POST", "/postings/import", {ANONYMOUS: LOGIN, OWN: 403, OTHER_HR: 403, STAFF: 403,
                                  COORDINATOR: 200}),
]
CASES = [(m, p, who, expected[who]) for m, p, expected in MATRIX for who in WHO]


@pytest.mark.parametrize("method, path, who, expected", CASES,
                         ids=[f"{m} {p} {w}" for m, p, w, _ in CASES])
def test_posting_permission_matrix(client, db, login_as, method, path, who, expected):
    owner_org = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    published = factories.posting(db, org=owner_org)
    draft = factories.posting(db, PostingKind.TRAINING_ORDER, org=owner_org, publish=False)
    users = {OWN: lambda: owner_org.members[0], OTHER_HR: lambda: Role.ENTERPRISE_HR,
             STAFF: lambda: Role.UNIVERSITY_STAFF, COORDINATOR: lambda: Role.COORDINATOR}
    if who != ANONYMOUS:
        login_as(users[who]())
    url = path.format(published=published.id, draft=draft.id)
    assert client.open(url, method=method, data={}).status_code == expected


def test_unknown_posting_and_kind_are_not_found(client, login_as):
    login_as(Role.ENTERPRISE_HR)
    assert client.get("/postings/999999").status_code == 404
    assert client.get("/postings/new/lottery").status_code == 404
    assert client.get("/postings/export.pdf").status_code == 404
