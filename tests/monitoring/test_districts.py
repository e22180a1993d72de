"""Location quotients per district, and the district page."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from portal.accounts.models import OrgKind
from portal.monitoring.districts import district_view, layout, quotient_class
from portal.monitoring.models import Dimension
from portal.monitoring.periods import Period, PeriodKind
from portal.postings.models import PostingKind
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
Q3 = Period(PeriodKind.QUARTER, 2026, 3)


@pytest.fixture
def market(db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    demand, supply = PostingKind.TALENT_DEMAND, PostingKind.CURRICULUM
    for kind, org, major, people, district in [
            (demand, firm, "软件工程", 10, "浦东新区"), (demand, firm, "数控技术", 30, "浦东新区"),
            (demand, firm, "软件工程", 10, "徐汇区"), (supply, college, "软件工程", 20, "浦东新区"),
            (supply, college, "数控技术", 40, "徐汇区")]:
        amount = {"headcount": people} if kind is demand else {"capacity": people}
        posting = factories.posting(db, kind, org=org, major=major, district=district,
                                    skills="", description="负责相关工作。", **amount)
        posting.published_at = datetime(2026, 8, 1, tzinfo=SHANGHAI)
    db.commit()


def test_location_quotients(db, market):
    view = district_view(db, Q3, SHANGHAI, dimension=Dimension.MAJOR, key="软件工程")
    pudong, xuhui = view.row("浦东新区"), view.row("徐汇区")
    # 浦东: 10 of its 40 wanted, against the city's 20 of 50.
    assert pudong.demand_quotient == pytest.approx((10 / 40) / (20 / 50))
    assert xuhui.demand_quotient == pytest.approx((10 / 10) / (20 / 50))
    # All of 浦东's 20 graduates, against the city's 20 of 60; none of 徐汇's 40.
    assert pudong.supply_quotient == pytest.approx((20 / 20) / (20 / 60))
    assert xuhui.supply_quotient == 0
    assert (view.city.demand, view.city.supply) == (50, 60)
    assert (view.city_chosen.demand, view.city_chosen.supply) == (20, 20)


def test_without_a_chosen_row_every_district_has_its_totals(db, market):
    view = district_view(db, Q3, SHANGHAI)
    assert [(r.district, r.everything.demand, r.everything.supply) for r in view.rows] == [
        ("徐汇区", 10, 40), ("浦东新区", 40, 20)]
    assert view.rows[0].chosen is None and view.rows[0].demand_quotient is None


def test_the_map_holds_every_district_of_the_city(app):
    assert {tile.district for tile in layout()} == set(app.config["CITY_DISTRICTS"])
    assert len({(tile.x, tile.y) for tile in layout()}) == len(layout())  # no overlap


@pytest.mark.parametrize("value, expected", [(None, "none"), (0.0, "low"), (0.8, "even"),
                                             (1.25, "high"), (2.0, "very-high")])
def test_quotient_classes(value, expected):
    assert quotient_class(value) == expected


def test_the_page_colours_the_map_and_lists_the_quotients(client, login_as, market):
    login_as("coordinator")
    page = client.get("/monitoring/districts", query_string={
        "period": "2026-Q3", "dimension": "major", "key": "软件工程"}).get_data(as_text=True)
    assert "2.50" in page and "0.62" in page and "3.00" in page
    assert 'class="tile q-very-high"' in page  # 徐汇's 2.5
    assert "浦东新区" in page


def test_an_unknown_row_shows_every_district(client, login_as, market):
    login_as("coordinator")
    response = client.get("/monitoring/districts?period=2026-Q3&dimension=major&key=无此专业"
                          "&district=徐汇区")
    assert response.status_code == 200
    assert "浦东新区" in response.get_data(as_text=True)
