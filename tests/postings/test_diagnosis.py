"""招聘诊断: discriminatory conditions, vague postings and inconsistent numbers."""
import pytest

from portal.postings.diagnosis import diagnose
from tests import factories

CLEAN = {"title": "CNC操机员",
         "description": "负责数控车床操作、首件检验与程序微调，配合工艺员完成新产品试制。",
         "skills": ["CNC编程"], "headcount": 3}


def codes(text="", kind="talent_demand", **fields):
    values = {**CLEAN, **fields}
    if text:
        values["description"] = CLEAN["description"] + text
    return {finding.code for finding in diagnose(kind, values)}


def test_a_clean_posting_has_no_findings():
    assert codes() == set()


@pytest.mark.parametrize("text, code", [
    ("要求35岁以下", "age_limit"), ("年龄：25-35周岁", "age_limit"), ("年龄不超过40", "age_limit"),
    ("candidates under 35 only", "age_limit"),
    ("限男性", "gender"), ("女士优先", "gender"), ("只招男生", "gender"), ("male only", "gender"),
    ("本地户口", "hukou"), ("要求上海户籍", "hukou"), ("沪籍优先", "hukou"),
    ("已婚已育优先", "marital_status"), ("未婚", "marital_status"),
    ("no children", "marital_status"),
    ("汉族", "ethnicity"), ("乙肝携带者勿扰", "health_status"), ("身高170以上", "appearance"),
    ("３５岁以下", "age_limit"),  # full-width digits
])
def test_discriminatory_conditions_are_found(text, code):
    assert code in codes(text)


@pytest.mark.parametrize("text", [
    "缴纳五险一金（含生育保险）", "可协助解决上海户口指标", "男女不限", "工作3-5年经验",
    "负责35kV变电站巡检", "有2年以上PLC调试经验",
])
def test_benefits_and_ordinary_requirements_are_not_flagged(text):
    assert codes(text) == set()


def test_vague_postings():
    assert "no_skills" in codes(skills=[])
    assert "short_description" in codes(description="招人")


def test_inconsistent_numbers():
    assert "no_headcount" in codes(headcount=None)
    assert "hires_exceed_cohort" in codes(kind="training_order", headcount=20, hire_count=30)
    assert "no_hiring_commitment" in codes(kind="training_order", headcount=20, hire_count=None)
    assert "salary_inverted" in codes(salary_min=9000, salary_max=5000)
    assert "salary_below_minimum" in codes(salary_min=1500)
    assert "salary_implausible" in codes(salary_max=900_000)
    assert "no_budget" in codes(kind="research_topic", headcount=None, budget=None)


def test_excerpt_shows_the_words_found():
    text = "工作认真负责，限男性，能吃苦耐劳。" * 2
    findings = diagnose("talent_demand", {**CLEAN, "description": text})
    finding = next(f for f in findings if f.code == "gender")
    assert "限男性" in finding.excerpt


@pytest.mark.parametrize("text", ["", "。" * 10_000, "限" * 10_000, "a" * 100_000])
def test_odd_input_does_not_crash(text):
    diagnose("talent_demand", {"title": text, "description": text})


def test_the_box_is_titled_for_what_the_posting_is(client, db, login_as):
    """招聘诊断 on recruiting postings only (issue 13, defect 8)."""
    from portal.accounts.models import OrgKind
    from portal.postings.models import PostingKind

    demand = factories.posting(db, PostingKind.TALENT_DEMAND, title="电工")
    curriculum = factories.posting(db, PostingKind.CURRICULUM, title="电气自动化技术专业",
                                   org=factories.organization(db, OrgKind.UNIVERSITY,
                                                              verified=True))
    db.commit()
    login_as(demand.organization.members[0])
    assert "招聘诊断" in client.get(f"/postings/{demand.id}").get_data(as_text=True)
    login_as(curriculum.organization.members[0])
    page = client.get(f"/postings/{curriculum.id}").get_data(as_text=True)
    assert "信息检查" in page and "招聘诊断" not in page
