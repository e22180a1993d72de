"""A year of the demo's past: postings published and closed in each of the four quarters
before this one, so monitoring shows trends, shortages that grow and new entries."""
from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.auth import find_user_by_email
from portal.accounts.models import User
from portal.monitoring.models import Dimension, RuleKind, WarningRule
from portal.monitoring.periods import Period, PeriodKind
from portal.monitoring.warnings import create_rule
from portal.postings.models import EducationLevel, Posting, PostingKind
from portal.postings.services import close_posting, create_posting, publish_posting

TALENT, ORDER, CURRICULUM = (PostingKind.TALENT_DEMAND, PostingKind.TRAINING_ORDER,
                             PostingKind.CURRICULUM)
VOCATIONAL, BACHELOR = EducationLevel.HIGHER_VOCATIONAL, EducationLevel.BACHELOR

# (author e-mail, kind, title, major, skills, level, people in each of the four quarters
# before this one, oldest first; 0: not published that quarter). Demands give headcount
# or seats, curricula their graduates a year.
HISTORY = [
    ("hr@chengyao.demo", TALENT, "数控车工", "数控技术", "数控车床操作、机械制图",
     VOCATIONAL, (6, 8, 10, 14)),
    ("hr@chengyao.demo", ORDER, "工业机器人运维订单班", "工业机器人技术",
     "工业机器人示教、PLC编程", VOCATIONAL, (0, 0, 20, 30)),
    ("hr@chiyuan.demo", TALENT, "动力电池装配工", "新能源汽车技术",
     "动力电池装配、高压电安全", VOCATIONAL, (4, 10, 18, 25)),
    ("hr@chiyuan.demo", TALENT, "三电系统测试工程师", "车辆工程", "BMS、热失控防护、CAN总线",
     BACHELOR, (0, 2, 4, 8)),
    ("hr@xinhong.demo", TALENT, "芯片测试工程师", "微电子技术", "芯片测试、ATE测试",
     VOCATIONAL, (5, 5, 6, 6)),
    ("hr@yile.demo", TALENT, "养老护理员", "智慧健康养老服务与管理", "老年照护、康复护理",
     VOCATIONAL, (10, 12, 15, 20)),
    ("staff@lingang.demo", CURRICULUM, "数控技术专业", "数控技术", "数控车床操作、CAD",
     VOCATIONAL, (40, 0, 0, 40)),
    ("staff@lingang.demo", CURRICULUM, "新能源汽车技术专业", "新能源汽车技术",
     "动力电池装配、汽车电工电子", VOCATIONAL, (30, 0, 0, 30)),
    ("staff@pujiang.demo", CURRICULUM, "微电子科学与工程专业", "微电子科学与工程",
     "芯片测试、集成电路设计", BACHELOR, (0, 45, 0, 0)),
    ("staff@shencheng.demo", CURRICULUM, "智慧健康养老服务与管理专业",
     "智慧健康养老服务与管理", "老年照护", VOCATIONAL, (25, 0, 0, 25)),
]
# Each quarter's postings are published this far into it and closed two months later.
INTO_THE_QUARTER = timedelta(days=20, hours=2)
OPEN_FOR = timedelta(days=60)


def ensure_history(session: Session, today: date, zone: ZoneInfo) -> None:
    """The four quarters before `today`'s in the city (skipped where already there)."""
    current = Period.containing(PeriodKind.QUARTER, today)
    for email, kind, title, major, skills, level, people in HISTORY:
        author = find_user_by_email(session, email)
        if author is None or author.organization is None or not author.organization.can_publish:
            continue
        for back, number in zip(range(4, 0, -1), people, strict=True):
            period = current.shifted(-back)
            dated_title = f"{title}（{period.code}）"
            if not number or session.scalar(select(Posting.id).where(
                    Posting.organization_id == author.organization_id,
                    Posting.title == dated_title)):
                continue
            amount = {"capacity": number} if kind is CURRICULUM else {"headcount": number}
            posting = create_posting(session, author.organization, author, kind, dict(
                title=dated_title, major=major, skills=skills, education=level,
                description=f"{title}，{period.label}发布。", **amount))
            publish_posting(session, posting, author)
            close_posting(session, posting, author)
            posting.published_at = period.bounds(zone)[0] + INTO_THE_QUARTER
            posting.closed_at = posting.published_at + OPEN_FOR
    session.flush()


def ensure_rule(session: Session, coordinator: User) -> None:
    """A warning rule of the kind a city starts with: a major wanted more than twice as
    much as it is taught for two quarters running (added once)."""
    if session.scalar(select(WarningRule.id).limit(1)) is None:
        create_rule(session, coordinator, RuleKind.RATIO_ABOVE, threshold=2, span=2,
                    dimension=Dimension.MAJOR, period_kind=PeriodKind.QUARTER)
