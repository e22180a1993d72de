"""Requirement extraction: what a post asks for, from the varied ways real posts say it."""
import pytest

from portal.matching.catalogue import shipped_catalogue
from portal.matching.requirements import BACHELOR, MASTER, SECONDARY, VOCATIONAL, extract


def asks(text, **fields):
    return extract(shipped_catalogue(), description=text, **fields)


def majors(found):
    return {(m.reference.kind, m.reference.key, m.preferred) for m in found.majors}


def test_a_list_with_commas_and_a_related_clause():
    found = asks("任职要求：1、计算机、数学、统计学等相关专业，本科及以上学历；"
                 "2、3年以上数据分析经验")
    assert majors(found) == {("major", "计算机科学与技术", False),
                             ("major", "数学与应用数学", False), ("major", "统计学", False)}
    assert all(m.widened for m in found.majors)
    assert (found.degree_min, found.degree_max, found.years) == (BACHELOR, None, 3)


@pytest.mark.parametrize("text", [
    "机械类或电气类专业，中专及以上学历",
    "机械类及电气类专业，中专及以上学历",
    "机械类/电气类专业，中专及以上学历",
    "机械类和电气类专业，中专及以上学历",
])
def test_classes_joined_by_any_conjunction(text):
    found = asks(text)
    assert majors(found) == {("field", "mechanical", False), ("field", "electrical", False)}
    assert found.degree_min == SECONDARY


def test_preferred_is_not_required():
    found = asks("本科及以上学历，硕士优先；护理专业优先")
    assert majors(found) == {("major", "护理学", True)}
    assert found.required_majors == ()
    assert found.degree_min == BACHELOR  # 硕士优先 raises no floor


def test_any_major_and_graduates():
    found = asks("专业不限，大专及以上学历，应届生可培养")
    assert found.any_major and found.degree_min == VOCATIONAL and found.years == 0
    assert found.columns(shipped_catalogue()) == {}


def test_listed_levels_set_a_ceiling():
    found = asks("中专/大专学历，能吃苦耐劳")
    assert (found.degree_min, found.degree_max) == (SECONDARY, VOCATIONAL)


def test_majors_after_a_colon():
    found = asks("岗位要求：1）硕士及以上学历；2) 涉及专业：电子工程、通信工程、光电工程等相关专业")
    assert {m.reference.key for m in found.majors} == {
        "电子信息工程", "通信工程", "光电信息科学与工程"}
    assert found.degree_min == MASTER


def test_full_width_and_traditional_script():
    found = asks("任職要求：計算機相關專業，本科以上學歷，２年以上經驗")
    assert {m.reference.key for m in found.majors} == {"计算机科学与技术"}
    assert (found.degree_min, found.years) == (BACHELOR, 2)


def test_an_english_post():
    found = asks("Bachelor's degree in Computer Science, Statistics or a related field; "
                 "3+ years of experience; PMP preferred.")
    assert {m.reference.key for m in found.majors} == {"计算机科学与技术", "统计学"}
    assert found.degree_min == BACHELOR and found.years == 3
    assert "PMP" in found.certificates


def test_certificates():
    found = asks("持有电工证、焊工证；有初级会计职称或CPA证书者优先；英语六级")
    assert {"电工证", "焊工证", "初级会计职称", "CPA证书", "英语六级"} <= set(found.certificates)


def test_know_how_is_not_a_major():
    found = asks("具备扎实的专业知识和专业技能，电气专业能力强者优先")
    assert found.majors == ()


def test_the_major_field_counts_as_required():
    found = extract(shipped_catalogue(), title="运维工程师", major="软件技术")
    assert majors(found) == {("major", "软件技术", False)}


def test_chinese_numbers_for_years():
    assert asks("两年以上相关工作经验").years == 2
    assert asks("三年及以上工作经验").years == 3


def test_work_is_linear_on_long_hostile_text():
    # 200,000 characters of list separators and repeated majors: bounded by the patterns.
    found = asks("计算机、" * 20_000 + "等相关专业" + "，" * 100_000)
    assert {m.reference.key for m in found.majors} == {"计算机科学与技术"}


def test_a_role_title_implies_its_field_only_when_no_major_is_named():
    catalogue = shipped_catalogue()
    quiet = extract(catalogue, title="会计助理", description="负责凭证整理与报销。")
    assert quiet.majors == ()  # the post states no major: none is shown as its ask
    assert {(m.reference.key, m.widened) for m in quiet.implied} == {("会计学", True)}
    assert quiet.columns(catalogue)["field:accounting"] > 0
    named = extract(catalogue, title="会计助理", description="金融相关专业。")
    assert named.implied == ()
    topic = extract(catalogue, title="供应链融资风险评估", title_is_a_role=False)
    assert topic.implied == ()
