"""Every event notifies the people it concerns exactly once; e-mail follows the commit."""
import logging

import pytest
from sqlalchemy import delete, func, select

from portal.accounts.models import OrgKind, Role, User
from portal.cooperation.services import act, post_message
from portal.notifications.models import Notification
from portal.notifications.services import unread_count
from tests import factories


@pytest.fixture
def people(people, db):
    """The shared parties, their organisations' verification messages delivered and
    cleared: these tests count what cooperation sends, from empty inboxes."""
    db.commit()
    db.execute(delete(Notification))
    db.commit()
    return people


def notes_for(db, user):
    return db.scalars(select(Notification).where(Notification.user_id == user.id)
                      .order_by(Notification.id)).all()


def test_each_event_reaches_the_right_people_once(db, people):
    colleague = factories.member(db, OrgKind.UNIVERSITY)  # another university: not a party
    proposal = factories.new_proposal(db, people)
    partner, proposer, coordinator = people["partner"], people["proposer"], people["coordinator"]
    assert [n.event for n in notes_for(db, partner)] == ["propose"]
    assert notes_for(db, proposer) == []
    # Only its own registration's messages: nothing of a cooperation it is not in.
    assert [n.event for n in notes_for(db, colleague)] == ["confirm_email",
                                                           "organization_verified"]

    act(db, proposal, partner, "accept")
    assert [n.event for n in notes_for(db, proposer)] == ["accept"]
    assert [n.event for n in notes_for(db, coordinator)] == ["accept"]  # to approve

    act(db, proposal, coordinator, "approve")
    assert [n.event for n in notes_for(db, proposer)][-1] == "approve"
    assert [n.event for n in notes_for(db, partner)][-1] == "approve"
    assert [n.event for n in notes_for(db, coordinator)] == ["accept"]  # not to themselves

    post_message(db, proposal, proposer, "开班时间定在九月？")
    assert [n.event for n in notes_for(db, partner)][-1] == "message"
    coordinators = db.scalar(select(func.count()).select_from(User).where(
        User.role == Role.COORDINATOR))
    total = db.scalar(select(func.count()).select_from(Notification).where(
        Notification.event.not_in(["organization_verified", "confirm_email"])))
    # propose; accept to the proposer and every coordinator; approve to both; message
    assert total == 1 + (1 + coordinators) + 2 + 1


def test_inbox_count_and_reading(client, db, login_as, people):
    factories.new_proposal(db, people)
    partner = login_as(people["partner"])
    assert unread_count(db, partner) == 1
    page = client.get("/inbox/").get_data(as_text=True)
    assert "数控订单班" in page and "需要您的答复" in page
    assert 'class="count"' in client.get("/").get_data(as_text=True)
    client.post("/inbox/read")
    assert unread_count(db, partner) == 0


def test_mail_is_sent_after_the_commit_and_only_once(db, people, caplog):
    caplog.set_level(logging.INFO, logger="portal.notifications.services")
    factories.new_proposal(db, people)
    assert "mail to" not in caplog.text  # nothing before the commit
    db.commit()
    assert caplog.text.count("mail to") == 1
    assert people["partner"].email in caplog.text
    assert "http://localhost:5000/cooperation/" in caplog.text  # a full link
    db.commit()  # a later commit does not send it again
    assert caplog.text.count("mail to") == 1
    assert all(n.emailed_at for n in notes_for(db, people["partner"]))


def test_nothing_is_sent_when_the_transaction_rolls_back(db, people, caplog):
    caplog.set_level(logging.INFO, logger="portal.notifications.services")
    factories.new_proposal(db, people)
    db.rollback()
    db.commit()
    assert "mail to" not in caplog.text
