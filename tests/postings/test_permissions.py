"""Postings beyond the route matrix (tests/test_route_matrix.py): unknown ids and kinds."""
from portal.accounts.models import Role


def test_unknown_posting_and_kind_are_not_found(client, login_as):
    login_as(Role.ENTERPRISE_HR)
    assert client.get("/postings/999999").status_code == 404
    assert client.get("/postings/new/lottery").status_code == 404
    assert client.get("/postings/export.pdf").status_code == 404
