"""Organisation registration, coordinator review and membership (invitations)."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from portal.accounts import confirmation, licences
from portal.accounts.auth import find_user_by_email, normalise_email
from portal.accounts.codes import normalise_code
from portal.accounts.duplicates import sharing_a_core, similar_names
from portal.accounts.events import (
    ORGANIZATION_RETURNED,
    ORGANIZATION_VERIFIED,
    REGISTRATION_WITH_YOUR_ADDRESS,
)
from portal.accounts.models import (
    EnterpriseSize,
    Invitation,
    Organization,
    OrganizationReview,
    OrgKind,
    OrgStatus,
    ReviewDecision,
    Role,
    UniversityLevel,
    User,
)
from portal.accounts.passwords import burn_time, check_password, hash_password
from portal.db import utcnow
from portal.errors import ConflictError, DomainError, PermissionDenied, WorkflowError
from portal.events import tell
from portal.uploads import Upload

EMAIL_TAKEN = _l("This e-mail address cannot be used for a new account. If it is yours, sign in.")


@dataclass
class OrganizationDetails:
    """What an organisation says about itself; identity fields first."""

    kind: OrgKind
    name: str
    credit_code: str | None = None
    school_code: str | None = None
    district: str = ""
    industry: str = ""
    size: EnterpriseSize | None = None
    level: UniversityLevel | None = None
    address: str = ""
    representative: str = ""
    contact_phone: str = ""
    description: str = ""

    IDENTITY_FIELDS = ("name", "credit_code", "school_code")
    CONTACT_FIELDS = (
        "district", "industry", "size", "level", "address", "representative", "contact_phone",
        "description",
    )


@dataclass
class AccountDetails:
    email: str
    name: str
    password: str
    phone: str = ""


def _clean_codes(details: OrganizationDetails) -> None:
    details.credit_code = normalise_code(details.credit_code or "") or None
    details.school_code = normalise_code(details.school_code or "") or None


def _check_codes_free(
    session: Session, details: OrganizationDetails, exclude_id: int | None = None
) -> None:
    """One registry: a credit code or school code belongs to one organisation only."""
    for field, message in (
        ("credit_code", _l("An organisation with this credit code is already registered. "
                           "Ask a colleague there to invite you.")),
        ("school_code", _l("An organisation with this school code is already registered. "
                           "Ask a colleague there to invite you.")),
    ):
        value = getattr(details, field)
        if not value:
            continue
        query = select(Organization.id).where(getattr(Organization, field) == value)
        if exclude_id is not None:
            query = query.where(Organization.id != exclude_id)
        if session.scalar(query) is not None:
            raise DomainError(message, field=field)


def _record(session: Session, org: Organization, actor: User | None,
            decision: ReviewDecision, comment: str = "") -> None:
    session.add(OrganizationReview(organization=org, actor=actor, decision=decision,
                                   comment=comment))


def _new_member(org: Organization, account: AccountDetails) -> User:
    check_password(account.password, (account.email, account.name, org.name))
    return User(
        email=normalise_email(account.email),
        name=account.name.strip(),
        phone=account.phone.strip(),
        password_hash=hash_password(account.password),
        role=Role.for_org_kind(org.kind),
        organization=org,
    )


def register_organization(
    session: Session, details: OrganizationDetails, account: AccountDetails,
    licence: Upload | None = None,
) -> User | None:
    """Create a pending organisation with its first member and the licence scan it
    attached, queue it for review and send the link that confirms the member's address.

    An address that already has an account gets a message instead, and None comes back:
    the one registering sees the same answer either way (and waits as long), so the form
    never tells whose address has an account."""
    _clean_codes(details)
    _check_codes_free(session, details)
    # Checked before the address is looked up: a refusal reads the same for every address.
    scan = licences.checked(licence, "licence") if licence else None
    existing = find_user_by_email(session, account.email)
    if existing is not None:
        check_password(account.password, (account.email, account.name, details.name))
        burn_time(account.password)  # as long as hashing a new member's password
        tell(session, [existing], REGISTRATION_WITH_YOUR_ADDRESS, {})
        return None
    org = Organization(status=OrgStatus.PENDING, **_organization_fields(details))
    user = _new_member(org, account)
    session.add_all([org, user])
    session.flush()
    _record(session, org, user, ReviewDecision.SUBMITTED)
    if licence:
        licences.store(session, org, licence, scan)
    confirmation.send_link(session, user)
    return user


def _organization_fields(details: OrganizationDetails) -> dict:
    fields = {name: getattr(details, name)
              for name in ("kind", *details.IDENTITY_FIELDS, *details.CONTACT_FIELDS)}
    fields["name"] = details.name.strip()
    if details.kind is OrgKind.ENTERPRISE:
        fields.update(school_code=None, level=None)
    else:
        fields.update(size=None)
    return fields


def update_organization(
    session: Session, org: Organization, actor: User, details: OrganizationDetails
) -> bool:
    """Apply a member's edits. Identity fields change only while not yet verified.

    Returns True when a returned (rejected) organisation was resubmitted for review.
    """
    if not org.can_edit(actor):
        raise PermissionDenied(_l("You cannot change this organisation."))
    _clean_codes(details)
    details.kind = org.kind
    fields = _organization_fields(details)
    if org.identity_locked:
        for name in details.IDENTITY_FIELDS:
            fields.pop(name)
    else:
        _check_codes_free(session, details, exclude_id=org.id)
    for name, value in fields.items():
        setattr(org, name, value)
    resubmitted = org.status is OrgStatus.REJECTED
    if resubmitted:
        org.status = OrgStatus.PENDING
        org.submitted_at = utcnow()
        _record(session, org, actor, ReviewDecision.SUBMITTED)
    session.flush()
    return resubmitted


def _check_reviewable(org: Organization, coordinator: User, expected_version: int | None) -> None:
    if not org.can_review(coordinator):
        raise PermissionDenied(_l("Only city coordinators review organisations."))
    if expected_version is not None and expected_version != org.version:
        raise ConflictError(_l("Someone else has changed this organisation meanwhile. "
                               "Please check its current state."))
    if org.status is not OrgStatus.PENDING:
        raise WorkflowError(_l("This organisation is not waiting for review (now: %(status)s).",
                               status=org.status.label))


def verify_organization(
    session: Session, org: Organization, coordinator: User, expected_version: int | None = None
) -> None:
    """Pending → verified. The organisation may publish from now on."""
    _check_reviewable(org, coordinator, expected_version)
    org.status = OrgStatus.VERIFIED
    org.verified_at = utcnow()
    org.verified_by_id = coordinator.id
    org.rejection_reason = None
    _record(session, org, coordinator, ReviewDecision.VERIFIED)
    session.flush()
    tell(session, org.members, ORGANIZATION_VERIFIED, {"org": org.name})


# Organisations verified by one decision at most (a page of the review list).
VERIFIED_AT_ONCE = 100


@dataclass
class BulkOutcome:
    verified: list[Organization]
    refused: list[tuple[Organization, str]]  # with the reason, in the reader's language


def verify_several(session: Session, coordinator: User,
                   picks: Sequence[tuple[int, int]]) -> BulkOutcome:
    """Verify each (organisation id, version seen) on its own, each audited as if decided
    alone: one that changed meanwhile, or is no longer pending, is refused and the others
    go through. Look-alikes (name or address) are left to be reviewed one by one."""
    outcome = BulkOutcome([], [])
    found = [(org, version) for org_id, version in picks[:VERIFIED_AT_ONCE]
             if (org := session.get(Organization, org_id)) is not None]
    look_alike = with_look_alikes(session, [org for org, _version in found])
    for org, version in found:
        if org.id in look_alike:
            outcome.refused.append((org, str(_l("it looks like another organisation (name "
                                                "or address): please review it on its own "
                                                "page"))))
            continue
        try:
            with session.begin_nested():
                verify_organization(session, org, coordinator, version)
        except DomainError as refused:
            outcome.refused.append((org, str(refused.message)))
        else:
            outcome.verified.append(org)
    return outcome


def reject_organization(
    session: Session, org: Organization, coordinator: User, reason: str,
    expected_version: int | None = None,
) -> None:
    """Pending → returned for correction, with a reason the applicant sees."""
    _check_reviewable(org, coordinator, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Please give the reason so the applicant can correct it."),
                          field="reason")
    org.status = OrgStatus.REJECTED
    org.rejection_reason = reason
    _record(session, org, coordinator, ReviewDecision.REJECTED, reason)
    session.flush()
    tell(session, org.members, ORGANIZATION_RETURNED, {"org": org.name, "reason": reason})


def require_publishing_rights(org: Organization) -> None:
    """Pending and returned organisations may draft; publishing waits for verification."""
    if not org.can_publish:
        raise PermissionDenied(_l("Your organisation can publish once a city coordinator has "
                                  "verified it. Until then you can save drafts."))


def organizations_by_status(session: Session, status: OrgStatus) -> list[Organization]:
    order = Organization.submitted_at if status is OrgStatus.PENDING else Organization.name
    return list(session.scalars(select(Organization).where(Organization.status == status)
                                .order_by(order)))


def count_by_status(session: Session) -> dict[OrgStatus, int]:
    rows = session.execute(select(Organization.status, func.count()).group_by(Organization.status))
    counts = dict.fromkeys(OrgStatus, 0)
    counts.update({status: n for status, n in rows})
    return counts


SYSTEM_EMAIL = "system@portal.invalid"


def system_user(session: Session) -> User:
    """The portal's own coordinator identity for work done from the command line (imports):
    it verifies imported organisations and cannot sign in."""
    user = find_user_by_email(session, SYSTEM_EMAIL)
    if user is None:
        user = User(email=SYSTEM_EMAIL, name="System", role=Role.COORDINATOR, active=False,
                    password_hash="!")  # no password verifies against this
        session.add(user)
        session.flush()
    return user


# Invitations -------------------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_member(session: Session, org: Organization, inviter: User, email: str) -> str:
    """Create a one-time invitation and return its token (only the hash is stored)."""
    if not org.is_member(inviter):
        raise PermissionDenied(_l("Only members can invite colleagues to this organisation."))
    # An address that has an account is invited like any other (the invitation says so
    # to its holder when opened): the inviter learns nothing about who has an account.
    email = normalise_email(email)
    now = utcnow()
    for open_invitation in session.scalars(
        select(Invitation).where(Invitation.organization_id == org.id, Invitation.email == email)
    ):
        if open_invitation.is_open(now):
            open_invitation.revoked_at = now  # the newest link replaces older ones
    token = secrets.token_urlsafe(32)
    session.add(Invitation(
        organization=org, email=email, token_hash=_token_hash(token), invited_by=inviter,
        expires_at=now + current_app.config["INVITATION_LIFETIME"],
    ))
    session.flush()
    return token


def open_invitations(session: Session, org: Organization) -> list[Invitation]:
    now = utcnow()
    invitations = session.scalars(
        select(Invitation).where(Invitation.organization_id == org.id)
        .order_by(Invitation.created_at.desc())
    )
    return [invitation for invitation in invitations if invitation.is_open(now)]


def revoke_invitation(invitation: Invitation, actor: User) -> None:
    if not invitation.organization.is_member(actor):
        raise PermissionDenied(_l("You cannot change this invitation."))
    if not invitation.is_open(utcnow()):
        raise WorkflowError(_l("This invitation is no longer open."))
    invitation.revoked_at = utcnow()


def find_open_invitation(session: Session, token: str) -> Invitation | None:
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == _token_hash(token or ""))
    )
    if invitation is None or not invitation.is_open(utcnow()):
        return None
    return invitation


def accept_invitation(session: Session, invitation: Invitation, account: AccountDetails) -> User:
    """Create the invited colleague's account in the inviting organisation."""
    if not invitation.is_open(utcnow()):
        raise WorkflowError(_l("This invitation link has expired or was already used."))
    account.email = invitation.email
    if find_user_by_email(session, account.email) is not None:
        raise DomainError(EMAIL_TAKEN, field="email")
    user = _new_member(invitation.organization, account)
    user.email_confirmed_at = utcnow()  # the invitation reached the address
    session.add(user)
    invitation.accepted_at = utcnow()
    session.flush()
    return user


@dataclass
class LookAlikes:
    """What a coordinator should compare before verifying an organisation."""

    organizations: list[Organization]  # other organisations whose names look the same
    accounts: list[tuple[User, User]]  # (our member, another account that looks the same)
    # Others whose names differ only in place and legal form, or nearly not at all.
    similar: list[Organization]

    def __bool__(self) -> bool:
        return bool(self.organizations or self.accounts)


LOOK_ALIKES_SHOWN = 10


def _named_alike(other: type[Organization]) -> ColumnElement[bool]:
    """`other` is another organisation whose name has the same skeleton."""
    return and_(other.name_skeleton == Organization.name_skeleton, other.id != Organization.id)


def _addressed_alike(other: type[User]) -> ColumnElement[bool]:
    """`other` is another account whose e-mail address has the same skeleton."""
    return and_(other.email_skeleton == User.email_skeleton, other.id != User.id)


def look_alikes(session: Session, org: Organization) -> LookAlikes:
    """Organisations named, and accounts addressed, like `org` and its members, whatever
    characters spell them (full-width forms, homoglyphs, invisible characters)."""
    other_org, other_user = aliased(Organization), aliased(User)
    others = session.scalars(
        select(other_org).join(Organization, _named_alike(other_org))
        .where(Organization.id == org.id)
        .order_by(other_org.id).limit(LOOK_ALIKES_SHOWN)).all()
    accounts = session.execute(
        select(User, other_user).join(other_user, _addressed_alike(other_user))
        .where(User.organization_id == org.id).order_by(User.id, other_user.id)
        .limit(LOOK_ALIKES_SHOWN)).all()
    shown = {other.id for other in others}
    similar = [other for other in similar_names(session, org) if other.id not in shown]
    return LookAlikes(list(others), [tuple(pair) for pair in accounts], similar)


def with_look_alikes(session: Session, orgs: Sequence[Organization]) -> set[int]:
    """Which of `orgs` have a look-alike organisation or member address, or share their
    name's core with another (three queries, whatever the number of organisations)."""
    ids = [org.id for org in orgs]
    other_org, other_user = aliased(Organization), aliased(User)
    named = session.scalars(select(Organization.id).where(
        Organization.id.in_(ids), exists().where(_named_alike(other_org))))
    addressed = session.scalars(select(User.organization_id).where(
        User.organization_id.in_(ids), exists().where(_addressed_alike(other_user))))
    return set(named) | set(addressed) | sharing_a_core(session, orgs)
