"""The four people every cooperation test needs."""
import pytest

from portal.accounts.models import OrgKind
from tests import factories


@pytest.fixture
def people(db):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    staff = factories.member(db, OrgKind.UNIVERSITY)
    return {"proposer": hr, "partner": staff,
            "outsider": factories.member(db, OrgKind.UNIVERSITY),
            "coordinator": factories.coordinator(db)}
