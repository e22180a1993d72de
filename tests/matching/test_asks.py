"""The posting page shows what a post asks for, and why a match is recommended, in plain
sentences in both languages; raw components only to coordinators."""
from portal.accounts.models import OrgKind, Role
from portal.i18n import LANGUAGE_COOKIE
from portal.postings.models import PostingKind
from tests import factories

POST = ("岗位职责：负责数据清洗与报表开发。任职要求：1、计算机、统计学等相关专业，本科及以上学历；"
        "2、3年以上数据分析经验；3、有CDA数据分析师证书者优先。")


def market(db):
    enterprise = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    demand = factories.posting(db, PostingKind.TALENT_DEMAND, org=enterprise,
                               title="数据分析师", description=POST, skills="SQL、Python",
                               major="")
    programme = factories.posting(db, PostingKind.CURRICULUM, org=college, title="大数据技术专业",
                                  major="大数据技术", skills="",
                                  description="培养数据采集、数据清洗、数据分析与可视化人才。",
                                  courses="Python程序设计、数据库技术、数据分析与可视化")
    db.commit()
    return demand, programme


def test_both_sides_see_what_the_post_asks_for(client, db, login_as):
    demand, programme = market(db)
    for role in (Role.UNIVERSITY_STAFF, Role.ENTERPRISE_HR):
        login_as(role)
        page = client.get(f"/postings/{demand.id}").get_data(as_text=True)
        assert 'id="asks-title">岗位要求' in page
        assert "计算机" in page and "统计学" in page
        assert "本科及以上" in page
        assert "3年及以上" in page
        assert "CDA数据分析师证书" in page


def test_supply_pages_have_no_asks_box(client, db, login_as):
    demand, programme = market(db)
    login_as(Role.UNIVERSITY_STAFF)
    assert 'id="asks-title"' not in client.get(f"/postings/{programme.id}").get_data(
        as_text=True)


def test_why_recommended_in_plain_sentences_in_chinese_and_english(client, db, login_as):
    demand, programme = market(db)
    login_as(demand.organization.members[0])
    page = client.get(f"/postings/{demand.id}").get_data(as_text=True)
    assert "专业：岗位要求计算机、统计学；本项目为大数据技术，符合。" in page
    assert "学历：要求本科及以上，本项目为高职（大专）层次，排序靠后。" in page
    assert "各项得分" not in page  # the raw components are for coordinators
    client.set_cookie(LANGUAGE_COOKIE, "en")
    page = client.get(f"/postings/{demand.id}").get_data(as_text=True)
    assert "What this post asks for" in page
    assert "this programme is 大数据技术, which fits." in page
    assert "so it ranks lower." in page


def test_coordinators_see_the_components(client, db, login_as):
    demand, programme = market(db)
    login_as(Role.COORDINATOR)
    page = client.get(f"/postings/{demand.id}").get_data(as_text=True)
    assert "各项得分" in page and "文字相似" in page
