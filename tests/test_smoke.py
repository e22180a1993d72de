"""The app starts, serves its pages and its CLI works against the migrated database."""
from portal.accounts.models import Role


def test_home_page_for_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "注册" in response.get_data(as_text=True)


def test_every_role_sees_its_overview(client, login_as):
    for role in Role:
        login_as(role)
        assert client.get("/").status_code == 200
