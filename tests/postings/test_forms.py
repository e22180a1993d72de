"""Writing postings through the pages: bad input gets a message and saves nothing."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts.models import OrgKind, Role
from portal.postings.models import Posting, PostingKind, PostingStatus
from tests import factories

GOOD = {
    "title": "CNC数控操机员", "description": "负责数控车床、加工中心的日常操作与首件检验。",
    "skills": "CNC编程、机械制图", "major": "数控技术", "education": "higher_vocational",
    "headcount": "6", "salary_min": "6500", "salary_max": "9000", "district": "闵行区",
}


def count(db):
    return db.scalar(select(func.count()).select_from(Posting))


@pytest.fixture
def hr(db, login_as):
    return login_as(Role.ENTERPRISE_HR)


def test_hr_creates_a_draft_and_sees_it(client, db, hr):
    response = client.post("/postings/new/talent_demand", data=GOOD)
    assert response.status_code == 302
    posting = db.scalar(select(Posting))
    assert posting.status is PostingStatus.DRAFT and posting.headcount == 6
    assert posting.organization_id == hr.organization_id and posting.created_by_id == hr.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "CNC数控操机员" in page and "招聘诊断" in page


def test_full_width_numbers_and_separators_are_accepted(client, db, hr):
    client.post("/postings/new/talent_demand",
                data={**GOOD, "headcount": "１２", "salary_min": "6,500",
                      "salary_max": "９ ０００"})
    posting = db.scalar(select(Posting))
    assert (posting.headcount, posting.salary_min, posting.salary_max) == (12, 6500, 9000)


@pytest.mark.parametrize("overrides, message", [
    ({"headcount": "-3"}, "请输入 1 到 10,000 之间的整数"),
    ({"headcount": "99999999"}, "请输入 1 到 10,000 之间的整数"),
    ({"headcount": "0"}, "请输入 1 到 10,000 之间的整数"),  # hiring nobody is no demand
    ({"headcount": "3.5"}, "请输入整数，不要带小数或单位"),
    ({"headcount": "三个"}, "请输入整数"),
    ({"headcount": ""}, "此项为必填项"),
    ({"title": ""}, "此项为必填项"),
    ({"title": "\u200b\u200d\x07 "}, "此项为必填项"),
    ({"title": "长" * 201}, "请不要超过 200 个字符"),
    ({"description": "x" * 10_001}, "请不要超过 10000 个字符"),
    ({"salary_min": "9000", "salary_max": "5000"}, "月薪上限不能低于下限"),
    ({"deadline": "2001-01-01"}, "截止日期不能早于今天"),
    ({"deadline": "next week"}, "请按 YYYY-MM-DD 格式输入日期"),
    ({"skills": "、".join(f"技能{n}" for n in range(60))}, "最多填写 50 项"),
    ({"education": "phd-ish"}, "不是有效的选择"),
])
def test_bad_input_is_explained_and_nothing_is_saved(client, db, hr, overrides, message):
    response = client.post("/postings/new/talent_demand", data={**GOOD, **overrides})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(db) == 0


@pytest.mark.parametrize("overrides", [
    {"description": "x" * (10 * 1024 * 1024)},  # one huge field
    {"skills": "、" * 600_000},  # a body of separators (issue 14)
])
def test_an_oversized_body_is_refused_before_any_work(client, db, hr, overrides):
    """Issue 14: a 620 KB skills field pinned a worker while it was split; a form's body
    now stops at the route's limit, before parsing."""
    response = client.post("/postings/new/talent_demand", data={**GOOD, **overrides})
    assert response.status_code == 413
    assert "请缩短文字" in response.get_data(as_text=True)
    assert count(db) == 0


def test_a_long_list_within_the_body_limit_is_refused_with_its_limit(client, db, hr):
    skills = "、".join(f"技能{n}" for n in range(2_500))  # ~ 17,000 characters, distinct
    response = client.post("/postings/new/talent_demand", data={**GOOD, "skills": skills})
    assert response.status_code == 200 and "请不要超过 2000 个字符" in response.get_data(
        as_text=True)
    assert count(db) == 0


def test_research_dates_must_be_in_order(client, db, login_as):
    login_as(Role.ENTERPRISE_HR)
    response = client.post("/postings/new/research_topic", data={
        "title": "缺陷检测", "description": "压铸件缺陷依靠人工目检。", "goals": "漏检率低于0.5%",
        "start_date": "2027-06-01", "end_date": "2027-01-01"})
    assert "结束日期不能早于开始日期" in response.get_data(as_text=True)
    assert count(db) == 0


def test_full_width_dates_are_accepted(client, db, hr):
    day = date.today() + timedelta(days=30)
    full_width = day.isoformat().translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    client.post("/postings/new/talent_demand", data={**GOOD, "deadline": full_width})
    assert db.scalar(select(Posting.deadline)) == day


def test_control_characters_are_removed(client, db, hr):
    client.post("/postings/new/talent_demand",
                data={**GOOD, "title": "CNC\x00操机\u202e员",
                      "description": "负责\x1b操作\r\n检验"})
    posting = db.scalar(select(Posting))
    assert posting.title == "CNC操机员" and posting.description == "负责操作\n检验"


def test_html_and_script_render_inert(client, db, hr):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = client.post("/postings/new/talent_demand",
                           data={**GOOD, "title": payload, "description": payload,
                                 "skills": payload})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_status_in_a_post_is_ignored(client, db, hr):
    client.post("/postings/new/talent_demand", data={**GOOD, "status": "published",
                                                     "organization_id": "999"})
    posting = db.scalar(select(Posting))
    assert posting.status is PostingStatus.DRAFT and posting.organization_id == hr.organization_id


def test_edit_form_is_filled_and_saves_changes(client, db, hr):
    posting = factories.posting(db, org=hr.organization, skills="PLC、电气图纸")
    db.commit()
    page = client.get(f"/postings/{posting.id}/edit").get_data(as_text=True)
    assert "PLC、电气图纸" in page and posting.title in page
    data = {"title": "新标题", "description": posting.description, "skills": "PLC",
            "headcount": "4", "version": str(posting.version)}
    assert client.post(f"/postings/{posting.id}/edit", data=data).status_code == 302
    edited = db.get(Posting, posting.id)
    assert edited.title == "新标题" and edited.skills == ["PLC"]
    assert edited.revisions[0].action == "edited"
    # The same form sent again (old version) is refused.
    response = client.post(f"/postings/{posting.id}/edit", data={**data, "title": "再改"})
    assert "已被他人修改" in response.get_data(as_text=True)


def test_publish_close_and_delete_buttons(client, db, hr):
    client.post("/postings/new/talent_demand", data=GOOD)
    posting_id = db.scalar(select(Posting.id))
    assert client.post(f"/postings/{posting_id}/publish").status_code == 302
    assert db.get(Posting, posting_id).status is PostingStatus.PUBLISHED
    client.post(f"/postings/{posting_id}/delete")  # refused: not a draft
    assert db.get(Posting, posting_id) is not None
    client.post(f"/postings/{posting_id}/close")
    assert db.get(Posting, posting_id).status is PostingStatus.CLOSED


def test_pending_organisation_sees_why_it_cannot_publish(client, db, login_as):
    login_as(Role.ENTERPRISE_HR, verified=False)
    client.post("/postings/new/talent_demand", data=GOOD)
    posting_id = db.scalar(select(Posting.id))
    page = client.get(f"/postings/{posting_id}").get_data(as_text=True)
    assert "机构审核通过后即可发布" in page
    response = client.post(f"/postings/{posting_id}/publish", follow_redirects=True)
    assert "审核通过后即可发布" in response.get_data(as_text=True)
    assert db.scalar(select(Posting.status)) is PostingStatus.DRAFT


@pytest.mark.parametrize("kind", list(PostingKind))
def test_each_kind_has_a_working_form(client, db, login_as, kind):
    side_role = Role.ENTERPRISE_HR if kind.side is OrgKind.ENTERPRISE else Role.UNIVERSITY_STAFF
    login_as(side_role)
    assert client.get(f"/postings/new/{kind.value}").status_code == 200
    data = {"title": "标题", "description": "这是一段足够长的说明文字，用来描述岗位或专业的内容。",
            "major": "数控技术", "headcount": "10", "goals": "目标"}
    assert client.post(f"/postings/new/{kind.value}", data=data).status_code == 302
    assert db.scalar(select(Posting.kind)) is kind
