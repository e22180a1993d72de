"""Alerts (issue 16): saved searches and new matches, told at once or in a daily digest
sent once per person per day in their language, stopped by a link without signing in."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from portal.accounts.models import OrgKind
from portal.alerts.models import AlertSettings, Delivery, DigestSent, SavedSearch
from portal.alerts.services import SEARCHES_PER_PERSON, save_search
from portal.errors import DomainError
from portal.notifications import digest
from portal.notifications.models import Notification
from portal.postings.models import PostingKind
from tests import factories

CURRICULUM = dict(title="电气自动化技术专业", skills="PLC编程、电气图纸、变频器",
                  major="电气自动化技术", capacity=40,
                  description="培养PLC编程、电气控制与自动化产线运维人才。")


@pytest.fixture
def mails(caplog):
    caplog.set_level(logging.INFO, logger="portal.notifications.services")
    # Alert and digest mails only: the accounts' own mails are left out.
    return lambda email: [r.getMessage() for r in caplog.records
                          if r.getMessage().startswith(f"mail to {email}:")
                          and ("/postings/" in r.getMessage()
                               or "/alerts/" in r.getMessage())]


def notes(db, user, event: str) -> list[Notification]:
    db.expire_all()
    return list(db.scalars(select(Notification).where(Notification.user_id == user.id,
                                                      Notification.event == event)))


def test_a_search_is_saved_from_the_results_page(client, db, login_as):
    staff = factories.member(db, OrgKind.UNIVERSITY)
    login_as(staff)
    page = client.get("/postings/?q=PLC&kind=talent_demand").get_data(as_text=True)
    assert 'action="/alerts/searches"' in page
    response = client.post("/alerts/searches", data={
        "name": "PLC 岗位", "delivery": "immediate", "q": "PLC", "kind": "talent_demand",
        "sort": "title", "bogus": "x"})
    assert response.status_code == 302 and "q=PLC" in response.headers["Location"]
    search = db.scalar(select(SavedSearch))
    assert search.filters == {"q": "PLC", "kind": "talent_demand"}
    assert search.delivery is Delivery.IMMEDIATE
    assert "PLC 岗位" in client.get("/alerts/").get_data(as_text=True)


def test_a_search_needs_a_name_a_filter_and_room(client, db, login_as, app):
    staff = factories.member(db, OrgKind.UNIVERSITY)
    login_as(staff)
    page = client.post("/alerts/searches", data={"name": "", "q": "PLC"},
                       follow_redirects=True).get_data(as_text=True)
    assert "此项为必填项" in page
    page = client.post("/alerts/searches", data={"name": "全部"},
                       follow_redirects=True).get_data(as_text=True)
    assert "至少选择一个筛选条件或输入搜索词" in page
    assert db.scalar(select(func.count()).select_from(SavedSearch)) == 0
    with app.test_request_context():
        for n in range(SEARCHES_PER_PERSON):
            save_search(db, staff, f"s{n}", {"q": f"词{n}"}, Delivery.NONE)
        with pytest.raises(DomainError):
            save_search(db, staff, "one more", {"q": "PLC"}, Delivery.NONE)


def test_a_new_posting_a_search_finds_is_told_once_at_once(client, db, mails):
    staff = factories.member(db, OrgKind.UNIVERSITY)
    db.add(SavedSearch(user_id=staff.id, name="PLC 岗位", filters={"q": "PLC"},
                       delivery=Delivery.IMMEDIATE))
    db.commit()
    found = factories.posting(db, PostingKind.TALENT_DEMAND, title="PLC电气工程师")
    factories.posting(db, PostingKind.TALENT_DEMAND, title="会计", skills="财务报表",
                      description="负责财务核算与报表编制。", major="会计")
    db.commit()
    told = notes(db, staff, "alert-search")
    assert len(told) == 1 and told[0].link == f"/postings/{found.id}"
    assert not told[0].digest and len(mails(staff.email)) == 1
    from portal.postings.services import close_posting, publish_posting
    author = found.organization.members[0]
    close_posting(db, found, author)
    publish_posting(db, found, author)
    db.commit()
    assert len(notes(db, staff, "alert-search")) == 1  # told once, however often published


def test_an_organisations_own_posting_and_older_searches_stay_quiet(db):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    db.add(SavedSearch(user_id=hr.id, name="PLC", filters={"q": "PLC"},
                       delivery=Delivery.IMMEDIATE))
    db.commit()
    factories.posting(db, PostingKind.TALENT_DEMAND, org=hr.organization)
    db.commit()
    assert notes(db, hr, "alert-search") == []


def test_a_new_match_above_the_chosen_score_is_told_to_the_other_side(db, mails):
    demand = factories.posting(db, PostingKind.TALENT_DEMAND, title="PLC电气工程师")
    hr = demand.organization.members[0]
    db.add(AlertSettings(user_id=hr.id, match_delivery=Delivery.DAILY, match_min_score=20))
    db.commit()
    supply = factories.posting(db, PostingKind.CURRICULUM, **CURRICULUM)
    db.commit()
    told = notes(db, hr, "alert-match")
    assert len(told) == 1 and told[0].digest and told[0].link == f"/postings/{supply.id}"
    assert "PLC电气工程师" in told[0].params["mine"]
    assert mails(hr.email) == []  # a daily alert waits for the digest


@pytest.mark.parametrize("settings", [dict(match_delivery=Delivery.NONE, match_min_score=0),
                                      dict(match_delivery=Delivery.IMMEDIATE,
                                           match_min_score=100)])
def test_no_match_alert_when_off_or_below_the_score(db, settings):
    demand = factories.posting(db, PostingKind.TALENT_DEMAND)
    hr = demand.organization.members[0]
    db.add(AlertSettings(user_id=hr.id, **settings))
    db.commit()
    factories.posting(db, PostingKind.CURRICULUM, **CURRICULUM)
    db.commit()
    assert notes(db, hr, "alert-match") == []


def daily_alert(db, locale: str = "zh"):
    staff = factories.member(db, OrgKind.UNIVERSITY)
    staff.locale = locale
    db.add(SavedSearch(user_id=staff.id, name="PLC 岗位", filters={"q": "PLC"},
                       delivery=Delivery.DAILY))
    db.commit()
    factories.posting(db, PostingKind.TALENT_DEMAND, title="PLC电气工程师")
    db.commit()
    return staff


def test_the_digest_goes_once_a_day_in_the_persons_language(app, db, mails):
    staff = daily_alert(db, "en")
    assert mails(staff.email) == []
    with app.app_context():
        digest.send_digests()
        digest.send_digests()  # a second run the same day (or a second worker)
    sent = mails(staff.email)
    assert len(sent) == 1
    assert "What your alerts found since the last digest" in sent[0]
    assert "PLC电气工程师" in sent[0] and "/alerts/unsubscribe/" in sent[0]
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(DigestSent)) == 1
    assert all(n.emailed_at for n in notes(db, staff, "alert-search"))


def test_the_unsubscribe_link_works_without_signing_in(app, client, db, mails):
    staff = daily_alert(db)
    with app.app_context():
        digest.send_digests()
    link = mails(staff.email)[0].split("停止接收此类邮件：http://localhost:5000")[1].split()[0]
    page = client.get(link)
    assert page.status_code == 200 and "停止" in page.get_data(as_text=True)
    db.expire_all()
    assert db.scalar(select(SavedSearch)).delivery is Delivery.DAILY  # a GET changes nothing
    assert client.post(link, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    db.expire_all()
    assert db.scalar(select(SavedSearch)).delivery is Delivery.NONE
    assert db.get(AlertSettings, staff.id).match_delivery is Delivery.NONE
    assert client.get("/alerts/unsubscribe/forged.token").status_code == 404


def test_saved_searches_are_their_owners_only(client, db, login_as):
    owner = factories.member(db, OrgKind.UNIVERSITY)
    search = SavedSearch(user_id=owner.id, name="PLC", filters={"q": "PLC"},
                         delivery=Delivery.DAILY)
    db.add(search)
    db.commit()
    login_as(factories.member(db, OrgKind.UNIVERSITY))
    assert client.post(f"/alerts/searches/{search.id}",
                       data={"delivery": "none"}).status_code == 404
    assert client.post(f"/alerts/searches/{search.id}/delete").status_code == 404
    assert "PLC" not in client.get("/alerts/").get_data(as_text=True).split("<main")[1]


def test_members_set_their_match_alerts_and_bad_scores_are_refused(client, db, login_as):
    hr = factories.member(db)
    login_as(hr)
    page = client.post("/alerts/", data={"match_delivery": "immediate",
                                         "match_min_score": "150"}).get_data(as_text=True)
    assert "0 到 100" in page
    assert db.get(AlertSettings, hr.id) is None
    client.post("/alerts/", data={"match_delivery": "immediate", "match_min_score": "６０"})
    db.expire_all()
    settings = db.get(AlertSettings, hr.id)
    assert settings.match_delivery is Delivery.IMMEDIATE and settings.match_min_score == 60


def test_imported_postings_are_told_after_the_recompute_matches_them(db):
    """Imported postings bypass the per-posting refresh: their alerts wait for the full
    recompute that the import queues, and a second import of the same file tells nobody
    again."""
    from portal.postings.importer import import_records

    staff = factories.member(db, OrgKind.UNIVERSITY)
    db.add(SavedSearch(user_id=staff.id, name="PLC 岗位", filters={"q": "PLC"},
                       delivery=Delivery.IMMEDIATE))
    programme = factories.posting(db, PostingKind.CURRICULUM, org=staff.organization,
                                  **CURRICULUM)
    db.add(AlertSettings(user_id=staff.id, match_delivery=Delivery.IMMEDIATE,
                         match_min_score=20))
    db.commit()
    records = factories.import_document([factories.IMPORT_DEMAND])
    coordinator = factories.coordinator(db)
    assert import_records(db, records, coordinator).imported == 1
    db.commit()
    searched, matched = notes(db, staff, "alert-search"), notes(db, staff, "alert-match")
    assert [n.params["title"] for n in searched] == ["PLC电气工程师"]
    assert len(matched) == 1 and matched[0].params["mine"] == programme.title
    assert import_records(db, records, coordinator).imported == 1  # updated, not new
    db.commit()
    assert len(notes(db, staff, "alert-search") + notes(db, staff, "alert-match")) == 2


def test_an_alert_mail_links_to_stopping_that_alert_only(client, db, mails):
    staff = factories.member(db, OrgKind.UNIVERSITY)
    plc = SavedSearch(user_id=staff.id, name="PLC 岗位", filters={"q": "PLC"},
                      delivery=Delivery.IMMEDIATE)
    other = SavedSearch(user_id=staff.id, name="电气", filters={"q": "电气"},
                        delivery=Delivery.DAILY)
    db.add_all([plc, other])
    db.commit()
    factories.posting(db, PostingKind.TALENT_DEMAND, title="PLC电气工程师")
    db.commit()
    mail = mails(staff.email)[0]
    assert "停止此提醒" in mail
    link = mail.split("停止此提醒：http://localhost:5000")[-1].split()[0]
    assert "“PLC 岗位”" in client.get(link).get_data(as_text=True)
    client.post(link)
    db.expire_all()
    assert (plc.delivery, other.delivery) == (Delivery.NONE, Delivery.DAILY)
    assert db.get(AlertSettings, staff.id) is None  # match alerts untouched
