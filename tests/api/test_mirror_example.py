"""The example mirror client in scripts/ keeps a copy in step over real HTTP: new,
changed and closed postings arrive, and a second run with nothing new changes nothing."""
from __future__ import annotations

import importlib.util
import json

from portal import PROJECT_ROOT
from portal.accounts.models import OrgKind
from portal.postings.models import PostingKind
from portal.postings.services import close_posting, update_posting
from tests import factories


def _client():
    spec = importlib.util.spec_from_file_location(
        "mirror_postings", PROJECT_ROOT / "scripts" / "mirror_postings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_mirror_follows_the_portal(live_server, db, tmp_path):
    mirror = _client().mirror
    hr = factories.member(db, OrgKind.ENTERPRISE)
    made = [factories.posting(db, PostingKind.TALENT_DEMAND, org=hr.organization)
            for _ in range(3)]
    factories.posting(db, PostingKind.TALENT_DEMAND, org=hr.organization, publish=False)
    db.commit()
    token = factories.api_token(db, factories.member(db, OrgKind.UNIVERSITY), "read")
    store = tmp_path / "mirror.json"
    assert mirror(live_server, token, store) == 3  # drafts are nobody else's business

    update_posting(db, made[0], hr, {"headcount": 9})
    close_posting(db, made[1], hr)
    db.commit()
    assert mirror(live_server, token, store) == 2
    copy = json.loads(store.read_text(encoding="utf-8"))["postings"]
    assert copy[str(made[0].id)]["headcount"] == 9
    assert copy[str(made[1].id)]["status"] == "closed"
    assert mirror(live_server, token, store) == 0
