"""Issue 14: look-alike e-mail addresses (full-width, homoglyphs) and organisation names
that differ only in such characters are flagged to coordinators."""
import pytest

from portal.accounts.duplicates import similar_names
from portal.accounts.lookalike import name_core, skeleton
from portal.accounts.models import OrgKind, Role
from tests import factories


@pytest.mark.parametrize("one, other", [
    ("hr@chengyao.demo", "hr@chengyаo.demo"),  # Cyrillic а
    ("hr@chengyao.demo", "ＨＲ@ｃｈｅｎｇｙａｏ.demo"),  # full width
    ("hr@chengyao.demo", "hr@cheng\u200byao.demo"),  # zero-width space
    ("上海澄曜智能装备有限公司", "上海澄曜智能装备有限公司\u2060"),
    ("上海土木工程有限公司", "上海士木工程有限公司"),
    ("Shanghai Lingang Poly", "Shanghai 1ingang P0ly"),
])
def test_look_alikes_share_a_skeleton(one, other):
    assert skeleton(one) == skeleton(other)


@pytest.mark.parametrize("one, other", [
    ("hr@chengyao.demo", "hr@chengyan.demo"),
    ("上海澄曜智能装备有限公司", "上海澄曜精密装备有限公司"),
])
def test_different_names_keep_different_skeletons(one, other):
    assert skeleton(one) != skeleton(other)


def test_the_skeleton_is_bounded_and_linear():
    assert len(skeleton("а" * 100_000)) <= 400


def test_coordinators_see_a_look_alike_organisation_and_address(client, db, login_as):
    real = factories.member(db, OrgKind.ENTERPRISE, email="hr@chengyao.demo",
                            name="上海土木工程有限公司")
    impostor = factories.member(db, OrgKind.ENTERPRISE, verified=False,
                                email="hr@chengyаo.demo", name="上海士木工程有限公司")
    honest = factories.member(db, OrgKind.ENTERPRISE, verified=False,
                              email="hr@lingang.demo", name="上海临港精密机械有限公司")
    db.commit()
    login_as(Role.COORDINATOR)
    queue = client.get("/review/organizations").get_data(as_text=True)
    row = queue[queue.index(impostor.organization.name):][:400]
    assert "易混" in row
    honest_row = queue[queue.index(honest.organization.name):][:400]
    assert "易混" not in honest_row.split("</tr>")[0]
    page = client.get(f"/review/organizations/{impostor.organization.id}").get_data(as_text=True)
    # The odd character is marked and named: the two addresses read the same otherwise.
    assert 'hr@chengy<mark class="unusual" title="U+0430 CYRILLIC SMALL LETTER A">а</mark>' \
        'o.demo' in page and real.email in page
    assert "冒用" in page
    clean = client.get(f"/review/organizations/{honest.organization.id}").get_data(as_text=True)
    assert "冒用" not in clean


def test_a_renamed_organisation_keeps_its_skeleton(db):
    org = factories.organization(db, OrgKind.UNIVERSITY)
    org.name = "上海临港职业技术学院"
    db.commit()
    assert org.name_skeleton == skeleton("上海临港职业技术学院")


@pytest.mark.parametrize("one, other", [
    ("上海澄曜智能装备有限公司", "澄曜智能装备（上海）有限公司"),
    ("上海澄曜智能装备有限公司", "上海市澄曜智能装备股份有限公司"),
    ("上海澄曜智能装备有限公司", "澄曜智能装备集团有限公司"),
    ("Chengyao Robotics Co., Ltd.", "CHENGYAO ROBOTICS LTD"),
])
def test_place_and_legal_form_do_not_tell_names_apart(one, other):
    assert name_core(one) == name_core(other)


@pytest.mark.parametrize("one, other", [
    ("上海澄曜智能装备有限公司", "上海澄曜精密装备有限公司"),
    ("上海临港职业技术学院", "上海临港大学"),  # a university's kind is part of its name
])
def test_the_distinguishing_part_stays(one, other):
    assert name_core(one) != name_core(other)


def test_the_core_is_bounded():
    assert len(name_core("上海" + "澄" * 100_000 + "有限公司")) <= 400


def test_a_name_of_only_place_and_form_keeps_what_it_has():
    assert name_core("上海有限公司") and name_core("上海有限公司") != name_core("北京有限公司")


def test_similar_names_are_listed_closest_first_within_the_kind(db):
    org = factories.organization(db, name="上海澄曜智能装备有限公司")
    same = factories.organization(db, verified=True, name="澄曜智能装备（上海）有限公司")
    typo = factories.organization(db, name="上海澄耀智能装备有限公司")  # 耀 for 曜
    shorter = factories.organization(db, name="上海澄曜智能有限公司")
    factories.organization(db, name="上海澄曜精密装备有限公司")  # another trade
    factories.organization(db, OrgKind.UNIVERSITY, name="澄曜智能装备学院")
    assert similar_names(db, org) == [same, typo, shorter]


def test_a_same_core_registration_is_flagged_and_left_out_of_bulk_verification(
        client, db, login_as):
    factories.organization(db, verified=True, name="上海澄曜智能装备有限公司")
    twin = factories.organization(db, name="上海市澄曜智能装备股份有限公司")
    db.commit()
    login_as(Role.COORDINATOR)
    queue = client.get("/review/organizations").get_data(as_text=True)
    row = queue[queue.index(twin.name):].split("</tr>")[0]
    assert "易混" in row
    assert f'value="{twin.id}:' not in queue  # no tick box: reviewed on its own
    page = client.get(f"/review/organizations/{twin.id}").get_data(as_text=True)
    assert "该机构是否已经注册？" in page and "上海澄曜智能装备有限公司" in page

