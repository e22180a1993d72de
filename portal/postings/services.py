"""Creating, editing, publishing and closing postings; their history and expiry."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.accounts.models import Organization, User
from portal.accounts.services import require_publishing_rights
from portal.checks import checked_list, too_long_message
from portal.db import utcnow
from portal.errors import ConflictError, DomainError, PermissionDenied, WorkflowError
from portal.postings.diagnosis import diagnose
from portal.postings.fulltext import index_tokens
from portal.postings.models import (
    EducationLevel,
    Posting,
    PostingKind,
    PostingRevision,
    PostingSkill,
    PostingStatus,
)
from portal.postings.text import search_text, skill_tags
from portal.signals import posting_changed, posting_closed, posting_published
from portal.text import split_list

# Fields a posting's author sets (everything else is the portal's bookkeeping).
EDITABLE_FIELDS = (
    "title", "description", "skills", "courses", "major", "district", "industry", "education",
    "headcount", "capacity", "budget", "hire_count", "salary_min", "salary_max",
    "duration_months", "start_date", "end_date", "deadline", "details",
)
LIST_FIELDS = ("skills", "courses")
PUBLISHABLE_FROM = {PostingStatus.DRAFT, PostingStatus.CLOSED, PostingStatus.EXPIRED}



def _changed(session: Session, posting: Posting) -> None:
    session.flush()
    posting_changed.send(posting, session=session)


def check_editor(posting_or_org: Posting | Organization, actor: User) -> None:
    allowed = (posting_or_org.can_edit(actor) if isinstance(posting_or_org, Posting)
               else posting_or_org.is_member(actor))
    if not allowed:
        raise PermissionDenied(_l("Only members of the publishing organisation can change "
                                  "this posting."))


# Told whoever changes an older version of a posting (a form, an API call).
STALE = _l("This posting was changed by someone else meanwhile. Please reload it and make "
           "your change again.")


def _check_version(posting: Posting, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != posting.version:
        raise ConflictError(STALE)


def _plain(value: Any) -> Any:
    """A JSON-storable form of a field value for the revision history."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, EducationLevel):
        return value.value
    return value


def editable_only(fields: dict[str, Any]) -> dict[str, Any]:
    """The author's fields, lists split and cleaned; status, organisation and the like
    never come from input."""
    cleaned = {name: value for name, value in fields.items() if name in EDITABLE_FIELDS}
    for name, value in cleaned.items():
        _check_length(name, value, Posting.TEXT_LIMITS.get(name))
    for name, value in (cleaned.get("details") or {}).items():
        _check_length(name, value, Posting.DETAIL_TEXT_MAX)
    for name in LIST_FIELDS:
        if name in cleaned:
            cleaned[name] = checked_list(split_list(cleaned[name]), name)
    return cleaned


def _check_length(name: str, value: Any, limit: int | None) -> None:
    """Before any work on it: the one limit a posting's text has, whoever sends it."""
    if limit is not None and isinstance(value, str) and len(value) > limit:
        raise DomainError(too_long_message(limit), field=name)


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields of `new` whose value differs, JSON-storable."""
    return {name: [_plain(old.get(name)), _plain(value)] for name, value in new.items()
            if old.get(name) != value}


def apply_fields(posting: Posting, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the given fields and refresh what derives from them; return {field: [old, new]}."""
    fields = editable_only(fields)
    changes = diff({name: getattr(posting, name) for name in fields}, fields)
    for name in changes:
        setattr(posting, name, fields[name])
    _refresh_derived(posting)
    return changes


def derived_values(kind: PostingKind, values: dict[str, Any], org_name: str) -> dict[str, Any]:
    """What the portal derives from a posting's fields: search text and diagnosis.
    (Shared by single edits and the bulk importer, which writes rows directly.)"""
    details = values.get("details") or {}
    findings = diagnose(kind.value, values)
    text = search_text(
        values.get("title"), values.get("description"), values.get("skills"),
        values.get("courses"), values.get("major"), values.get("district"),
        values.get("industry"), org_name, [v for v in details.values() if isinstance(v, str)])
    return {
        "search_text": text,
        "search_tokens": index_tokens(text),
        "skill_tokens": index_tokens(" ".join(skill_tags(values.get("skills") or []))),
        "diagnosis": [finding.code for finding in findings],
        "is_flagged": any(finding.category == "discrimination" for finding in findings),
    }


def _refresh_derived(posting: Posting) -> None:
    wanted = skill_tags(posting.skills or [])
    if [tag.tag for tag in posting.skill_tags] != wanted:
        posting.skill_tags = [PostingSkill(tag=tag) for tag in wanted]
    org_name = posting.organization.name if posting.organization else ""
    for name, value in derived_values(posting.kind, field_values(posting), org_name).items():
        setattr(posting, name, value)


def field_values(posting: Posting) -> dict[str, Any]:
    return {name: getattr(posting, name) for name in EDITABLE_FIELDS}


def record_revision(session: Session, posting: Posting, actor: User | None, action: str,
            changes: dict[str, Any] | None = None) -> None:
    session.add(PostingRevision(posting=posting, actor=actor, action=action,
                                changes=changes or {}))


def create_posting(session: Session, org: Organization, actor: User, kind: PostingKind,
                   fields: dict[str, Any]) -> Posting:
    """A new draft of `kind` for `org`; enterprises post demands, universities supplies."""
    check_editor(org, actor)
    if kind.side is not org.kind:
        raise PermissionDenied(_l("This kind of posting is published by the other side."))
    posting = Posting(kind=kind, organization=org, created_by=actor,
                      district=org.district, industry=org.industry)
    apply_fields(posting, fields)
    session.add(posting)
    session.flush()
    record_revision(session, posting, actor, "created")
    _changed(session, posting)
    return posting


def update_posting(session: Session, posting: Posting, actor: User, fields: dict[str, Any],
                   expected_version: int | None = None) -> dict[str, list[Any]]:
    """Edit a posting in any state; the change is kept in its history."""
    check_editor(posting, actor)
    _check_version(posting, expected_version)
    changes = apply_fields(posting, fields)
    if changes:
        record_revision(session, posting, actor, "edited", changes)
        _changed(session, posting)
    session.flush()
    return changes


def publish_posting(session: Session, posting: Posting, actor: User,
                    today: date | None = None) -> None:
    """Draft, closed or expired → published. Only verified organisations publish."""
    today = today or date.today()
    check_editor(posting, actor)
    require_publishing_rights(posting.organization)
    if posting.effective_status(today) not in PUBLISHABLE_FROM:
        raise WorkflowError(_l("This posting is already published."))
    if posting.deadline and posting.deadline < today:
        raise DomainError(_l("The deadline has passed. Set a later deadline, then publish."),
                          field="deadline")
    posting.status = PostingStatus.PUBLISHED
    posting.published_at = utcnow()
    posting.closed_at = None
    record_revision(session, posting, actor, "published")
    _changed(session, posting)
    posting_published.send(posting, session=session)


def close_posting(session: Session, posting: Posting, actor: User,
                  today: date | None = None) -> None:
    """Published → closed: no longer listed or matched; the author can publish it again."""
    check_editor(posting, actor)
    if posting.status is not PostingStatus.PUBLISHED:
        raise WorkflowError(_l("Only a published posting can be closed."))
    posting.status = PostingStatus.CLOSED
    posting.closed_at = utcnow()
    record_revision(session, posting, actor, "closed")
    _changed(session, posting)
    posting_closed.send(posting, session=session)


def delete_draft(session: Session, posting: Posting, actor: User) -> None:
    """Drafts can be thrown away; anything once published stays, for the record."""
    check_editor(posting, actor)
    if posting.status is not PostingStatus.DRAFT:
        raise WorkflowError(_l("Only drafts can be deleted; close a published posting instead."))
    session.delete(posting)
    session.flush()


def expire_due_postings(session: Session, today: date | None = None) -> int:
    """Mark published postings past their deadline as expired (run daily); returns how many."""
    today = today or date.today()
    due = list(session.scalars(select(Posting.id).where(
        Posting.status == PostingStatus.PUBLISHED, Posting.deadline < today)))
    if not due:
        return 0
    session.execute(update(Posting).where(Posting.id.in_(due))
                    .values(status=PostingStatus.EXPIRED, version=Posting.version + 1),
                    execution_options={"synchronize_session": False})
    session.add_all(PostingRevision(posting_id=posting_id, action="expired", changes={})
                    for posting_id in due)
    session.flush()
    return len(due)


def postings_of(session: Session, org: Organization) -> list[Posting]:
    return list(session.scalars(select(Posting).where(Posting.organization_id == org.id)
                                .order_by(Posting.updated_at.desc())))
