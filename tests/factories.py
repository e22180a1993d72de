"""Test data through the real services, so every object is in a state users can reach."""
from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from portal.accounts.auth import create_coordinator
from portal.accounts.codes import credit_code_check_char
from portal.accounts.models import (
    EnterpriseSize,
    Organization,
    OrgKind,
    Role,
    UniversityLevel,
    User,
)
from portal.accounts.services import (
    AccountDetails,
    OrganizationDetails,
    register_organization,
    verify_organization,
)
from portal.cooperation.models import CooperationKind, Proposal
from portal.cooperation.models import ProposalStatus as S
from portal.cooperation.services import act, propose
from portal.cooperation.workflow import WITH_TERMS
from portal.postings.models import Posting, PostingKind  # noqa: F401  (re-exported for tests)
from tests import snapshots

PASSWORD = "correct-horse-battery"
_sequence = itertools.count(1)


def redis_reachable() -> bool:
    """Whether a Redis answers on 127.0.0.1:6379 (CI has one)."""
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def valid_credit_code(number: int) -> str:
    body = f"91310115MA{number:07d}"
    return body + credit_code_check_char(body)


def coordinator(db: Session, email: str | None = None) -> User:
    n = next(_sequence)
    return create_coordinator(db, email or f"coordinator{n}@city.test", f"协调员{n}", PASSWORD)


def sign_in_token(db: Session, user: User, remembered: bool = False) -> str:
    """What a browser signed in as `user` carries in its session (committed: the request
    that reads it runs in a transaction of its own)."""
    from portal.accounts import signins

    token = signins.start(db, user, remembered).token
    db.commit()
    return token


def confirmation_link(db: Session, email: str) -> str:
    """The newest link the confirmation message to `email` carries (mail is only logged in
    tests; the same words and link are in the account's inbox)."""
    from sqlalchemy import select

    from portal.notifications.models import Notification

    db.expire_all()
    return db.scalars(select(Notification.link).join(User).where(
        User.email == email.lower(), Notification.event == "confirm_email")
        .order_by(Notification.id.desc())).first()


def enterprise_details(**overrides: object) -> OrganizationDetails:
    n = next(_sequence)
    values: dict = dict(kind=OrgKind.ENTERPRISE, name=f"上海测试企业{n}有限公司",
                        credit_code=valid_credit_code(n), district="闵行区", industry="智能制造",
                        size=EnterpriseSize.SMALL)
    values.update(overrides)
    return OrganizationDetails(**values)


def university_details(**overrides: object) -> OrganizationDetails:
    n = next(_sequence)
    values: dict = dict(kind=OrgKind.UNIVERSITY, name=f"上海测试职业技术学院{n}",
                        school_code=f"41{n:08d}", district="浦东新区",
                        level=UniversityLevel.HIGHER_VOCATIONAL)
    values.update(overrides)
    return OrganizationDetails(**values)


def enterprise_form(**overrides: object) -> dict:
    """The enterprise registration form as a browser posts it, filled in."""
    data = {
        "name": "上海澄曜智能装备有限公司", "credit_code": "91440300708461136T", "size": "small",
        "district": "闵行区", "industry": "智能制造", "address": "上海市闵行区剑川路 1 号",
        "representative": "王敏", "contact_phone": "021-12345678",
        "user_name": "王敏", "email": "Wang.Min@Chengyao.example", "phone": "13800000000",
        "password": PASSWORD, "confirm": PASSWORD, "agree": "y",
    }
    data.update(overrides)
    return data


def account(email: str | None = None, **overrides: object) -> AccountDetails:
    n = next(_sequence)
    values: dict = dict(email=email or f"user{n}@example.test", name=f"用户{n}", password=PASSWORD)
    values.update(overrides)
    return AccountDetails(**values)


def member(db: Session, kind: OrgKind = OrgKind.ENTERPRISE, *, verified: bool = True,
           email: str | None = None, **org: object) -> User:
    """The first member of a new organisation of `kind`, its address confirmed, verified
    unless told otherwise."""
    from portal.db import utcnow

    details = (enterprise_details(**org) if kind is OrgKind.ENTERPRISE
               else university_details(**org))
    user = register_organization(db, details, account(email))
    assert user is not None, "the address already has an account"
    user.email_confirmed_at = utcnow()  # as if the link sent to it had been opened
    if verified:
        assert user.organization is not None
        verify_organization(db, user.organization, coordinator(db))
    return user


def user(db: Session, role: Role, *, verified: bool = True) -> User:
    if role is Role.COORDINATOR:
        return coordinator(db)
    kind = OrgKind.ENTERPRISE if role is Role.ENTERPRISE_HR else OrgKind.UNIVERSITY
    return member(db, kind, verified=verified)


def organization(db: Session, kind: OrgKind = OrgKind.ENTERPRISE, *,
                 verified: bool = False, **details: object) -> Organization:
    org = member(db, kind, verified=verified, **details).organization
    assert org is not None
    return org


def posting(db: Session, kind=None, *, org: Organization | None = None, publish: bool = True,
            **fields: object) -> Posting:
    """A posting through the services (a draft, published unless told otherwise)."""
    from portal.postings.services import create_posting, publish_posting

    kind = kind or PostingKind.TALENT_DEMAND
    if org is None:
        org = organization(db, kind.side, verified=True)
    author = org.members[0]
    values: dict = dict(title=f"测试岗位{next(_sequence)}",
                        description="负责产线PLC程序调试与设备维护，参与自动化改造项目的实施。",
                        skills="PLC编程、电气图纸", headcount=3, major="电气自动化技术")
    values.update(fields)
    created = create_posting(db, org, author, kind, values)
    if publish:
        publish_posting(db, created, author)
    return created


def partnership(db: Session, kind=None, terms: dict | None = None,
                title: str = "数控订单班") -> Proposal:
    """A partnership the coordinators approved, between a new enterprise and a new
    university with full contact details (what an agreement prints)."""
    from portal.cooperation.services import act, propose
    from portal.demo_cooperation import TERMS

    kind = kind or CooperationKind.ORDER_TRAINING
    hr = member(db, OrgKind.ENTERPRISE, address="上海市闵行区剑川路 951 号",
                representative="张伟", contact_phone="021-5555 0101")
    staff = member(db, OrgKind.UNIVERSITY, address="上海市浦东新区沪城环路 1550 号",
                   representative="王芳", contact_phone="021-5555 0202")
    assert staff.organization is not None
    proposal = propose(db, hr, staff.organization, kind, title, terms or TERMS[kind])
    act(db, proposal, staff, "accept")
    act(db, proposal, coordinator(db), "approve")
    return proposal


# Records of the bulk import format (portal-import/1).
IMPORT_ORGS = [
    {"ref": "E01", "kind": "enterprise", "name": "上海澄曜智能装备有限公司",
     "district": "闵行区", "industry": "智能制造", "size": "small"},
    {"ref": "U01", "kind": "university", "name": "上海临港职业技术学院",
     "district": "浦东新区", "level": "高职"},
]
IMPORT_DEMAND = {"ref": "D001", "org": "E01", "type": "talent_demand", "title": "PLC电气工程师",
                 "description": "负责产线PLC程序调试。", "skills": ["PLC编程", "电气图纸"],
                 "major": "电气自动化技术", "headcount": 3}
IMPORT_SUPPLY = {"ref": "S001", "org": "U01", "type": "curriculum", "title": "机电一体化技术专业",
                 "description": "培养……", "skills": ["PLC", "液压与气动"],
                 "courses": ["可编程控制器应用", "电机与拖动"], "major": "机电一体化技术",
                 "capacity": 45}


def import_document(postings: list[dict], organizations: list[dict] | None = None) -> dict:
    """A portal-import/1 document; by default with one firm and one college."""
    return {"format": "portal-import/1", "postings": postings,
            "organizations": IMPORT_ORGS if organizations is None else organizations}


# A matching market and a cooperation's states, for the tests that need them.
def market(db: Session) -> tuple[Posting, Posting, Posting]:
    """A CNC training order, the CNC programme it fits and a data-science programme
    it does not."""
    enterprise = organization(db, OrgKind.ENTERPRISE, verified=True)
    university = organization(db, OrgKind.UNIVERSITY, verified=True)
    order = posting(db, PostingKind.TRAINING_ORDER, org=enterprise,
                              title="数控加工订单班",
                              description="招CNC操机，会看图纸，懂西门子系统。" * 2,
                              skills="CNC编程、机械制图", major="数控技术", headcount=30,
                              hire_count=20)
    cnc = posting(db, PostingKind.CURRICULUM, org=university, title="数控技术专业",
                            description="培养数控编程与操作人才。" * 2, major="数控技术",
                            courses="数控机床编程与操作、机械制图", skills="")
    data = posting(db, PostingKind.CURRICULUM, org=university,
                             title="数据科学与大数据技术专业", description="培养数据分析人才。" * 2,
                             major="数据科学与大数据技术", courses="机器学习、数据挖掘", skills="")
    return order, cnc, data


ORDER_TERMS = {
    "start_date": "2027-09-01", "end_date": "2029-07-31", "signing_place": "上海市闵行区",
    "cohort_size": "40", "major": "数控技术", "skills": "CNC编程、机械制图",
    "schedule": "2027 秋季学期起，两学年", "training_place": "企业实训车间",
    "cost_sharing": "企业承担实训耗材", "hires": 30, "retention_months": 24,
}


def new_proposal(db: Session, people: dict[str, User]) -> Proposal:
    """An order-based training proposed by `people`'s enterprise to its university."""
    return propose(db, people["proposer"], people["partner"].organization,
                   CooperationKind.ORDER_TRAINING, "数控订单班", ORDER_TERMS)


# How to reach each state from a new proposal (the partner's answer is awaited).
ROUTES = {
    S.PROPOSED: [],
    S.PENDING_APPROVAL: [("partner", "accept")],
    S.RETURNED: [("partner", "accept"), ("coordinator", "return")],
    S.ACTIVE: [("partner", "accept"), ("coordinator", "approve")],
    S.SUSPENDED: [("partner", "accept"), ("coordinator", "approve"), ("proposer", "suspend")],
    S.COMPLETED: [("partner", "accept"), ("coordinator", "approve"), ("proposer", "complete")],
    S.TERMINATED: [("partner", "accept"), ("coordinator", "approve"), ("proposer", "terminate")],
    S.DECLINED: [("partner", "decline")],
    S.WITHDRAWN: [("proposer", "withdraw")],
    S.REJECTED: [("partner", "accept"), ("coordinator", "reject")],
}


def options(action: str) -> dict:
    """What an action takes besides its actor: a comment, and terms where it needs them."""
    extra = {"comment": "理由"}
    if action in WITH_TERMS:
        extra["terms"] = {**ORDER_TERMS, "cohort_size": 30}
    return extra


def in_state(db: Session, people: dict[str, User], state: S) -> Proposal:
    """A new proposal taken along ROUTES to `state`."""
    proposal = new_proposal(db, people)
    for who, action in ROUTES[state]:
        act(db, proposal, people[who], action, **options(action))
    assert proposal.status is state
    return proposal


def world(db: Session) -> dict:
    """A portal with one of everything (built once per run, then restored: see
    tests.snapshots)."""
    return snapshots.built_once("world", _build_world, db)


def _build_world(db: Session) -> dict:
    """A portal with one of everything, for the route matrix and the payload corpus: a
    dual-mentor partnership with its agreement, a signed scan and two mentor certificates
    (one awaiting countersignature, one countersigned), the parties' matching postings
    and a draft of the enterprise's, an unrelated enterprise with an open invitation, an
    organisation awaiting review, a synonym, a finished import, a warning and a
    published report. Users by role: hr,
    staff (the parties), outsider, coord."""
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from portal.accounts.models import Invitation
    from portal.accounts.services import invite_member
    from portal.agreements import certificates
    from portal.agreements.models import Agreement
    from portal.agreements.scans import upload_scan
    from portal.matching.synonyms import add_synonym
    from portal.monitoring.models import Dimension, MonitoringWarning, RuleKind
    from portal.monitoring.periods import Period, PeriodKind
    from portal.monitoring.report import publish as publish_report
    from portal.monitoring.warnings import create_rule
    from portal.postings.models import ImportRun, ImportStatus
    from portal.storage import read_checked

    proposal = partnership(db, CooperationKind.DUAL_MENTOR, title="测试双导师")
    db.commit()  # the agreement is issued after the commit
    hr, staff = proposal.proposer.members[0], proposal.partner.members[0]
    agreement = db.scalar(select(Agreement).where(Agreement.proposal_id == proposal.id))
    scan = upload_scan(db, agreement, staff, read_checked(agreement.stored_name,
                                                          agreement.sha256), "盖章页.pdf")
    details = certificates.CertificateDetails(
        mentor_name="李建国", mentor_title="高级工程师", term="2026–2027 学年第一学期",
        courses="芯片测试", hours=32)
    pending = certificates.file_certificate(db, proposal, staff, details)
    done = certificates.file_certificate(db, proposal, staff, certificates.CertificateDetails(
        mentor_name="王芳", mentor_title="工程师", term="2026–2027 学年第二学期",
        courses="芯片封装", hours=16))
    office = coordinator(db)
    certificates.countersign(db, done, office)
    demand = posting(db, PostingKind.TALENT_DEMAND, org=proposal.proposer,
                     title="芯片测试工程师", skills="芯片测试", major="集成电路技术")
    supply = posting(db, PostingKind.CURRICULUM, org=proposal.partner,
                     title="集成电路技术专业", skills="", courses="芯片测试",
                     major="集成电路技术")
    draft = posting(db, PostingKind.TRAINING_ORDER, org=proposal.proposer, publish=False)
    pending_org = organization(db)  # registered, not yet verified
    outsider = member(db, OrgKind.ENTERPRISE)
    token = invite_member(db, outsider.organization, outsider, "new@example.test")
    synonym = add_synonym(db, "ic_test", "探针台测试", office)
    imported = ImportRun(filename="清单.json", stored_name="done.json",
                         status=ImportStatus.DONE, requested_by_id=office.id)
    db.add(imported)
    rule = create_rule(db, office, RuleKind.RATIO_ABOVE, threshold=2, span=1,
                       dimension=Dimension.MAJOR)
    warning = MonitoringWarning(rule_id=rule.id, subject="major:集成电路技术", label="集成电路技术",
                                figures={"periods": [["2026-08", 5, 0]], "dimension": "major",
                                         "key": "集成电路技术"})
    db.add(warning)
    from portal.alerts.models import Delivery, SavedSearch

    saved = SavedSearch(user_id=hr.id, name="PLC", filters={"q": "PLC"},
                        delivery=Delivery.DAILY)
    db.add(saved)
    from portal.api.models import Scope
    from portal.api.tokens import create_token

    integration, _secret = create_token(db, hr, "招聘会系统", [Scope.READ], 30)
    published = publish_report(db, Period(PeriodKind.QUARTER, 2026, 3),
                               ZoneInfo("Asia/Shanghai"), office.id)
    from portal.api.models import DeliveryStatus, WebhookDelivery
    from portal.api.webhooks import register

    # HR's webhook, turned off after failing (so that nothing in the world sends to it).
    webhook = register(db, hr, "https://8.8.8.8/hooks/portal", ["posting.published"])
    webhook.disabled_at = webhook.created_at
    from portal.api.oauth import register_client

    platform, _client_secret = register_client(db, office, "市公共就业服务平台", [Scope.READ],
                                               ["https://jobs.sh.gov.cn"])
    failed = WebhookDelivery(endpoint_id=webhook.id, event="posting.published",
                             payload={"event": "posting.published", "data": {"id": demand.id}},
                             status=DeliveryStatus.FAILED, attempts=6, response_code=500)
    db.add(failed)
    db.commit()
    return {
        "users": {"hr": hr, "staff": staff, "outsider": outsider, "coord": office},
        "ids": {"proposal": proposal.id, "agreement": agreement.id, "scan": scan.id,
                "pending": pending.id, "done": done.id, "demand": demand.id,
                "supply": supply.id, "draft": draft.id, "org": pending_org.id,
                "partner": proposal.partner.id,
                "synonym": synonym.id, "import": imported.id, "rule": rule.id,
                "warning": warning.id, "report": published.id, "search": saved.id,
                "api_token": integration.id, "code": agreement.verification_code,
                "webhook": webhook.id, "delivery": failed.id, "client": platform.id,
                "token": token, "invitation": db.scalar(select(Invitation.id))},
    }


PROBLEM = "application/problem+json"


def bearer(secret: str, **headers: str) -> dict[str, str]:
    """An API call's headers with the token `secret`."""
    return {"Authorization": f"Bearer {secret}", **headers}


def api_token(db: Session, user: User, *scopes: str, days: int = 30) -> str:
    """The secret of a new API token of `user` (read and write unless told)."""
    from portal.api.models import Scope
    from portal.api.tokens import create_token

    _token, secret = create_token(db, user, "测试集成", [Scope(s) for s in scopes or
                                                      ("read", "write")], days)
    db.commit()
    return secret
