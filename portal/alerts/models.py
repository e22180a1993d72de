"""What a person asked to hear about, and what they have been told already."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.db import Base, enum_type, utcnow
from portal.enums import LabelledEnum


class Delivery(LabelledEnum):
    IMMEDIATE = "immediate", _l("At once (inbox and e-mail)")
    DAILY = "daily", _l("In a daily e-mail digest")
    NONE = "none", _l("No alert")


# What an unsubscribe link stops: every alert, or the match alerts ("search:<id>": one).
ALL, MATCHES = "all", "matches"
# Match alerts of a member who has not chosen: a daily digest of matches from 50 up.
DEFAULT_MATCH_DELIVERY = Delivery.DAILY
DEFAULT_MATCH_MIN_SCORE = 50


class SavedSearch(Base):
    """A posting search a person named, and how they hear of new postings it finds."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(String(100))
    # The search's filters as the search page's query string names them (q, kind, …).
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    delivery: Mapped[Delivery] = mapped_column(enum_type(Delivery), default=Delivery.DAILY)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class AlertSettings(Base):
    """How a member hears of new matches for their organisation's postings."""

    __tablename__ = "alert_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    match_delivery: Mapped[Delivery] = mapped_column(enum_type(Delivery, "match_delivery"),
                                                     default=DEFAULT_MATCH_DELIVERY)
    match_min_score: Mapped[int] = mapped_column(default=DEFAULT_MATCH_MIN_SCORE)


class AlertSent(Base):
    """`user` has been told of `posting` for `reason` ("search:<id>" or "match:<id of our
    posting>"): told once, however often the posting changes afterwards."""

    __tablename__ = "alerts_sent"
    __table_args__ = (UniqueConstraint("user_id", "posting_id", "reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DigestSent(Base):
    """One digest per person per day, even when two workers run the job."""

    __tablename__ = "digests_sent"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    items: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
