"""Every event the portal records has words for the people it reaches, in both languages,
with the parameters its callers gave, and a link to a real page (issue 13: 'signed_scan'
once showed as itself, and an agreement's number travelled as the organisation)."""
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from portal.cooperation.events import TRANSITION_EVENTS
from portal.cooperation.workflow import TRANSITIONS
from portal.demo import seed_demo
from portal.events import EVENTS, tell
from portal.notifications.models import Notification
from portal.notifications.services import text
from tests import factories, snapshots

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_every_transition_has_an_event():
    assert set(TRANSITION_EVENTS) == set(TRANSITIONS)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_event_needs_exactly_the_parameters_it_declares(app, language):
    with app.test_request_context(), force_locale(language):
        for event in EVENTS.values():
            wording = str(event.wording)
            assert set(PLACEHOLDER.findall(wording)) == event.params, (language, event.name)


def test_telling_an_event_without_its_parameters_is_refused(app, db):
    user = factories.coordinator(db)
    with app.test_request_context(), pytest.raises(ValueError, match="number"):
        tell(db, [user], EVENTS["agreement_issued"], {"title": "x"}, proposal_id=1)


def test_a_told_event_reaches_the_inbox_in_the_same_transaction(app, db):
    user = factories.coordinator(db)
    db.commit()
    with app.test_request_context():
        tell(db, [user], EVENTS["approve"], {"title": "数控订单班"}, proposal_id=7)
    db.rollback()  # the change that caused it did not happen: nor did the notification
    assert db.scalars(select(Notification)).all() == []
    with app.test_request_context():
        tell(db, [user], EVENTS["approve"], {"title": "数控订单班"}, proposal_id=7)
    db.commit()
    [notification] = db.scalars(select(Notification)).all()
    assert (notification.user_id, notification.link) == (user.id, "/cooperation/7")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_recorded_notification_renders_and_leads_to_its_page(app, db, language):
    snapshots.built_once("demo", seed_demo, db)  # the second language restores it
    db.commit()
    notifications = db.scalars(select(Notification)).all()
    events = {n.event for n in notifications}
    assert {"propose", "approve", "organization_verified", "agreement_issued"} <= events
    routes = app.url_map.bind("localhost")
    with app.test_request_context(), force_locale(language):
        for notification in notifications:
            event = EVENTS[notification.event]
            rendered = text(notification)  # a missing parameter raises KeyError here
            assert rendered and rendered != notification.event
            endpoint, _ = routes.match(notification.link.split("#")[0])
            assert endpoint == event.endpoint
