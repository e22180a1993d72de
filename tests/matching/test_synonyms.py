"""Coordinators add synonyms; the next match uses them, without a restart."""
import pytest
from sqlalchemy import func, select

from portal.accounts.models import OrgKind, Role
from portal.errors import DomainError, PermissionDenied
from portal.matching.models import SkillSynonym
from portal.matching.store import recommendations, recompute_all
from portal.matching.synonyms import add_synonym
from portal.postings.models import PostingKind
from tests import factories


def count(db):
    return db.scalar(select(func.count()).select_from(SkillSynonym))


def test_a_new_synonym_changes_the_next_match(db):
    enterprise = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    university = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    demand = factories.posting(db, PostingKind.TALENT_DEMAND, org=enterprise, title="走心机调机员",
                               description="负责走心机的调机与日常生产。" * 3, skills="走心机",
                               major="")
    cnc = factories.posting(db, PostingKind.CURRICULUM, org=university, title="数控技术专业",
                            description="培养数控编程与操作人才。" * 2, major="数控技术",
                            courses="数控机床编程与操作", skills="")
    before = recommendations(db, demand)
    assert cnc.id not in [r.posting.id for r in before]

    add_synonym(db, "cnc", "走心机", factories.coordinator(db))
    assert [r.posting.id for r in recommendations(db, demand)] == [r.posting.id for r in before]
    recompute_all(db, db)  # the next match
    after = recommendations(db, demand)
    assert [r.posting.id for r in after][0] == cnc.id
    said = {concept: words for concept, *words in after[0].match.matched}
    assert said["cnc"][0] == "走心机"


@pytest.mark.parametrize("concept, alias, message", [
    ("cnc", "", "请输入词语或缩写"),
    ("cnc", "   ", "请输入词语或缩写"),
    ("no-such-concept", "走心机", "请从列表中选择"),
    ("cnc", "PLC", "已表示"),  # already another concept's word
    ("cnc", "字" * 51, "不要超过 50"),
])
def test_bad_synonyms_are_refused_with_a_reason(app, db, concept, alias, message):
    coordinator = factories.coordinator(db)
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        with pytest.raises(DomainError) as refused:
            add_synonym(db, concept, alias, coordinator)
        assert message in str(refused.value.message)
    assert count(db) == 0


def test_only_coordinators_add_synonyms(db):
    with pytest.raises(PermissionDenied):
        add_synonym(db, "cnc", "走心机", factories.member(db))


def test_synonym_page_for_coordinators(client, db, login_as):
    login_as(Role.COORDINATOR)
    assert client.get("/matching/synonyms").status_code == 200
    response = client.post("/matching/synonyms", data={"concept": "cnc", "alias": "ＣＮＣ车床"})
    assert response.status_code == 302
    assert db.scalar(select(SkillSynonym.alias)) == "cnc车床"
    page = client.get("/matching/synonyms").get_data(as_text=True)
    assert "cnc车床" in page
    twice = client.post("/matching/synonyms", data={"concept": "ev", "alias": "CNC车床"})
    assert "已表示" in twice.get_data(as_text=True) and count(db) == 1
    synonym_id = db.scalar(select(SkillSynonym.id))
    assert client.post(f"/matching/synonyms/{synonym_id}/delete").status_code == 302
    assert count(db) == 0


@pytest.mark.parametrize("role, page, post, saved", [
    (None, 302, 302, 0),  # to the sign-in page
    (Role.ENTERPRISE_HR, 403, 403, 0),
    (Role.UNIVERSITY_STAFF, 403, 403, 0),
    (Role.COORDINATOR, 200, 302, 1),  # saved, then back to the list
])
def test_synonym_page_permissions(client, db, login_as, role, page, post, saved):
    if role:
        login_as(role)
    assert client.get("/matching/synonyms").status_code == page
    response = client.post("/matching/synonyms", data={"concept": "cnc", "alias": "走心机"})
    assert response.status_code == post
    assert count(db) == saved
