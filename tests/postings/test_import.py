"""Bulk import: the development set, re-import, CSV/XLSX, broken files with exact reports."""
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from portal.accounts.models import Organization, OrgStatus, Role
from portal.postings.importer import ImportFileError, import_records, read_file
from portal.postings.models import Posting, PostingKind, PostingRevision, PostingStatus
from tests import factories

DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "data" / "matching-dev.json"
ORGS, DEMAND, SUPPLY = factories.IMPORT_ORGS, factories.IMPORT_DEMAND, factories.IMPORT_SUPPLY
document = factories.import_document


def run(db, doc):
    report = import_records(db, doc, factories.coordinator(db))
    db.commit()
    return report


def count(db, model):
    return db.scalar(select(func.count()).select_from(model))


@pytest.mark.skipif(not DEV_SET.exists(), reason="shared development set not beside the project")
def test_the_development_set_imports_completely(db):
    data = json.loads(DEV_SET.read_text(encoding="utf-8"))
    report = run(db, read_file(DEV_SET.read_bytes(), DEV_SET.name))
    assert report.errors == []
    assert report.postings_created == len(data["postings"]) == count(db, Posting)
    assert report.organizations_created == len(data["organizations"])
    assert db.scalar(select(func.count()).where(Posting.status != PostingStatus.PUBLISHED)) == 0
    assert db.scalar(select(func.count()).where(Organization.status != OrgStatus.VERIFIED)) == 0


def test_reimporting_the_same_refs_updates(db):
    run(db, document([DEMAND, SUPPLY]))
    report = run(db, document([{**DEMAND, "headcount": 8, "title": "PLC工程师"}, SUPPLY]))
    assert (report.postings_created, report.postings_updated) == (0, 2)
    assert (report.organizations_created, report.organizations_updated) == (0, 2)
    assert count(db, Posting) == 2
    posting = db.scalar(select(Posting).where(Posting.external_ref == "D001"))
    assert (posting.headcount, posting.title) == (8, "PLC工程师")
    changes = db.scalars(select(PostingRevision.changes).where(
        PostingRevision.posting_id == posting.id)).all()
    assert any("headcount" in change for change in changes)


def test_bad_records_are_reported_exactly_and_the_rest_imports(db):
    report = run(db, document([
        DEMAND,
        {**DEMAND, "ref": "D001", "title": "重复"},  # duplicate ref
        {**DEMAND, "ref": "D002", "org": "E99"},  # unknown organisation
        {**DEMAND, "ref": "D003", "org": "U01"},  # a university cannot post a talent demand
        {**DEMAND, "ref": "D004", "type": "job"},  # no such type
        {**DEMAND, "ref": "D005", "headcount": -2},
        {**DEMAND, "ref": "D006", "headcount": "三"},
        {**DEMAND, "ref": "D007", "title": ""},
        {**DEMAND, "ref": "D008", "skills": {"a": 1}},
        {**DEMAND, "ref": "D009", "title": "长" * 201},
        "not an object",
        SUPPLY,
    ]))
    reported = [(error.ref, error.field, str(error.reason)) for error in report.errors]
    assert reported == [
        ("D001", "ref", "在文件中出现了两次"),
        ("D002", "org", "在文件和平台中都找不到该机构"),
        ("D003", "type", "talent_demand 类型不能由 university 发布"),
        ("D004", "type", "不是有效的信息类型（talent_demand, training_order, research_topic, "
                         "curriculum, mentor_offer）"),
        ("D005", "headcount", "必须在 0 到 1,000,000,000 之间"),
        ("D006", "headcount", "必须是整数"),
        ("D007", "title", "为必填项"),
        ("D008", "skills", "必须是文本列表"),
        ("D009", "title", "超过 200 个字符"),
        ("", "", "每条记录必须是一个对象"),
    ]
    assert sorted(db.scalars(select(Posting.external_ref))) == ["D001", "S001"]
    assert db.scalar(select(Posting.title).where(Posting.external_ref == "D001")) == "PLC电气工程师"


def test_bad_organisations_are_reported_and_their_postings_refused(db):
    report = run(db, document([DEMAND, SUPPLY], organizations=[
        {**ORGS[0], "kind": "company"}, ORGS[1]]))
    assert [(e.ref, e.field) for e in report.errors] == [("E01", "kind"), ("D001", "org")]
    assert count(db, Organization) == 1 + 0  # U01 only (the coordinator has no organisation)


def test_records_can_name_organisations_already_in_the_portal(db):
    run(db, document([]))
    report = run(db, document([DEMAND], organizations=[]))
    assert report.errors == [] and report.postings_created == 1


def test_free_text_levels_and_sizes_are_understood_or_left_blank(db):
    run(db, document([], organizations=[
        {"ref": "U1", "kind": "university", "name": "甲大学", "level": "本科（应用型）"},
        {"ref": "U2", "kind": "university", "name": "乙学院", "level": "社区学院"},
        {"ref": "E1", "kind": "enterprise", "name": "丙公司", "size": "中型企业"}]))
    levels = dict(db.execute(select(Organization.external_ref, Organization.level)).all())
    assert levels["U1"].value == "undergraduate" and levels["U2"] is None
    assert db.scalar(select(Organization.size).where(Organization.external_ref == "E1")).value \
        == "medium"


@pytest.mark.parametrize("content, message", [
    (b'{"format": "portal-import/1", "postings": [', "不是有效的 JSON"),
    (b'{"format": "other/2", "postings": []}', "portal-import/1"),
    (b'{"format": "portal-import/1", "postings": {"ref": 1}}', "必须是列表"),
    (b"\xff\xfe\x00\xd8\x00", "既不是 UTF-8 也不是 GB18030"),
    (b"PK\x03\x04broken", "无法读取该 Excel 文件"),
])
def test_unreadable_files_are_refused_whole(app, content, message):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        with pytest.raises(ImportFileError) as refused:
            read_file(content, "upload.json")
        assert message in str(refused.value.message)


def test_csv_with_chinese_list_separators_and_gbk_encoding(db):
    run(db, document([]))
    text = ("ref,org,title,description,skills,headcount\n"
            "D100,E01,数控操机员,负责数控车床操作,CNC编程；机械制图、西门子系统,５\n")
    for encoding in ("utf-8-sig", "gb18030"):
        records = read_file(text.encode(encoding), "talent_demand.csv")
        report = run(db, records)
        assert report.errors == []
    posting = db.scalar(select(Posting).where(Posting.external_ref == "D100"))
    assert posting.kind is PostingKind.TALENT_DEMAND and posting.headcount == 5
    assert posting.skills == ["CNC编程", "机械制图", "西门子系统"]


def xlsx_bytes(sheets):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_one_sheet_per_type(db):
    data = xlsx_bytes({
        "organizations": [["ref", "kind", "name", "level"],
                          ["U01", "university", "临港学院", "高职"],
                          ["E01", "enterprise", "澄曜公司", None]],
        "curriculum": [["ref", "org", "title", "description", "courses", "capacity"],
                       ["S1", "U01", "数控技术专业", "培养数控人才", "数控编程、机械制图", 120]],
        "training_order": [["ref", "org", "title", "description", "headcount"],
                           ["T1", "E01", "订单班", "培养运维人员", 30]],
    })
    report = run(db, read_file(data, "lists.xlsx"))
    assert report.errors == [] and report.postings_created == 2
    curriculum = db.scalar(select(Posting).where(Posting.external_ref == "S1"))
    assert curriculum.courses == ["数控编程", "机械制图"] and curriculum.capacity == 120
    assert curriculum.education.value == "higher_vocational"  # from the school's level


def test_coordinator_uploads_a_file_and_sees_the_report(client, db, login_as):
    login_as(Role.COORDINATOR)
    doc = document([DEMAND, {**DEMAND, "ref": "D2", "org": "nobody"}])
    response = client.post("/postings/import", data={
        "file": (io.BytesIO(json.dumps(doc, ensure_ascii=False).encode()), "lists.json")},
        content_type="multipart/form-data")
    assert response.status_code == 302  # to the run's page: a worker imports it
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已导入 1 条信息，1 条记录未通过" in page and "在文件和平台中都找不到该机构" in page
    assert count(db, Posting) == 1
    # The report keeps both languages: an English reader sees it in English.
    client.post("/language", data={"language": "en"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "names no organisation in this file or in the portal" in page


@pytest.mark.parametrize("filename, content, message", [
    ("lists.pdf", b"%PDF-1.4", "请上传 .json、.csv 或 .xlsx 文件"),
    ("lists.json", b"{not json", "不是有效的 JSON"),
])
def test_upload_refuses_wrong_files(client, db, login_as, filename, content, message):
    login_as(Role.COORDINATOR)
    response = client.post("/postings/import", data={"file": (io.BytesIO(content), filename)},
                           content_type="multipart/form-data", follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert count(db, Posting) == 0


def test_cli_import_reports_and_only_strict_fails(runner, db, tmp_path):
    path = tmp_path / "lists.json"
    path.write_text(json.dumps(document([DEMAND, {**DEMAND, "ref": "D2", "org": "x"}])),
                    encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Postings: 1 created" in result.output and "Refused: 1" in result.output
    assert runner.invoke(args=["import", "--strict", str(path)]).exit_code == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert runner.invoke(args=["import", str(broken)]).exit_code == 1


def test_a_file_with_too_many_records_is_refused(app, monkeypatch):
    from portal.postings import importer

    monkeypatch.setattr(importer, "MAX_RECORDS", 3)
    with app.test_request_context():
        with pytest.raises(ImportFileError) as refused:
            read_file(json.dumps(document([DEMAND, SUPPLY])).encode(), "x.json")
        assert "3" in str(refused.value.message)


def test_an_upload_recomputes_the_matches(client, db, login_as):
    from portal.matching.store import recommendations

    login_as(Role.COORDINATOR)
    doc = document([DEMAND, SUPPLY])
    page = client.post("/postings/import", data={
        "file": (io.BytesIO(json.dumps(doc, ensure_ascii=False).encode()), "lists.json")},
        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "正在重新计算匹配" in page
    demand = db.scalar(select(Posting).where(Posting.external_ref == "D001"))
    assert [r.posting.external_ref for r in recommendations(db, demand)] == ["S001"]


def test_cli_import_leaves_the_matches_computed(runner, db, tmp_path):
    from portal.matching.store import recommendations

    path = tmp_path / "lists.json"
    path.write_text(json.dumps(document([DEMAND, SUPPLY])), encoding="utf-8")
    assert runner.invoke(args=["import", str(path)]).exit_code == 0
    supply = db.scalar(select(Posting).where(Posting.external_ref == "S001"))
    assert [r.posting.external_ref for r in recommendations(db, supply)] == ["D001"]


@pytest.mark.parametrize("skills, message", [
    ([f"技能{n}" for n in range(20_000)], "最多填写 50 项"),  # as a list
    ("、".join(f"技能{n}" for n in range(300)), "最多填写 50 项"),  # as one text
    (["长" * 101], "每一项最多 100 个字符"),
])
def test_imported_lists_keep_the_forms_limits(db, skills, message):
    """Issue 14: the importer took 20,000 skills where the form allows 50."""
    from flask_babel import force_locale

    report = run(db, document([{**DEMAND, "skills": skills}]))
    assert report.postings_created == 0 and len(report.errors) == 1
    with force_locale("zh"):
        assert message in str(report.errors[0].reason)


def test_a_csv_cell_over_the_csv_limit_is_a_clear_refusal(app):
    """Found by bench/bench_input.py: a 1 MB cell raised csv.Error (a 500 on the page)."""
    from flask_babel import force_locale

    data = ("ref,org,type,title,description\nD1,E1,talent_demand,岗位,\"" + "数" * 200_000
            + "\"\n").encode()
    with pytest.raises(ImportFileError) as refused, app.test_request_context(), \
            force_locale("zh"):
        read_file(data, "postings.csv")
    with app.test_request_context(), force_locale("zh"):
        assert "无法读取" in str(refused.value.message)


def zipped(members: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_an_excel_file_that_would_expand_too_far_is_refused_unexpanded(app):
    """Issue 14: a 16 MB XLSX expanded to 640 MB and drove a worker to 1.6 GB."""
    from flask_babel import force_locale

    bomb = zipped({"xl/worksheets/sheet1.xml": b"0" * (120 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with app.test_request_context(), force_locale("zh"):
        with pytest.raises(ImportFileError) as refused:
            read_file(bomb, "list.xlsx")
        assert "解压后超过 100 MB" in str(refused.value.message)


def test_entities_in_an_excel_file_are_never_expanded(app):
    """The sheets' XML goes through defusedxml: a billion-laughs sheet is refused."""
    from openpyxl import Workbook

    workbook, out = Workbook(), io.BytesIO()
    workbook.active.title = "talent_demand"
    workbook.active.append(["ref", "org", "title"])
    workbook.save(out)
    import zipfile

    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1
                                                       else b"&lol;") * 10)
                         for n in range(1, 10))
              + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
              b'main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is>'
              b'</c></row></sheetData></worksheet>')
    members["xl/worksheets/sheet1.xml"] = laughs
    with app.test_request_context(), pytest.raises(ImportFileError):
        read_file(zipped(members), "list.xlsx")


def test_a_web_import_runs_in_the_background_and_reports_its_progress(client, db, login_as):
    from portal.postings.models import ImportRun, ImportStatus

    login_as(Role.COORDINATOR)
    doc = document([DEMAND, SUPPLY])
    client.post("/postings/import", data={
        "file": (io.BytesIO(json.dumps(doc, ensure_ascii=False).encode()), "lists.json")},
        content_type="multipart/form-data")
    db.expire_all()
    run = db.scalars(select(ImportRun)).one()
    assert (run.status, run.records, run.done) == (ImportStatus.DONE, 2, 2)
    assert run.report["postings_created"] == 2 and run.started_at and run.finished_at
    listed = client.get("/postings/import").get_data(as_text=True)
    assert "lists.json" in listed and "已完成" in listed


def test_an_import_whose_worker_died_shows_as_failed(client, db, login_as):
    from datetime import timedelta

    from portal.db import utcnow
    from portal.postings.models import ImportRun, ImportStatus

    coordinator = login_as(Role.COORDINATOR)
    run = ImportRun(filename="lists.json", stored_name="gone.json", records=10, done=4,
                    status=ImportStatus.RUNNING, requested_by_id=coordinator.id,
                    heartbeat_at=utcnow() - timedelta(minutes=5))
    db.add(run)
    db.commit()
    page = client.get(f"/postings/import/{run.id}").get_data(as_text=True)
    assert "导入随后台进程中断" in page and 'http-equiv="refresh"' not in page


def test_a_json_file_with_lone_surrogates_imports_without_them(db):
    """JSON may escape half a character ("\\ud800"): it cannot be stored or matched, so it
    is dropped like other invisible characters, and the rest imports."""
    raw = json.dumps(document([{**DEMAND, "title": "PLC\ud800工程师",
                                "skills": ["PLC\udfff"]}])).encode()
    report = run(db, read_file(raw, "list.json"))
    assert report.errors == [] and report.postings_created == 1
    posting = db.scalar(select(Posting).where(Posting.external_ref == "D001"))
    assert (posting.title, posting.skills) == ("PLC工程师", ["PLC"])
