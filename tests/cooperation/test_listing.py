"""The cooperation list (issue 16): filters by state, kind, counterpart and date, sorting,
pages, and the coordinators' CSV/Excel export of what the filters select."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from portal.accounts.models import OrgKind
from portal.cooperation.listing import PAGE_SIZE
from portal.cooperation.models import CooperationKind
from portal.cooperation.services import act, propose
from portal.db import utcnow
from portal.demo_cooperation import TERMS
from tests import factories


def cooperations(db):  # noqa: ANN001, ANN201
    hr = factories.member(db, OrgKind.ENTERPRISE)
    staff = factories.member(db, OrgKind.UNIVERSITY)
    other = factories.member(db, OrgKind.UNIVERSITY)
    order = propose(db, hr, staff.organization, CooperationKind.ORDER_TRAINING, "数控订单班",
                    TERMS[CooperationKind.ORDER_TRAINING])
    research = propose(db, hr, other.organization, CooperationKind.JOINT_RESEARCH, "电池热管理课题",
                       TERMS[CooperationKind.JOINT_RESEARCH])
    act(db, research, other, "decline", comment="方向不符")
    research.updated_at = utcnow() - timedelta(days=40)
    db.commit()
    return hr, staff, other, order, research


def many(db, count: int):  # noqa: ANN001, ANN201
    """`count` proposals of one firm to one college, titled 订单班00, 订单班01, …"""
    hr = factories.member(db, OrgKind.ENTERPRISE)
    staff = factories.member(db, OrgKind.UNIVERSITY)
    for n in range(count):
        propose(db, hr, staff.organization, CooperationKind.ORDER_TRAINING, f"订单班{n:02d}",
                TERMS[CooperationKind.ORDER_TRAINING])
    db.commit()
    return hr


def listed(client, **args) -> str:  # noqa: ANN001
    response = client.get("/cooperation/", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True).split('class="table proposals"')[-1]


def test_filters_by_state_kind_counterpart_and_date(client, db, login_as):
    hr, staff, other, order, research = cooperations(db)
    login_as(hr)
    assert "数控订单班" in listed(client) and "电池热管理课题" in listed(client)
    assert "电池热管理课题" not in listed(client, status="proposed")
    assert "数控订单班" not in listed(client, kind="joint_research")
    assert "电池热管理课题" not in listed(client, q=staff.organization.name)
    recent = (utcnow() - timedelta(days=7)).date().isoformat()
    assert "电池热管理课题" not in listed(client, since=recent)
    assert "数控订单班" not in listed(client, until=(utcnow() - timedelta(days=30)).date())
    bad = client.get("/cooperation/?since=2026-13-45").get_data(as_text=True)
    assert "日期无法识别" in bad and "数控订单班" in bad


def test_sorted_and_paged(client, db, login_as):
    login_as(many(db, PAGE_SIZE + 2))
    by_title = listed(client, sort="title")
    assert by_title.index("订单班00") < by_title.index("订单班01") and "订单班26" not in by_title
    assert "订单班26" in listed(client, sort="title", page=2)
    assert "第 1 页，共 2 页" in client.get("/cooperation/?sort=nonsense").get_data(as_text=True)


def test_members_see_only_their_own(client, db, login_as):
    hr, staff, other, order, research = cooperations(db)
    login_as(staff)
    assert "数控订单班" in listed(client) and "电池热管理课题" not in listed(client)
    assert client.get("/cooperation/export.csv").status_code == 403


def test_coordinators_export_what_the_filters_select(client, db, login_as):
    cooperations(db)
    login_as("coordinator")
    page = client.get("/cooperation/?kind=order_training&_scheme=x&fmt=y").get_data(as_text=True)
    links = re.findall(r'href="(/cooperation/export\.[a-z]+[^"]*)"', page)
    assert links == ["/cooperation/export.csv?kind=order_training",
                     "/cooperation/export.xlsx?kind=order_training"]
    response = client.get("/cooperation/export.csv?kind=order_training")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][0] == "合作" and [row[0] for row in rows[1:]] == ["数控订单班"]
    xlsx = client.get("/cooperation/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get("/cooperation/export.pdf").status_code == 404


def test_a_paged_list_survives_underscore_parameters(client, db, login_as):
    """url_for reads _scheme itself: an address carrying it made paged lists fail."""
    login_as(many(db, PAGE_SIZE + 1))
    for path in ("/cooperation/?_scheme=javascript&_external=1", "/postings/?_scheme=x&fmt=z"):
        assert client.get(path).status_code == 200, path
