"""Demo proposals in every state, made through the services (so with versions, audit
events and notifications like real ones)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.auth import find_user_by_email
from portal.accounts.models import User
from portal.agreements.certificates import CertificateDetails, countersign, file_certificate
from portal.cooperation.models import CooperationKind as K
from portal.cooperation.models import Proposal
from portal.cooperation.services import act, post_message, propose

# A fixed term and a place of signing, as every agreement states.
TERM = {"start_date": "2027-03-01", "end_date": "2029-08-31", "signing_place": "上海市"}

TERMS = {
    K.ORDER_TRAINING: {**TERM,
        "cohort_size": 40, "major": "机电一体化技术", "skills": ["PLC编程", "工业机器人示教"],
        "schedule": "2027 年秋季学期起，两学年", "co_taught_courses": ["可编程控制器应用"],
        "training_place": "企业实训车间（闵行）", "cost_sharing": "企业承担实训耗材与设备",
        "hires": 30, "hiring_conditions": "考核合格", "retention_months": 24},
    K.TALENT_PIPELINE: {**TERM,
        "positions": ["电池包装配技术员"], "headcount": 12, "period": "2027 年 3 月至 8 月",
        "allowance": "每月 3000 元", "supervision": "企业师傅一带二，学校辅导员每周巡访"},
    K.DUAL_MENTOR: {**TERM,
        "enterprise_mentors": "李工（高级工程师，集成电路测试）", "faculty_mentors": "吴老师",
        "courses_or_projects": ["集成电路测试技术"], "hours_per_term": 32,
        "hours_recording": "教务系统登记，每月核对"},
    K.JOINT_RESEARCH: {**TERM,
        "topic": "压铸件缺陷智能检测", "team": "企业质量部 3 人，学校视觉实验室 4 人",
        "milestones": "第 3 个月样机，第 6 个月产线试用", "budget": 300000,
        "payment_schedule": "签约 40%，样机 30%，验收 30%", "ip_ownership": "双方共有",
        "confidentiality": "三年保密期",
        "supplementary": "样机所用压铸件样品由甲方提供，试验后归还甲方。"},
}

# (enterprise HR, university staff, kind, title, the steps after proposing)
PROPOSALS = [
    ("hr@chengyao.demo", "staff@lingang.demo", K.ORDER_TRAINING, "智能产线运维订单班（2027级）",
     [("partner", "counter", {"cohort_size": 30}), ("proposer", "accept", None),
      ("coordinator", "approve", None)]),
    ("hr@chiyuan.demo", "staff@lingang.demo", K.TALENT_PIPELINE, "新能源电池包装配实习",
     []),
    ("hr@xinhong.demo", "staff@pujiang.demo", K.DUAL_MENTOR, "集成电路测试双导师",
     [("partner", "accept", None)]),
    ("hr@chiyuan.demo", "staff@pujiang.demo", K.JOINT_RESEARCH, "压铸件缺陷智能检测联合攻关",
     [("partner", "accept", None), ("coordinator", "return", "请写明阶段验收标准")]),
    ("hr@yile.demo", "staff@shencheng.demo", K.TALENT_PIPELINE, "社区康养护理实习",
     [("partner", "accept", None), ("coordinator", "approve", None),
      ("proposer", "suspend", "疫情期间暂停入户")]),
    ("hr@chengyao.demo", "staff@pujiang.demo", K.DUAL_MENTOR, "数控加工双导师（已结束）",
     [("partner", "accept", None), ("coordinator", "approve", None),
      ("partner", "complete", None)]),
    ("hr@xinhong.demo", "staff@shencheng.demo", K.TALENT_PIPELINE, "芯片测试岗位实习（已解除）",
     [("partner", "accept", None), ("coordinator", "approve", None),
      ("proposer", "terminate", "测试产线迁往外省，实习无法继续")]),
    ("hr@xinhong.demo", "staff@lingang.demo", K.ORDER_TRAINING, "芯片封装订单班",
     [("partner", "decline", "本年度招生计划已满")]),
    ("hr@yile.demo", "staff@lingang.demo", K.TALENT_PIPELINE, "养老机构暑期实习",
     [("proposer", "withdraw", "岗位已调整")]),
    ("hr@chengyao.demo", "staff@shencheng.demo", K.ORDER_TRAINING, "设备维修订单班",
     [("partner", "accept", None), ("coordinator", "reject", "学校无相关专业，无法落实培养")]),
]


def ensure_proposals(session: Session, coordinator: User) -> None:
    """Skipped once any proposal exists."""
    if session.scalar(select(Proposal.id).limit(1)) is not None:
        return
    for hr_email, staff_email, kind, title, steps in PROPOSALS:
        hr, staff = find_user_by_email(session, hr_email), find_user_by_email(session,
                                                                              staff_email)
        if hr is None or staff is None or staff.organization is None:
            continue
        people = {"proposer": hr, "partner": staff, "coordinator": coordinator}
        proposal = propose(session, hr, staff.organization, kind, title, TERMS[kind])
        for who, action, extra in steps:
            if action == "counter":
                act(session, proposal, people[who], action,
                    terms={**TERMS[kind], **extra}, comment="首期先办 30 人")
            else:
                act(session, proposal, people[who], action, comment=extra or "")
        if not steps:
            post_message(session, proposal, staff, "岗位要求的证书可以在实习期间考取吗？")
        if kind is K.DUAL_MENTOR and proposal.approved_version is not None:
            _mentor_certificates(session, proposal, staff, coordinator)


def _mentor_certificates(session: Session, proposal: Proposal, staff: User,
                         coordinator: User) -> None:
    """One countersigned certificate and one awaiting the coordinators."""
    signed = file_certificate(session, proposal, staff, CertificateDetails(
        "李建国", "2026–2027 学年第一学期", ["数控车削编程", "多轴加工实训"], 32, "高级技师"))
    countersign(session, signed, coordinator)
    file_certificate(session, proposal, staff, CertificateDetails(
        "李建国", "2026–2027 学年第二学期", ["多轴加工实训"], 24, "高级技师"))
