"""Dual-mentor contribution certificates: the university files one per enterprise mentor
and term, a coordinator countersigns it, and the portal prints it (after the commit), so
the mentor's employer can count the teaching for promotion and reward."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.agreements.document import party, qr_png, verify_url
from portal.agreements.events import (
    CERTIFICATE_COUNTERSIGNED,
    CERTIFICATE_DECLINED,
    CERTIFICATE_FILED,
)
from portal.agreements.models import AgreementStatus, CertificateStatus, MentorCertificate
from portal.agreements.pdf import document_pdf
from portal.agreements.services import new_verification_code
from portal.checks import checked_text
from portal.cooperation.models import Proposal
from portal.cooperation.services import enterprise_and_university
from portal.db import utcnow, write_session
from portal.errors import DomainError, PermissionDenied, WorkflowError
from portal.events import Event, tell
from portal.storage import store_pdf
from portal.tasks import enqueue_after_commit, job
from portal.text import split_list

HOURS_MAX = 2000
TEMPLATE = "agreements/pdf/mentor_certificate.html"


@dataclass
class CertificateDetails:
    mentor_name: str
    term: str
    courses: str | list[str]
    hours: int | None
    mentor_title: str = ""


def _checked(details: CertificateDetails) -> tuple[str, str, str, list[str], int]:
    name = checked_text(details.mentor_name, "mentor_name", limit=100, one_line=True,
                        required=_l("Please enter the mentor's name."))
    title = checked_text(details.mentor_title, "mentor_title", limit=100, one_line=True)
    term = checked_text(details.term, "term", limit=60, one_line=True)
    courses = [c.strip() for c in (details.courses if isinstance(details.courses, list)
                                   else split_list(details.courses)) if c.strip()]
    if not term:
        raise DomainError(_l("Please enter the term, e.g. 2026–2027 first semester."),
                          field="term")
    if not courses or any(len(course) > 100 for course in courses):
        raise DomainError(_l("Please list the courses or projects taught (each under 100 "
                             "characters)."), field="courses")
    if details.hours is None or not 1 <= details.hours <= HOURS_MAX:
        raise DomainError(_l("Teaching hours: a whole number from 1 to %(max)d.",
                             max=HOURS_MAX), field="hours")
    return name, title, term, courses, details.hours


def file_certificate(session: Session, proposal: Proposal, actor: User,
                     details: CertificateDetails) -> MentorCertificate:
    """The university's certificate of one mentor's term, for a coordinator to countersign."""
    if not proposal.can_file_certificate(actor):
        raise PermissionDenied(_l("Mentor certificates are filed by the university of an "
                                  "approved dual-mentor partnership."))
    name, title, term, courses, hours = _checked(details)
    duplicate = session.scalar(select(MentorCertificate.id).where(
        MentorCertificate.proposal_id == proposal.id, MentorCertificate.mentor_name == name,
        MentorCertificate.term == term,
        MentorCertificate.status != CertificateStatus.DECLINED))
    if duplicate is not None:
        raise DomainError(_l("This mentor already has a certificate for this term."),
                          field="term")
    certificate = MentorCertificate(proposal_id=proposal.id, mentor_name=name,
                                    mentor_title=title, term=term, courses=courses,
                                    hours=hours, filed_by_id=actor.id)
    session.add(certificate)
    session.flush()
    _notify(session, proposal, actor, CERTIFICATE_FILED, session.scalars(
        select(User).where(User.role == Role.COORDINATOR)))
    return certificate


def countersign(session: Session, certificate: MentorCertificate, actor: User) -> None:
    """A coordinator countersigns; the PDF is printed after the commit."""
    _check_decision(certificate, actor)
    certificate.status = CertificateStatus.COUNTERSIGNED
    certificate.countersigned_by_id, certificate.countersigned_at = actor.id, utcnow()
    session.flush()
    enqueue_after_commit(session, "certificates.issue", certificate.id)
    _notify(session, certificate.proposal, actor, CERTIFICATE_COUNTERSIGNED,
            certificate.proposal.members())


def decline(session: Session, certificate: MentorCertificate, actor: User,
            reason: str) -> None:
    _check_decision(certificate, actor)
    reason = checked_text(reason, "comment", required=_l("Please give the university a reason."))
    certificate.status = CertificateStatus.DECLINED
    certificate.decline_reason = reason
    session.flush()
    _notify(session, certificate.proposal, actor, CERTIFICATE_DECLINED,
            certificate.proposal.members())


def _check_decision(certificate: MentorCertificate, actor: User) -> None:
    if certificate.can_decide(actor):
        return
    if not actor.is_coordinator:
        raise PermissionDenied(_l("Only the coordinating office countersigns certificates."))
    raise WorkflowError(_l("This certificate has already been decided: %(status)s.",
                               status=certificate.status.label))


def _notify(session: Session, proposal: Proposal, actor: User, event: Event,
            recipients) -> None:  # noqa: ANN001 - any iterable of users
    tell(session, [r for r in recipients if r.id != actor.id], event,
           {"title": proposal.title, "org": actor.acting_name}, proposal_id=proposal.id)


def certificate_context(certificate: MentorCertificate) -> dict:
    """What the certificate prints, as plain values."""
    proposal = certificate.proposal
    enterprise, university = enterprise_and_university(proposal)
    agreement = next((a for a in proposal.agreements
                      if a.status is not AgreementStatus.SUPERSEDED), None)
    url = verify_url(certificate.verification_code or "")
    return {"number": certificate.number, "mentor_name": certificate.mentor_name,
            "mentor_title": certificate.mentor_title, "term": certificate.term,
            "courses": list(certificate.courses), "hours": certificate.hours,
            "enterprise": party(enterprise), "university": party(university),
            "agreement_number": agreement.number if agreement else "",
            "title": proposal.title, "filed_at": certificate.filed_at,
            "countersigned_at": certificate.countersigned_at,
            "verification_code": certificate.verification_code, "verify_url": url,
            "qr": qr_png(url)}


def issue_certificate(session: Session, certificate: MentorCertificate) -> None:
    """Print a countersigned certificate (once)."""
    if certificate.status is not CertificateStatus.COUNTERSIGNED or certificate.stored_name:
        return
    certificate.number = f"MC-{certificate.countersigned_at.year}-{certificate.id:06d}"
    certificate.verification_code = new_verification_code()
    certificate.stored_name, certificate.sha256, certificate.size = store_pdf(
        session, document_pdf(TEMPLATE, certificate_context(certificate)))
    session.flush()


@job("certificates.issue")
def issue_job(certificate_id: int) -> None:
    with write_session() as session:
        certificate = session.get(MentorCertificate, certificate_id)
        if certificate is not None:
            issue_certificate(session, certificate)
