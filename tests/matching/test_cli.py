"""`flask --app wsgi match --format json --top K [--output FILE]`: the evaluation contract."""
import json

from portal.postings.importer import import_records
from tests import factories

DATA = {
    "format": "portal-import/1",
    "organizations": [
        {"ref": "E1", "kind": "enterprise", "name": "澄曜智能装备"},
        {"ref": "U1", "kind": "university", "name": "临港职业技术学院", "level": "高职"},
    ],
    "postings": [
        {"ref": "D1", "org": "E1", "type": "talent_demand", "title": "CNC操机员",
         "description": "招CNC操机，会看图纸，懂西门子系统"},
        {"ref": "D2", "org": "E1", "type": "research_topic", "title": "压铸件视觉检测",
         "description": "基于机器视觉和深度学习的缺陷检测", "skills": ["机器视觉"]},
        {"ref": "S1", "org": "U1", "type": "curriculum", "title": "数控技术专业",
         "description": "培养数控加工人才", "major": "数控技术",
         "courses": ["数控机床编程与操作", "机械制图"]},
        {"ref": "S2", "org": "U1", "type": "curriculum", "title": "数据科学与大数据技术专业",
         "description": "培养数据分析人才", "courses": ["机器学习", "数据挖掘"]},
        {"ref": "M1", "org": "U1", "type": "mentor_offer", "title": "机器视觉团队",
         "description": "工业视觉检测研究", "skills": ["机器视觉", "深度学习"]},
    ],
}


def test_match_prints_every_published_demand_best_first(runner, db, tmp_path):
    import_records(db, DATA, factories.coordinator(db))
    db.commit()
    result = runner.invoke(args=["match", "--format", "json", "--top", "2"])
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    assert [entry["posting"] for entry in output] == ["D1", "D2"]
    d1, d2 = output
    assert d1["matches"][0]["posting"] == "S1"
    assert [m["posting"] for m in d1["matches"]] == ["S1", "S2"]  # compatible kinds only
    assert d2["matches"][0]["posting"] == "M1"
    for entry in output:
        scores = [m["score"] for m in entry["matches"]]
        assert scores == sorted(scores, reverse=True)
        assert all(isinstance(m["score"], float) and m["reasons"] for m in entry["matches"])
    assert any("cnc" in reason for reason in d1["matches"][0]["reasons"])

    path = tmp_path / "matches.json"
    assert runner.invoke(args=["match", "--format", "json", "--output", str(path)]).exit_code == 0
    assert json.loads(path.read_text(encoding="utf-8"))[0]["posting"] == "D1"


def test_drafts_and_closed_postings_are_not_matched(runner, db):
    demand = factories.posting(db, title="CNC操机员", description="招CNC操机，会看图纸。" * 3)
    draft = factories.posting(db, title="草稿岗位", publish=False)
    programme = factories.posting(db, factories.PostingKind.CURRICULUM, title="数控技术专业",
                                  major="数控技术")
    from portal.postings.services import close_posting

    closed = factories.posting(db, factories.PostingKind.CURRICULUM, title="数控加工专业")
    close_posting(db, closed, closed.organization.members[0])
    db.commit()
    output = json.loads(runner.invoke(args=["match", "--format", "json"]).output)
    assert [entry["posting"] for entry in output] == [f"P{demand.id}"]
    assert [m["posting"] for m in output[0]["matches"]] == [f"P{programme.id}"]
    assert f"P{draft.id}" not in json.dumps(output)


def test_json_reasons_name_the_requirements_met_or_missed(db, runner):
    from portal.accounts.models import OrgKind
    from portal.postings.models import PostingKind
    from tests import factories

    factories.posting(db, PostingKind.TALENT_DEMAND, title="数据分析师", major="",
                      description="计算机相关专业，本科及以上学历。负责数据分析。", skills="SQL")
    factories.posting(db, PostingKind.CURRICULUM,
                      org=factories.organization(db, OrgKind.UNIVERSITY, verified=True),
                      title="大数据技术专业", major="大数据技术", skills="",
                      description="培养数据分析人才。", courses="数据分析")
    db.commit()
    output = json.loads(runner.invoke(args=["match", "--format", "json"]).output)
    reasons = output[0]["matches"][0]["reasons"]
    assert "major met: 计算机 → 大数据技术" in reasons
    assert "degree missed: 本科及以上 → 大专" in reasons
