"""Forms say which fields are required and what a number may be (issue 16), in both
languages; the server holds the same bounds."""
import re

from portal.accounts.models import OrgKind
from tests import factories


def test_required_fields_are_marked_and_numbers_show_their_bounds(client, db, login_as):
    login_as(factories.member(db, OrgKind.ENTERPRISE))
    page = client.get("/postings/new/talent_demand").get_data(as_text=True)
    assert "标 * 的为必填项。" in page
    assert re.search(r'<label class="required" for="title">', page)
    assert re.search(r'<label for="skills">', page)  # optional: unmarked
    assert re.search(r'<input[^>]*id="headcount"[^>]*required', page)
    assert "1 到 10,000 之间的整数。" in page
    refused = client.post("/postings/new/talent_demand", data={
        "title": "岗位", "description": "负责设备维护。", "headcount": "10001"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "请输入 1 到 10,000 之间的整数。" in page
    assert 'aria-invalid="true"' in page


def test_the_same_help_in_english(client, db, login_as):
    login_as(factories.member(db, OrgKind.ENTERPRISE))
    client.post("/language", data={"language": "en"})
    page = client.get("/postings/new/talent_demand").get_data(as_text=True)
    assert "Fields marked * are required." in page and "A whole number from 1 to 10,000." in page
