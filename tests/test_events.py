"""Every event the portal records has words for the people it reaches: a whole demo's
worth of notifications renders in both languages, with the parameters its callers gave
(issue 13: 'signed_scan' once showed as itself)."""
import pytest
from flask_babel import force_locale
from sqlalchemy import select

from portal.cooperation.workflow import TRANSITIONS
from portal.demo import seed_demo
from portal.notifications.models import Notification
from portal.notifications.services import TEXTS, text


def test_every_transition_has_words():
    assert set(TRANSITIONS) - set(TEXTS) == set()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_recorded_notification_renders(app, db, language):
    seed_demo(db)
    db.commit()
    notifications = db.scalars(select(Notification)).all()
    events = {n.event for n in notifications}
    assert {"propose", "approve", "organization_verified"} <= events  # a real spread
    with app.test_request_context(), force_locale(language):
        for notification in notifications:
            assert notification.event in TEXTS, notification.event
            rendered = text(notification)  # a missing parameter raises KeyError here
            assert rendered and rendered != notification.event
