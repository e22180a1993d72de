"""Saved searches and match alert settings, and telling people of a newly published
posting that one of their searches finds or that fits one of their postings."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
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
from portal.db import read_session, write_session
from portal.errors import DomainError, PermissionDenied
from portal.events import tell
from portal.matching.models import MatchDismissal, PostingMatch
from portal.matching.services import search_names
from portal.postings.models import Posting
from portal.postings.search import filtered, query_from_args
from portal.signals import matches_recomputed, posting_published
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


SEARCH_PREFIX = "search:"


def search_key(search: SavedSearch) -> str:
    """What names one saved search in an unsubscribe link and in what was told."""
    return f"{SEARCH_PREFIX}{search.id}"


def _search_id(what: str) -> int | None:
    return int(what.removeprefix(SEARCH_PREFIX) or 0) if what.startswith(SEARCH_PREFIX) \
        else None


def unsubscribe(session: Session, user_id: int, what: str) -> None:
    """Stop what an unsubscribe link names (ALL, MATCHES or a search_key); nothing else
    changes, and stopping twice is harmless."""
    searches = select(SavedSearch).where(SavedSearch.user_id == user_id)
    search_id = _search_id(what)
    if search_id is not None:
        searches = searches.where(SavedSearch.id == search_id)
    if what == ALL or search_id is not None:
        for search in session.scalars(searches):
            search.delivery = Delivery.NONE
    if what in (ALL, MATCHES):
        settings = settings_of(session, user_id)
        settings.match_delivery = Delivery.NONE
        session.add(settings)


def stopped_search(session: Session, user_id: int, what: str) -> SavedSearch | None:
    """The saved search an unsubscribe link of `user_id` stops, if it names one."""
    search_id = _search_id(what)
    search = session.get(SavedSearch, search_id) if search_id is not None else None
    return search if search is not None and search.user_id == user_id else None


def _first_time(session: Session, user_id: int, posting_id: int, reason: str) -> bool:
    """Record that `user_id` is told of `posting_id` for `reason`; False if they were."""
    if session.scalar(select(exists().where(
            AlertSent.user_id == user_id, AlertSent.posting_id == posting_id,
            AlertSent.reason == reason))):
        return False
    session.add(AlertSent(user_id=user_id, posting_id=posting_id, reason=reason))
    session.flush()
    return True


def _tell_searches(session: Session, postings: list[Posting]) -> int:
    """Each saved search of another organisation's people that finds one of `postings`,
    saved before that posting was published (searches are about what is new). One query
    per saved search, however many postings arrive together."""
    told = 0
    by_id = {posting.id: posting for posting in postings}
    latest = max(posting.published_at for posting in postings)
    searches = session.scalars(select(SavedSearch).join(User).where(
        SavedSearch.delivery != Delivery.NONE, SavedSearch.created_at <= latest,
        User.active.is_(True)))
    dialect = session.get_bind().dialect.name
    for search in searches:
        statement = filtered(search.user, query_from_args(MultiDict(search.filters)),
                             expand=lambda text: search_names(session, text),
                             dialect=dialect).where(Posting.id.in_(by_id))
        found = session.scalars(statement.with_only_columns(Posting.id)).all()
        for posting in (by_id[posting_id] for posting_id in found):
            if (search.user.organization_id == posting.organization_id
                    or search.created_at > posting.published_at
                    or not _first_time(session, search.user_id, posting.id,
                                       search_key(search))):
                continue
            tell(session, [search.user], NEW_FOR_SEARCH,
                 {"search": search.name, "title": posting.title,
                  "org": posting.organization.name, "stop": search_key(search)},
                 digest=search.delivery is Delivery.DAILY, posting_id=posting.id)
            told += 1
    return told


def _live_matches(session: Session, postings: list[Posting]):  # noqa: ANN202 - row tuples
    """(our live posting, score, the new posting) for each stored pair of one of
    `postings` with another organisation's live posting that its people did not dismiss."""
    by_id = {posting.id: posting for posting in postings}
    today = max(posting.published_at for posting in postings).date()
    for new_side, our_side in ((PostingMatch.demand_id, PostingMatch.supply_id),
                               (PostingMatch.supply_id, PostingMatch.demand_id)):
        rows = session.execute(select(Posting, PostingMatch.score, new_side).join(
            PostingMatch, our_side == Posting.id).where(
            new_side.in_(by_id), Posting.is_live_on(today),
            ~exists().where(MatchDismissal.posting_id == Posting.id,
                            MatchDismissal.other_posting_id == new_side)))
        for mine, score, new_id in rows:
            if mine.organization_id != by_id[new_id].organization_id:
                yield mine, score, by_id[new_id]


def _tell_matches(session: Session, postings: list[Posting]) -> int:
    """The members of each organisation with a live posting that one of `postings` fits,
    above the score each member chose."""
    told = 0
    settings_by_member: dict[int, AlertSettings] = {}
    for mine, score, posting in _live_matches(session, postings):
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
                      "org": posting.organization.name, "score": round(score),
                      "stop": MATCHES},
                     digest=settings.match_delivery is Delivery.DAILY, posting_id=posting.id)
                told += 1
    return told


def tell_about(session: Session, postings: list[Posting]) -> int:
    """Tell whom newly published `postings` concern, once each; returns how many were told."""
    postings = [posting for posting in postings if posting.published_at is not None]
    if not postings:
        return 0
    return _tell_searches(session, postings) + _tell_matches(session, postings)


@job("alerts.posting_published")
def tell_about_posting(posting_id: int) -> None:
    """After a posting's publication commits (its matches are stored with it)."""
    with write_session() as session:
        posting = session.get(Posting, posting_id)
        if posting is not None:
            tell_about(session, [posting])


# Imported postings per batch of alerts: bounds the IN lists and the transaction.
IMPORTED_BATCH = 500


@job("alerts.imported_postings")
def tell_about_imported(since_iso: str) -> None:
    """After a full recompute: imported postings bypass the per-posting refresh, so their
    matches exist only now; tell about those published since `since_iso`."""
    since = datetime.fromisoformat(since_iso)
    with read_session() as session:
        ids = list(session.scalars(select(Posting.id).where(
            Posting.external_ref.is_not(None), Posting.published_at >= since,
            Posting.is_live_on(date.today())).order_by(Posting.id)))
    for start in range(0, len(ids), IMPORTED_BATCH):
        with write_session() as session:
            tell_about(session, list(session.scalars(select(Posting).where(
                Posting.id.in_(ids[start:start + IMPORTED_BATCH])))))


def _on_published(posting: Posting, session: Session) -> None:
    enqueue_after_commit(session, "alerts.posting_published", posting.id)


def _on_recomputed(sender: object, session: Session, since: datetime) -> None:
    enqueue_after_commit(session, "alerts.imported_postings", since.isoformat())


def init_app() -> None:
    posting_published.connect(_on_published)
    matches_recomputed.connect(_on_recomputed)
