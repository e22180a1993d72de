"""Each list page costs the same number of queries however many rows it shows: no query
per row (issue 14: detail and "our matches" ran one query per recommendation)."""
from contextlib import contextmanager

from sqlalchemy import event

from portal.accounts.models import OrgKind
from portal.cooperation.models import CooperationKind
from portal.cooperation.services import act, propose
from portal.db import state
from portal.demo_cooperation import TERMS
from portal.postings.models import PostingKind
from tests import factories


@contextmanager
def counted(app):
    statements = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001, ARG001
        statements.append(statement)

    engines = {state(app).engine, state(app).write_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)


def market(db, hr, staff, size: int):
    """`size` demands of HR's firm and `size` programmes of other colleges, all alike, and
    `size` partnerships of HR's firm; each college's programme fits each demand."""
    demands = [factories.posting(db, PostingKind.TALENT_DEMAND, org=hr.organization,
                                 title=f"PLC电气工程师{n}", skills="PLC编程、电气制图",
                                 major="电气自动化技术") for n in range(size)]
    for n in range(size):
        college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
        factories.posting(db, PostingKind.CURRICULUM, org=college, title=f"电气自动化技术{n}",
                          skills="PLC编程", courses="电气制图、PLC编程", major="电气自动化技术")
    coordinator = factories.coordinator(db)
    for n in range(size):
        proposal = propose(db, hr, staff.organization, CooperationKind.ORDER_TRAINING,
                           f"订单班{n}", TERMS[CooperationKind.ORDER_TRAINING])
        act(db, proposal, staff, "accept")
        act(db, proposal, coordinator, "approve")
    db.commit()
    return demands


PAGES = ["/postings/", "/postings/?q=PLC", "/postings/mine", "/matching/mine",
         "/postings/{demand}", "/cooperation/", "/inbox/", "/"]
COORDINATOR_PAGES = ["/matching/all", "/agreements", "/review/organizations", "/",
                     "/postings/?q=电气", "/monitoring/?period=2026",
                     "/monitoring/districts?period=2026&dimension=major&key=电气自动化技术",
                     "/monitoring/unmatched?days=0", "/monitoring/emerging?period=2026",
                     "/monitoring/fairness?period=2026", "/monitoring/partnerships",
                     "/monitoring/postings?period=2026&dimension=major&key=电气自动化技术"]


def queries(app, client, path: str) -> int:
    with counted(app) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def test_a_members_list_pages_cost_the_same_with_three_times_the_rows(app, client, db,
                                                                      login_as):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    staff = factories.member(db, OrgKind.UNIVERSITY)
    small = market(db, hr, staff, 2)
    login_as(hr)
    paths = [path.format(demand=small[0].id) for path in PAGES]
    for path in paths:
        client.get(path)  # warm: first-use loads
    few = {path: queries(app, client, path) for path in paths}
    market(db, hr, staff, 4)
    many = {path: queries(app, client, path) for path in paths}
    assert many == few


def test_a_coordinators_list_pages_cost_the_same_with_three_times_the_rows(app, client, db,
                                                                           login_as):
    """One market for every page: each page is counted on it, then on three times it."""
    hr = factories.member(db, OrgKind.ENTERPRISE)
    staff = factories.member(db, OrgKind.UNIVERSITY)
    market(db, hr, staff, 2)
    login_as("coordinator")
    for path in COORDINATOR_PAGES:
        client.get(path)
    few = {path: queries(app, client, path) for path in COORDINATOR_PAGES}
    market(db, hr, staff, 4)
    factories.organization(db)  # and pending registrations
    factories.organization(db, OrgKind.UNIVERSITY)
    db.commit()
    many = {path: queries(app, client, path) for path in COORDINATOR_PAGES}
    assert many == few
