"""Writing notifications with the event that causes them (same transaction), and e-mailing
them after the commit through the background queue, so no request waits on a mail server."""
from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from email.message import EmailMessage
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal import events
from portal.accounts.models import User
from portal.db import utcnow, write_session
from portal.events import Event, Topic, full_url
from portal.notifications.models import Notification
from portal.notifications.unsubscribe import headers as unsubscribe_headers
from portal.notifications.unsubscribe import stop_link
from portal.paging import Page, numbered_page
from portal.tasks import enqueue_after_commit, job

log = logging.getLogger(__name__)


def text(notification: Notification) -> str:
    return events.text(notification.event, notification.params)


def _deliver_event(event: Event, session: Session, recipients: Iterable[User],
                   params: dict[str, Any], link: str, digest: bool = False
                   ) -> list[Notification]:
    """One notification per active recipient of an event a service told
    (portal.events.tell); e-mailed once the transaction commits, or with `digest` by the
    next daily digest (portal.notifications.digest). A private event is only e-mailed."""
    active = {u.id: u for u in recipients if u.active}
    if event.private:
        for user_id in active:
            enqueue_after_commit(session, "notifications.private_email", user_id,
                                 event.name, params, link)
        return []
    created = [Notification(user_id=user.id, event=event.name, params=params, link=link,
                            digest=digest) for user in active.values()]
    session.add_all(created)
    session.flush()
    if created and not digest:
        enqueue_after_commit(session, "notifications.email", [n.id for n in created])
    return created


def init_app() -> None:
    events.happened.connect(_deliver_event)


@job("notifications.email")
def email_notifications(ids: list[int]) -> None:
    """Send each notification once (emailed_at marks it); no SMTP server: log it."""
    with write_session() as session:
        pending = session.scalars(select(Notification).where(
            Notification.id.in_(ids), Notification.emailed_at.is_(None))).all()
        for notification in pending:
            _deliver(notification)
            notification.emailed_at = utcnow()


@job("notifications.private_email")
def email_privately(user_id: int, name: str, params: dict[str, Any], link: str) -> None:
    """A private event's mail: nothing is stored, so nothing marks it sent."""
    with write_session() as session:
        user = session.get(User, user_id)
        if user is not None and user.active:
            _send(user, lambda: events.text(name, params), link)


def _deliver(notification: Notification) -> None:
    """An alert's mail also carries the link that stops that alert (and its header)."""
    stop = notification.params.get("stop")
    user = notification.user
    if stop:
        send_mail(user, lambda: "\n\n".join((
            text(notification), full_url(notification.link),
            _("Stop this alert: %(url)s", url=stop_link(user.id, stop)))),
                  unsubscribe_headers(user.id, stop))
    else:
        _send(user, lambda: text(notification), notification.link)


def _send(user: User, words, link: str) -> None:  # noqa: ANN001 - words: () -> str
    """Mail `words` (made in the user's language) and the link to the user."""
    send_mail(user, lambda: words() + "\n\n" + full_url(link))


def send_mail(user: User, body, headers: dict[str, str] | None = None) -> None:  # noqa: ANN001
    """Mail `body()` (made in the user's language) to the user, with extra `headers`."""
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("School–Enterprise Cooperation Portal")
        text = body()
    server = current_app.config.get("MAIL_SERVER")
    if not server:
        log.info("mail to %s: %s | %s", user.email, subject, text.replace("\n", " "))
        return
    message = EmailMessage()
    message["Subject"], message["To"] = subject, user.email
    message["From"] = current_app.config["MAIL_FROM"]
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    with smtplib.SMTP(server, current_app.config["MAIL_PORT"], timeout=20) as smtp:
        if current_app.config["MAIL_USE_TLS"]:
            smtp.starttls()
        if current_app.config.get("MAIL_USERNAME"):
            smtp.login(current_app.config["MAIL_USERNAME"], current_app.config["MAIL_PASSWORD"])
        smtp.send_message(message)


INBOX_PAGE_SIZE = 30


def inbox(session: Session, user: User, topic: Topic | None = None, unread_only: bool = False,
          page: int = 1) -> Page:
    """One page of a person's notifications, newest first, of one topic or all, unread
    only if asked."""
    statement = select(Notification).where(Notification.user_id == user.id)
    if topic is not None:
        statement = statement.where(Notification.event.in_(events.names_about(topic)))
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    return numbered_page(session, statement.order_by(Notification.id.desc()), page,
                         INBOX_PAGE_SIZE)


def unread_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_all_read(session: Session, user: User) -> None:
    session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(
        read_at=utcnow()))
