"""Permission rules beyond the route matrix (tests/test_route_matrix.py)."""
from tests import factories


def test_a_member_never_reviews_their_own_organisation(client, db, login_as):
    user = factories.member(db, verified=False)
    db.commit()
    login_as(user)
    response = client.post(f"/review/organizations/{user.organization_id}",
                           data={"decision": "verify", "version": 1})
    assert response.status_code == 403
