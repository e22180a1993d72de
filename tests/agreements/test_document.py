"""Each kind prints its own agreement: both parties, the number, each side's obligations
from the agreed terms, in Chinese (English on request), with user text escaped."""
import shutil
import subprocess

import pytest

from portal.agreements.document import agreement_pdf
from portal.cooperation.models import CooperationKind as K
from portal.demo_cooperation import TERMS
from tests.factories import partnership

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils not installed")


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "agreement.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return "".join(text.split())  # lines wrap anywhere in Chinese


# Per kind: terms that must appear, and a sentence of the kind's own articles.
KIND_CHECKS = {
    K.ORDER_TRAINING: (["cohort_size", "major", "training_place", "cost_sharing", "hires"],
                       "录用承诺"),
    K.TALENT_PIPELINE: (["positions", "headcount", "period", "allowance", "supervision"],
                        "优先录用表现优秀的实习学生"),
    K.DUAL_MENTOR: (["enterprise_mentors", "faculty_mentors", "courses_or_projects",
                     "hours_per_term"], "授课学时与课程证明"),
    K.JOINT_RESEARCH: (["topic", "milestones", "payment_schedule", "ip_ownership",
                        "confidentiality"], "保密义务在本协议终止后继续有效"),
}


TITLES = {K.ORDER_TRAINING: "订单式培养合作协议", K.TALENT_PIPELINE: "人才输送与实习合作协议",
          K.DUAL_MENTOR: "双导师合作协议", K.JOINT_RESEARCH: "联合攻关合作协议"}


def printed(value) -> str:
    if isinstance(value, list):
        return value[0]
    return f"{value:,}" if isinstance(value, int) else value


@pytest.mark.parametrize("kind", list(K))
def test_each_kind_prints_its_parties_terms_and_obligations(db, kind, tmp_path):
    proposal = partnership(db, kind)
    db.commit()
    agreement = proposal.agreements[0]
    text = text_of(agreement_pdf(agreement), tmp_path)
    enterprise, university = ((proposal.proposer, proposal.partner))
    for expected in (agreement.number, enterprise.name, enterprise.credit_code,
                     university.name, university.school_code, "上海市闵行区剑川路951号",
                     "甲方的权利与义务", "乙方的权利与义务", "争议解决", "协调办公室（盖章）",
                     agreement.verification_code):
        assert expected in text, expected
    names, own_article = KIND_CHECKS[kind]
    assert TITLES[kind] in text[:100]  # the heading, after the running header
    assert own_article in text
    for name in names:
        assert "".join(str(printed(TERMS[kind][name])).split()) in text, name


def test_english_on_request(db, tmp_path):
    proposal = partnership(db, K.JOINT_RESEARCH)
    db.commit()
    text = text_of(agreement_pdf(proposal.agreements[0], "en"), tmp_path)
    assert "JointResearchCooperationAgreement" in text
    assert "ObligationsofPartyA" in text and "Page1of" in text
    assert "压铸件缺陷智能检测" in text  # the parties' own words stay as written


def test_user_text_is_printed_as_text_not_markup(db, tmp_path):
    title = '订单班<img src="file:///etc/passwd">{{ 7*7 }}{% raw %}'
    proposal = partnership(db, title=title, terms={
        **TERMS[K.ORDER_TRAINING], "training_place": "<script>alert(1)</script>车间"})
    db.commit()
    text = text_of(agreement_pdf(proposal.agreements[0]), tmp_path)
    assert '订单班<imgsrc="file:///etc/passwd">{{7*7}}{%raw%}' in text
    assert "<script>alert(1)</script>车间" in text
    assert "root:" not in text


def test_rare_characters_in_names_are_embedded(db, tmp_path):
    proposal = partnership(db)
    db.commit()
    proposal.proposer.name = "上海堃喆䶮𠮷精密机械有限公司"  # Ext-A and Ext-B characters
    pdf = agreement_pdf(proposal.agreements[0])
    assert "上海堃喆䶮𠮷精密机械有限公司" in text_of(pdf, tmp_path)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "agreement.pdf")], capture_output=True,
                           text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes yes yes " in line for line in fonts)  # embedded, subset


def test_the_qr_code_is_the_verification_address(db, tmp_path):
    """The printed QR image holds, module for module, the code of the agreement's
    verification page."""
    import segno
    from PIL import Image

    from portal.agreements.document import verify_url

    proposal = partnership(db)
    db.commit()
    agreement = proposal.agreements[0]
    path = tmp_path / "agreement.pdf"
    path.write_bytes(agreement_pdf(agreement))
    subprocess.run(["pdfimages", "-png", str(path), str(tmp_path / "image")], check=True)
    images = sorted(tmp_path.glob("image-*.png"))
    assert len(images) == 1
    printed_modules = Image.open(images[0]).convert("1")
    expected = segno.make(verify_url(agreement.verification_code), error="m")
    assert printed_modules.size == expected.symbol_size(scale=1, border=0)
    dark = [[printed_modules.getpixel((x, y)) == 0 for x in range(printed_modules.width)]
            for y in range(printed_modules.height)]
    assert dark == [[bool(module) for module in row] for row in expected.matrix]



ANNEX = "附件："  # the annex lists every term agreed, blanks as a dash
STUDENT_CLAUSES = ("学生权益保障", "三方实习协议", "实习责任保险", "试用期工资标准的80%",
                   "无报酬加班")


@pytest.mark.parametrize("kind", list(K))
def test_every_agreement_states_its_term_place_and_liability(db, kind, tmp_path):
    proposal = partnership(db, kind)
    db.commit()
    text = text_of(agreement_pdf(proposal.agreements[0]), tmp_path)
    assert "合作期限自2027年3月1日起至2029年8月31日止" in text
    assert "签订地点：上海市" in text and "违约责任" in text
    places_students = kind in (K.ORDER_TRAINING, K.TALENT_PIPELINE)
    assert all((clause in text) is places_students for clause in STUDENT_CLAUSES), kind


def test_the_people_who_agreed_are_named_with_a_phone(db, tmp_path):
    proposal = partnership(db)
    db.commit()
    staff = proposal.partner.members[0]
    staff.phone, proposal.partner.contact_phone = "139 0000 1234", ""
    text = text_of(agreement_pdf(proposal.agreements[0]), tmp_path)
    assert f"法定代表人：{proposal.proposer.representative}" in text
    assert f"联系人：{proposal.proposer.members[0].name}" in text
    assert f"联系人：{staff.name}" in text and "电话：13900001234" in text  # hers, not —


def test_supplementary_terms_print_escaped_and_an_older_version_without(db, tmp_path):
    terms = {**TERMS[K.JOINT_RESEARCH], "supplementary": "样品<b>归还</b>甲方。\n第二行"}
    proposal = partnership(db, K.JOINT_RESEARCH, terms=terms)
    db.commit()
    text = text_of(agreement_pdf(proposal.agreements[0]), tmp_path)
    assert "补充条款" in text and "样品<b>归还</b>甲方。第二行" in text
    without = partnership(db, K.JOINT_RESEARCH, terms={**terms, "supplementary": ""})
    db.commit()
    body = text_of(agreement_pdf(without.agreements[0]), tmp_path).split(ANNEX)[0]
    assert "补充条款" not in body


def test_an_agreement_of_terms_without_dates_keeps_the_open_ended_clause(db, tmp_path):
    """Versions agreed before a term was asked for print as they did."""
    proposal = partnership(db)
    db.commit()
    agreement = proposal.agreements[0]
    version = next(v for v in proposal.versions if v.number == agreement.version)
    version.terms = {key: value for key, value in version.terms.items()
                     if key not in ("start_date", "end_date", "signing_place")}
    body = text_of(agreement_pdf(agreement), tmp_path).split(ANNEX)[0]
    assert "至本协议约定的合作事项完成时终止" in body and "签订地点" not in body
