"""A living demo: a coordinator, enterprises and universities with members (idempotent)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.auth import create_coordinator, find_user_by_email
from portal.accounts.codes import credit_code_check_char
from portal.accounts.models import (
    EnterpriseSize,
    Organization,
    OrgKind,
    OrgStatus,
    UniversityLevel,
    User,
)
from portal.accounts.services import (
    AccountDetails,
    OrganizationDetails,
    register_organization,
    verify_organization,
)
from portal.db import utcnow
from portal.demo_cooperation import ensure_proposals
from portal.demo_history import ensure_history, ensure_rule
from portal.demo_postings import DEMO_POSTINGS
from portal.monitoring.periods import city_zone
from portal.postings.models import Posting
from portal.postings.services import create_posting, publish_posting

DEMO_PASSWORD = "demo-portal-2026"


@dataclass
class DemoLogin:
    email: str
    password: str
    description: str


def credit_code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


ENTERPRISES = [
    # (e-mail, person, name, credit code body, district, industry, size, verified)
    ("hr@chengyao.demo", "王敏", "上海澄曜智能装备有限公司", "91310112MA1GB3KX0",
     "闵行区", "智能制造", EnterpriseSize.SMALL, True),
    ("hr@chiyuan.demo", "李强", "上海驰源新能源汽车零部件有限公司", "91310114MA1H0C2P7",
     "嘉定区", "新能源汽车", EnterpriseSize.MEDIUM, True),
    ("hr@xinhong.demo", "陈静", "上海芯泓微电子科技有限公司", "91310115MA1K4D8R3",
     "浦东新区", "集成电路", EnterpriseSize.SMALL, True),
    ("hr@yile.demo", "赵丽", "上海颐乐康养服务有限公司", "91310105MA1FL7QN2",
     "长宁区", "养老护理", EnterpriseSize.SMALL, True),
    ("hr@kuayang.demo", "孙浩", "上海跨洋优品供应链管理有限公司", "91310117MA1J9E5T6",
     "松江区", "跨境电商", EnterpriseSize.MICRO, False),
]

UNIVERSITIES = [
    ("staff@lingang.demo", "周老师", "上海临港职业技术学院", "4131099901", "浦东新区",
     UniversityLevel.HIGHER_VOCATIONAL, True),
    ("staff@pujiang.demo", "吴老师", "上海浦江应用技术大学", "4131099902", "奉贤区",
     UniversityLevel.UNDERGRADUATE, True),
    ("staff@shencheng.demo", "郑老师", "上海申城城市管理职业学院", "4131099903", "长宁区",
     UniversityLevel.HIGHER_VOCATIONAL, True),
]

COORDINATOR = ("coordinator@city.demo", "市产教融合办 刘协调员")


def seed_demo(session: Session) -> list[DemoLogin]:
    """Create what is missing and return the demo sign-ins."""
    coordinator = find_user_by_email(session, COORDINATOR[0]) or create_coordinator(
        session, COORDINATOR[0], COORDINATOR[1], DEMO_PASSWORD)
    logins = [DemoLogin(COORDINATOR[0], DEMO_PASSWORD, "city coordinator")]

    for email, person, name, body, district, industry, size, verified in ENTERPRISES:
        details = OrganizationDetails(kind=OrgKind.ENTERPRISE, name=name,
                                      credit_code=credit_code(body), district=district,
                                      industry=industry, size=size,
                                      address=f"上海市{district}", representative=person)
        _ensure(session, email, person, details, verified, coordinator)
        state = "verified" if verified else "pending review"
        logins.append(DemoLogin(email, DEMO_PASSWORD, f"enterprise HR, {name} ({state})"))

    for email, person, name, school_code, district, level, verified in UNIVERSITIES:
        details = OrganizationDetails(kind=OrgKind.UNIVERSITY, name=name, school_code=school_code,
                                      district=district, industry="教育", level=level,
                                      address=f"上海市{district}")
        _ensure(session, email, person, details, verified, coordinator)
        logins.append(DemoLogin(email, DEMO_PASSWORD, f"university staff, {name}"))
    _ensure_postings(session)
    zone = city_zone(current_app.config)
    ensure_history(session, datetime.now(zone).date(), zone)
    ensure_rule(session, coordinator)
    ensure_proposals(session, coordinator)
    return logins


def _ensure_postings(session: Session) -> None:
    """The demo marketplace: postings of all five kinds (skipped if already there)."""
    for email, kind, publish, fields in DEMO_POSTINGS:
        author = find_user_by_email(session, email)
        if author is None or author.organization is None:
            continue
        exists = session.scalar(select(Posting.id).where(
            Posting.organization_id == author.organization_id, Posting.title == fields["title"]))
        if exists:
            continue
        posting = create_posting(session, author.organization, author, kind, fields)
        if publish and author.organization.can_publish:
            publish_posting(session, posting, author)


def _ensure(session: Session, email: str, person: str, details: OrganizationDetails,
            verified: bool, coordinator: User) -> None:
    if find_user_by_email(session, email) is not None:
        return
    if session.scalar(select(Organization.id).where(Organization.name == details.name)):
        return
    user = register_organization(session, details,
                                 AccountDetails(email=email, name=person, password=DEMO_PASSWORD))
    assert user is not None and user.organization is not None  # the address was free
    user.email_confirmed_at = utcnow()  # the demo's addresses receive no mail
    org = user.organization
    if verified and org.status is OrgStatus.PENDING:
        verify_organization(session, org, coordinator)
