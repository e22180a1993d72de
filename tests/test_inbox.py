"""The inbox (issue 16): newest first a page at a time, filtered by topic and to the
unread, and everything marked read at once."""
from __future__ import annotations

from sqlalchemy import delete

from portal.accounts.models import Role
from portal.db import utcnow
from portal.notifications.models import Notification
from portal.notifications.services import INBOX_PAGE_SIZE
from tests import factories


def inbox_of(db, role=Role.ENTERPRISE_HR):  # noqa: ANN001, ANN201
    """A member with an empty inbox, then messages of two topics: the oldest first."""
    user = factories.user(db, role)
    db.commit()
    db.execute(delete(Notification).where(Notification.user_id == user.id))
    for n in range(INBOX_PAGE_SIZE + 5):
        db.add(Notification(user_id=user.id, event="propose", link="/cooperation/1",
                            params={"org": f"企业{n:02d}", "title": f"订单班{n:02d}"}))
    db.add(Notification(user_id=user.id, event="agreement_issued", link="/agreements",
                        params={"title": "数控订单班", "number": "CJ-2026-000001"}))
    db.commit()
    return user


def test_pages_newest_first(client, db, login_as):
    login_as(inbox_of(db))
    first = client.get("/inbox/").get_data(as_text=True)
    assert "CJ-2026-000001" in first and "订单班34" in first and "订单班04" not in first
    assert "第 1 页，共 2 页" in first and 'rel="next"' in first
    second = client.get("/inbox/?page=2").get_data(as_text=True)
    assert "订单班04" in second and "订单班34" not in second
    assert client.get("/inbox/?page=999999999").status_code == 200  # kept within range


def test_filtered_by_topic_and_to_the_unread(client, db, login_as):
    user = login_as(inbox_of(db))
    agreements = client.get("/inbox/?topic=agreements").get_data(as_text=True)
    assert "CJ-2026-000001" in agreements and "订单班0" not in agreements
    db.query(Notification).filter(Notification.user_id == user.id,
                                  Notification.event == "propose").update({"read_at": utcnow()})
    db.commit()
    unread = client.get("/inbox/?unread=1").get_data(as_text=True)
    assert "CJ-2026-000001" in unread and "订单班01" not in unread
    none = client.get("/inbox/?topic=monitoring").get_data(as_text=True)
    assert "没有符合条件的消息" in none and 'href="/inbox/"' in none
    assert client.get("/inbox/?topic=<script>").status_code == 200  # unknown: everything


def test_mark_all_as_read(client, db, login_as):
    user = login_as(inbox_of(db))
    assert "全部标为已读" in client.get("/inbox/").get_data(as_text=True)
    client.post("/inbox/read")
    page = client.get("/inbox/?unread=1").get_data(as_text=True)
    assert "全部标为已读" not in page and "没有符合条件的消息" in page
    assert db.query(Notification).filter(Notification.user_id == user.id,
                                         Notification.read_at.is_(None)).count() == 0


def test_only_ones_own_messages(client, db, login_as):
    inbox_of(db)
    login_as(factories.user(db, Role.UNIVERSITY_STAFF))
    page = client.get("/inbox/?topic=partnerships").get_data(as_text=True)
    assert "订单班" not in page


def test_the_inbox_speaks_english(client, db, login_as):
    login_as(inbox_of(db))
    client.post("/language", data={"language": "en"})
    page = client.get("/inbox/").get_data(as_text=True)
    assert "Agreements and certificates" in page and "Unread only" in page
