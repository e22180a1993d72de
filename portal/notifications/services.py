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
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.db import utcnow, write_session
from portal.notifications.models import Notification
from portal.tasks import enqueue_after_commit, job

log = logging.getLogger(__name__)

# What each event says, with %(title)s (the proposal) and %(org)s (who acted).
TEXTS = {
    "propose": _l("%(org)s proposes a cooperation: “%(title)s”. Your answer is needed."),
    "counter": _l("%(org)s answered “%(title)s” with other terms. Your answer is needed."),
    "revise": _l("%(org)s revised the terms of “%(title)s”. Your answer is needed."),
    "amend": _l("%(org)s proposes to amend “%(title)s”. Your answer is needed."),
    "accept": _l("%(org)s accepted the terms of “%(title)s”; it awaits a coordinator's "
                 "approval."),
    "decline": _l("%(org)s declined “%(title)s”."),
    "withdraw": _l("%(org)s withdrew “%(title)s”."),
    "approve": _l("“%(title)s” was approved: the partnership is active."),
    "reject": _l("“%(title)s” was not approved by the coordinator."),
    "return": _l("The coordinator returned “%(title)s” for changes."),
    "suspend": _l("“%(title)s” was suspended by %(org)s."),
    "resume": _l("“%(title)s” was resumed by %(org)s."),
    "complete": _l("“%(title)s” was marked completed by %(org)s."),
    "terminate": _l("“%(title)s” was terminated by %(org)s."),
    "message": _l("%(org)s wrote on “%(title)s”."),
    "fulfilment": _l("%(org)s updated the progress of “%(title)s”."),
    "signed_scan": _l("%(org)s uploaded its signed and sealed copy of the agreement for "
                      "“%(title)s”."),
    "agreement_issued": _l("Agreement %(org)s for “%(title)s” is ready: download it, sign "
                           "and seal it, and upload the signed copy."),
    "certificate_filed": _l("%(org)s asks for a mentor certificate of “%(title)s” to be "
                            "countersigned."),
    "certificate_countersigned": _l("A mentor certificate of “%(title)s” was countersigned; "
                                    "its PDF is ready."),
    "certificate_declined": _l("A mentor certificate of “%(title)s” was declined by the "
                               "coordinating office."),
    "organization_verified": _l("%(org)s has been verified by a city coordinator: you can "
                                "publish postings and propose cooperations now."),
    "organization_returned": _l("A city coordinator returned the registration of %(org)s "
                                "for correction: %(reason)s"),
}


def text(notification: Notification) -> str:
    template = TEXTS.get(notification.event)
    return str(template) % notification.params if template else notification.event


def notify(session: Session, recipients: Iterable[User], event_name: str,
           params: dict[str, Any], link: str) -> list[Notification]:
    """One notification per active recipient; e-mailed once the transaction commits."""
    created = [Notification(user_id=user.id, event=event_name, params=params, link=link)
               for user in {u.id: u for u in recipients if u.active}.values()]
    session.add_all(created)
    session.flush()
    if created:
        enqueue_after_commit(session, "notifications.email", [n.id for n in created])
    return created


@job("notifications.email")
def email_notifications(ids: list[int]) -> None:
    """Send each notification once (emailed_at marks it); no SMTP server: log it."""
    with write_session() as session:
        pending = session.scalars(select(Notification).where(
            Notification.id.in_(ids), Notification.emailed_at.is_(None))).all()
        for notification in pending:
            _deliver(notification)
            notification.emailed_at = utcnow()


def _deliver(notification: Notification) -> None:
    user = notification.user
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("School–Enterprise Cooperation Portal")
        # The portal's full address: a mail is read outside the site.
        body = (text(notification) + "\n\n"
                + current_app.config["BASE_URL"].rstrip("/") + notification.link)
    server = current_app.config.get("MAIL_SERVER")
    if not server:
        log.info("mail to %s: %s | %s", user.email, subject, body.replace("\n", " "))
        return
    message = EmailMessage()
    message["Subject"], message["To"] = subject, user.email
    message["From"] = current_app.config["MAIL_FROM"]
    message.set_content(body)
    with smtplib.SMTP(server, current_app.config["MAIL_PORT"], timeout=20) as smtp:
        if current_app.config["MAIL_USE_TLS"]:
            smtp.starttls()
        if current_app.config.get("MAIL_USERNAME"):
            smtp.login(current_app.config["MAIL_USERNAME"], current_app.config["MAIL_PASSWORD"])
        smtp.send_message(message)


def inbox(session: Session, user: User, limit: int = 100) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.user_id == user.id)
                                .order_by(Notification.id.desc()).limit(limit)))


def unread_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_all_read(session: Session, user: User) -> None:
    session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(
        read_at=utcnow()))
