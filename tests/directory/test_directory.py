"""The organisation directory and profile pages (issue 16): verified organisations only,
filters and pages, postings and partnerships shown, the terms kept private."""
from __future__ import annotations

from portal.accounts.models import OrgKind
from portal.directory import services as directory
from portal.postings.models import PostingKind
from tests import factories


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_directory_lists_verified_organisations_only(client, db, login_as):
    verified = factories.organization(db, verified=True, name="上海澄曜智能装备有限公司")
    pending = factories.organization(db, name="上海未审核机电有限公司")
    login_as(factories.member(db))
    page = page_of(client, "/organizations/")
    assert verified.name in page
    assert pending.name not in page


def test_filters_by_text_kind_and_district(client, db, login_as):
    firm = factories.organization(db, verified=True, name="上海澄曜智能装备有限公司",
                                  district="闵行区", industry="智能制造")
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True,
                                     name="上海临港职业技术学院", district="浦东新区")
    login_as(factories.member(db, district="嘉定区", industry="物流"))
    assert college.name not in page_of(client, "/organizations/?q=澄曜")
    assert firm.name in page_of(client, "/organizations/?q=智能制造")  # industry matches too
    by_kind = page_of(client, "/organizations/?kind=university")
    assert college.name in by_kind and firm.name not in by_kind
    by_district = page_of(client, "/organizations/?district=闵行区")
    assert firm.name in by_district and college.name not in by_district


def test_wildcards_in_the_search_are_plain_characters(client, db, login_as):
    factories.organization(db, verified=True, name="上海澄曜智能装备有限公司")
    login_as(factories.member(db))
    assert "上海澄曜" not in page_of(client, "/organizations/?q=%25")


def test_a_bad_kind_or_page_is_ignored_not_an_error(client, db, login_as):
    login_as(factories.member(db))
    page_of(client, "/organizations/?kind=spaceship&page=abc")


def test_results_come_in_numbered_pages(db):
    for n in range(directory.PAGE_SIZE + 3):
        factories.organization(db, verified=True, name=f"上海分页测试{n:02d}有限公司")
    first = directory.search_directory(db, directory.DirectoryQuery.cleaned("分页", None, "", 1))
    second = directory.search_directory(db, directory.DirectoryQuery.cleaned("分页", None, "", 2))
    assert first.total == directory.PAGE_SIZE + 3
    assert len(first.items) == directory.PAGE_SIZE and len(second.items) == 3
    assert not {o.id for o in first.items} & {o.id for o in second.items}


def test_live_postings_are_counted_per_organisation(client, db, login_as):
    firm = factories.organization(db, verified=True, name="上海计数测试有限公司")
    factories.posting(db, org=firm)
    factories.posting(db, org=firm)
    factories.posting(db, org=firm, publish=False)
    login_as(factories.member(db))
    page = page_of(client, "/organizations/?q=计数测试")
    assert '<td class="number">2</td>' in page


def test_a_profile_shows_postings_and_partnerships_but_not_terms(client, db, login_as):
    proposal = factories.partnership(db, title="数控订单班")
    firm, college = proposal.proposer, proposal.partner
    live = factories.posting(db, org=firm, title="PLC电气工程师")
    draft = factories.posting(db, org=firm, title="尚未发布的岗位", publish=False)
    login_as(factories.member(db))  # an unrelated enterprise
    page = page_of(client, f"/organizations/{firm.id}")
    assert live.title in page and draft.title not in page
    assert proposal.title in page and college.name in page
    for value in proposal.terms_in_force.values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in page, value
    assert college.name in page_of(client, f"/organizations/{college.id}")


def test_a_profile_under_review_is_seen_by_its_members_and_the_coordinators(
        client, db, login_as):
    member = factories.member(db, verified=False)
    org = member.organization
    login_as(factories.member(db))
    assert client.get(f"/organizations/{org.id}").status_code == 404
    login_as(member)
    page_of(client, f"/organizations/{org.id}")
    login_as(factories.coordinator(db))
    page_of(client, f"/organizations/{org.id}")
    assert client.get("/organizations/999999").status_code == 404


def test_members_write_the_description_the_profile_shows(client, db, login_as):
    member = factories.member(db)
    org = member.organization
    login_as(member)
    form = {"district": org.district, "industry": org.industry, "size": org.size.value,
            "description": "专注数控机床装备，愿与高职院校共建订单班。"}
    client.post("/organization/", data=form)
    db.refresh(org)
    assert org.description == form["description"]
    assert form["description"] in page_of(client, f"/organizations/{org.id}")


def test_a_description_too_long_is_refused_and_nothing_changes(client, db, login_as):
    member = factories.member(db)
    org = member.organization
    login_as(member)
    form = {"district": "嘉定区", "industry": org.industry, "size": org.size.value,
            "description": "长" * 2001}
    page = client.post("/organization/", data=form).get_data(as_text=True)
    assert "2000" in page
    db.refresh(org)
    assert org.description == "" and org.district == "闵行区"


def test_the_posting_page_links_to_the_publisher_profile(client, db, login_as):
    posting = factories.posting(db, PostingKind.TALENT_DEMAND)
    login_as(factories.member(db))
    page = page_of(client, f"/postings/{posting.id}")
    assert f'href="/organizations/{posting.organization_id}"' in page
