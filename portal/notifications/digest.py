"""The daily digest: one e-mail per person per day with what their alerts found since the
last, in their language, each line with its link, and links that stop the alerts
without signing in (also as List-Unsubscribe, one click, RFC 8058)."""
from __future__ import annotations

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import exists, select

from portal.accounts.models import User
from portal.alerts.models import ALL, DigestSent
from portal.db import utcnow, write_session
from portal.events import full_url, path_for
from portal.notifications.models import Notification
from portal.notifications.services import send_mail, text
from portal.notifications.unsubscribe import headers, stop_link
from portal.tasks import job, periodic

log = logging.getLogger(__name__)

DIGEST_ITEMS_MAX = 50  # lines in one mail; the rest wait in the inbox, marked as sent


def _body(notifications: list[Notification], more: int, user: User) -> str:
    lines = [_("What your alerts found since the last digest:"), ""]
    for notification in notifications:
        lines += [f"• {text(notification)}", f"  {full_url(notification.link)}"]
    if more:
        lines += ["", ngettext("… and %(num)d more in your inbox.",
                               "… and %(num)d more in your inbox.", more)]
    lines += ["", _("Choose what you are alerted to: %(url)s",
                    url=full_url(path_for("alerts.index"))),
              _("Stop these e-mails: %(url)s", url=stop_link(user.id, ALL))]
    # One link per alert that spoke in this digest, to stop only that one.
    stops = {n.params["stop"]: n.params.get("search") for n in notifications
             if n.params.get("stop")}
    for what, search in stops.items():
        lines.append(_("Stop the alerts of the saved search “%(name)s”: %(url)s", name=search,
                       url=stop_link(user.id, what)) if search else
                     _("Stop the alerts of new matches: %(url)s", url=stop_link(user.id, what)))
    return "\n".join(lines)


def today_in_city(now: datetime | None = None) -> date:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return (now or utcnow()).replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()


def _digest_for(user_id: int, day: date) -> int:
    """Send `user_id` their digest for `day` unless it went already; the lines sent."""
    with write_session() as session:
        user = session.get(User, user_id)
        if user is None or not user.active or session.scalar(select(exists().where(
                DigestSent.user_id == user_id, DigestSent.day == day))):
            return 0
        waiting = list(session.scalars(select(Notification).where(
            Notification.user_id == user_id, Notification.digest.is_(True),
            Notification.emailed_at.is_(None)).order_by(Notification.id)))
        if not waiting:
            return 0
        shown = waiting[:DIGEST_ITEMS_MAX]
        # Recorded first: a second worker's insert of the same (person, day) fails and
        # rolls its transaction back, so nobody gets two digests in a day.
        session.add(DigestSent(user_id=user_id, day=day, items=len(waiting)))
        for notification in waiting:
            notification.emailed_at = utcnow()
        session.flush()
        send_mail(user, lambda: _body(shown, len(waiting) - len(shown), user),
                  headers(user_id, ALL))
        return len(shown)


@job("alerts.send_digests")
def send_digests() -> None:
    """Everyone with digest lines waiting gets one mail (each in a transaction of its
    own: one failing address does not hold back the others)."""
    day = today_in_city()
    with write_session() as session:
        people = list(session.scalars(select(Notification.user_id).where(
            Notification.digest.is_(True), Notification.emailed_at.is_(None)).distinct()))
    for user_id in people:
        try:
            _digest_for(user_id, day)
        except Exception:  # noqa: BLE001 - the others still get theirs; retried tomorrow
            log.exception("digest for user %s failed", user_id)


periodic("alerts.send_digests", hour="0", minute="30")  # 08:30 in the city
