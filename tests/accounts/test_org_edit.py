"""Editing "my organisation" keeps what it does not change (issue 13, defect 1)."""
import re

import pytest

from portal.accounts.models import EnterpriseSize, OrgKind, UniversityLevel
from tests import factories


def selected(page: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|'
                       r'<option[^>]*value="([^"]*)"[^>]*selected', select.group(1))
    return chosen and (chosen.group(1) or chosen.group(2))


@pytest.mark.parametrize("kind, name, value", [
    (OrgKind.ENTERPRISE, "size", EnterpriseSize.SMALL),
    (OrgKind.UNIVERSITY, "level", UniversityLevel.HIGHER_VOCATIONAL),
])
def test_the_form_shows_the_saved_size_or_level(client, db, login_as, kind, name, value):
    member = factories.member(db, kind)
    assert getattr(member.organization, name) is value
    login_as(member)
    assert selected(client.get("/organization/").get_data(as_text=True), name) == value.value


def submitted(page: str, name: str) -> str:
    """What a browser sends for a select: the selected option, else the first one."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    return selected(page, name) or re.search(r'value="([^"]*)"', select.group(1)).group(1)


def test_saving_unchanged_details_keeps_the_size(client, db, login_as):
    member = factories.member(db, OrgKind.ENTERPRISE)
    login_as(member)
    page = client.get("/organization/").get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    for name in re.findall(r'<select[^>]*name="([^"]+)"', page):
        fields[name] = submitted(page, name)
    client.post("/organization/", data=fields)
    db.refresh(member.organization)
    assert member.organization.size is EnterpriseSize.SMALL
