"""Saved searches and match alert settings, and telling people of a newly published
posting that one of their searches finds or that fits one of their postings."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from portal.accounts.models import User
from portal.alerts.events import NEW_FOR_SEARCH, NEW_MATCH
from portal.alerts.models import (
    ALL,
    DEFAULT_MATCH_DELIVERY,
    DEFAULT_MATCH_MIN_SCORE,
    MATCHES,
    AlertSent,
    AlertSettings,
    Delivery,
    SavedSearch,
)
from portal.db import write_session
from portal.errors import DomainError, PermissionDenied
from portal.events import tell
from portal.matching.models import MatchDismissal, PostingMatch
from portal.matching.services import search_names
from portal.postings.models import Posting
from portal.postings.search import filtered, query_from_args
from portal.signals import posting_published
from portal.tasks import enqueue_after_commit, job

SEARCHES_PER_PERSON = 20
NAME_MAX = 100
# The filters of the search page a saved search keeps (not its sort or page).
FILTERS = ("q", "kind", "skill", "major", "district", "industry", "education", "status",
           "flagged")
FILTER_MAX = 200  # characters of one filter's value (the page's own limits are lower)


class AlertRefused(DomainError):
    pass


def kept_filters(args: MultiDict | dict) -> dict[str, str]:
    """The filters of a search worth keeping: known names, non-empty, bounded."""
    return {name: str(args.get(name, ""))[:FILTER_MAX].strip() for name in FILTERS
            if str(args.get(name, "")).strip()}


def save_search(session: Session, user: User, name: str, filters: dict[str, str],
                delivery: Delivery) -> SavedSearch:
    name = name.strip()[:NAME_MAX]
    if not name:
        raise AlertRefused(_l("Please give the search a name."), field="name")
    if not filters:
        raise AlertRefused(_l("Choose at least one filter or search words before saving: "
                              "a search without any would alert you to every posting."))
    count = session.scalar(select(func.count()).select_from(SavedSearch).where(
        SavedSearch.user_id == user.id)) or 0
    if count >= SEARCHES_PER_PERSON:
        raise AlertRefused(_l("You have %(n)d saved searches, the most one person can "
                              "keep; delete one first.", n=SEARCHES_PER_PERSON))
    search = SavedSearch(user_id=user.id, name=name, filters=filters, delivery=delivery)
    session.add(search)
    session.flush()
    return search


def _own(search: SavedSearch, user: User) -> None:
    if search.user_id != user.id:
        raise PermissionDenied(_l("This saved search is not yours."))


def change_delivery(session: Session, search: SavedSearch, user: User,
                    delivery: Delivery) -> None:
    _own(search, user)
    search.delivery = delivery


def delete_search(session: Session, search: SavedSearch, user: User) -> None:
    _own(search, user)
    session.delete(search)


def searches_of(session: Session, user: User) -> list[SavedSearch]:
    return list(session.scalars(select(SavedSearch).where(
        SavedSearch.user_id == user.id).order_by(SavedSearch.id)))


def settings_of(session: Session, user_id: int) -> AlertSettings:
    """The member's match alert settings (the defaults until they change them)."""
    found = session.get(AlertSettings, user_id)
    if found is None:
        found = AlertSettings(user_id=user_id, match_delivery=DEFAULT_MATCH_DELIVERY,
                              match_min_score=DEFAULT_MATCH_MIN_SCORE)
    return found


def change_match_alerts(session: Session, user: User, delivery: Delivery,
                        min_score: int) -> None:
    settings = settings_of(session, user.id)
    settings.match_delivery, settings.match_min_score = delivery, min_score
    session.add(settings)


def unsubscribe(session: Session, user_id: int, what: str) -> None:
    """Stop what an unsubscribe link names (ALL, MATCHES or "search:<id>"); nothing else
    changes, and stopping twice is harmless."""
    searches = select(SavedSearch).where(SavedSearch.user_id == user_id)
    if what.startswith("search:"):
        searches = searches.where(SavedSearch.id == int(what.partition(":")[2] or 0))
    if what == ALL or what.startswith("search:"):
        for search in session.scalars(searches):
            search.delivery = Delivery.NONE
    if what in (ALL, MATCHES):
        settings = settings_of(session, user_id)
        settings.match_delivery = Delivery.NONE
        session.add(settings)


def _first_time(session: Session, user_id: int, posting_id: int, reason: str) -> bool:
    """Record that `user_id` is told of `posting_id` for `reason`; False if they were."""
    if session.scalar(select(exists().where(
            AlertSent.user_id == user_id, AlertSent.posting_id == posting_id,
            AlertSent.reason == reason))):
        return False
    session.add(AlertSent(user_id=user_id, posting_id=posting_id, reason=reason))
    session.flush()
    return True


def _tell_searches(session: Session, posting: Posting) -> int:
    """Each saved search of another organisation's people that finds `posting`, saved
    before it was published (searches are about what is new)."""
    told = 0
    searches = session.scalars(select(SavedSearch).join(User).where(
        SavedSearch.delivery != Delivery.NONE, SavedSearch.created_at <= posting.published_at,
        User.active.is_(True), or_(User.organization_id.is_(None),
                                   User.organization_id != posting.organization_id)))
    dialect = session.get_bind().dialect.name
    for search in searches:
        statement = filtered(search.user, query_from_args(MultiDict(search.filters)),
                             expand=lambda text: search_names(session, text),
                             dialect=dialect).where(Posting.id == posting.id)
        if session.scalar(select(exists(statement))) and _first_time(
                session, search.user_id, posting.id, f"search:{search.id}"):
            tell(session, [search.user], NEW_FOR_SEARCH,
                 {"search": search.name, "title": posting.title,
                  "org": posting.organization.name},
                 digest=search.delivery is Delivery.DAILY, posting_id=posting.id)
            told += 1
    return told


def _tell_matches(session: Session, posting: Posting) -> int:
    """The members of each organisation with a live posting that `posting` fits, above
    the score each member chose."""
    theirs = or_(and_(PostingMatch.demand_id == posting.id, PostingMatch.supply_id == Posting.id),
                 and_(PostingMatch.supply_id == posting.id, PostingMatch.demand_id == Posting.id))
    rows = session.execute(select(Posting, PostingMatch.score).join(PostingMatch, theirs).where(
        Posting.organization_id != posting.organization_id,
        Posting.is_live_on(posting.published_at.date()),
        ~exists().where(MatchDismissal.posting_id == Posting.id,
                        MatchDismissal.other_posting_id == posting.id)))
    told = 0
    settings_by_member: dict[int, AlertSettings] = {}
    for mine, score in rows:
        for member in mine.organization.members:
            if member.id not in settings_by_member:
                settings_by_member[member.id] = settings_of(session, member.id)
            settings = settings_by_member[member.id]
            if (not member.active or settings.match_delivery is Delivery.NONE
                    or score < settings.match_min_score):
                continue
            if _first_time(session, member.id, posting.id, f"match:{mine.id}"):
                tell(session, [member], NEW_MATCH,
                     {"mine": mine.title, "title": posting.title,
                      "org": posting.organization.name, "score": round(score)},
                     digest=settings.match_delivery is Delivery.DAILY, posting_id=posting.id)
                told += 1
    return told


@job("alerts.posting_published")
def tell_about_posting(posting_id: int) -> None:
    """After a posting's publication commits: tell whom it concerns, once each."""
    with write_session() as session:
        posting = session.get(Posting, posting_id)
        if posting is None or posting.published_at is None:
            return
        _tell_searches(session, posting)
        _tell_matches(session, posting)


def _on_published(posting: Posting, session: Session) -> None:
    enqueue_after_commit(session, "alerts.posting_published", posting.id)


def init_app() -> None:
    posting_published.connect(_on_published)

