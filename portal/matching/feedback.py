"""Members dismiss recommendations that do not fit, with a reason kept as feedback."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.checks import SHORT_MAX, checked_text
from portal.errors import DomainError, PermissionDenied
from portal.matching.models import MatchDismissal
from portal.postings.models import Posting


def dismiss(session: Session, posting: Posting, other: Posting, actor: User,
            reason: str) -> MatchDismissal:
    """`other` is no longer recommended for `posting`; only the posting's owners decide."""
    if not posting.can_edit(actor):
        raise PermissionDenied(_l("Only members of the publishing organisation can change "
                                  "this posting."))
    if other.id == posting.id or not other.is_live_on(date.today()) or \
            other.kind.side is posting.kind.side:
        raise DomainError(_l("This posting is not among the recommendations."))
    reason = checked_text(reason, "reason", limit=SHORT_MAX, one_line=True, required=_l(
        "Please say briefly why it does not fit; it helps improve the matching."))
    existing = session.scalar(select(MatchDismissal).where(
        MatchDismissal.posting_id == posting.id, MatchDismissal.other_posting_id == other.id))
    if existing is not None:
        return existing  # a double click dismisses once
    dismissal = MatchDismissal(posting_id=posting.id, other_posting_id=other.id,
                               reason=reason, dismissed_by_id=actor.id)
    session.add(dismissal)
    session.flush()
    return dismissal

