"""Bulk import of organisations and postings (portal-import/1 as JSON, CSV or XLSX).

Every record is checked first; a bad one is reported with its ref, field and reason and
the rest still import. Good records are written in chunks inside savepoints; should the
database refuse a chunk, its records are retried one by one so only the bad one is lost.
"""
from __future__ import annotations

import csv
import io
import json
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.accounts.codes import credit_code_problem, normalise_code
from portal.accounts.models import (
    EnterpriseSize,
    Organization,
    OrgKind,
    OrgStatus,
    UniversityLevel,
    User,
)
from portal.checks import checked_list
from portal.db import utcnow
from portal.errors import DomainError
from portal.postings.models import (
    EducationLevel,
    Posting,
    PostingKind,
    PostingRevision,
    PostingSkill,
    PostingStatus,
)
from portal.postings.services import EDITABLE_FIELDS, derived_values, diff, editable_only
from portal.postings.text import skill_tags
from portal.signals import postings_imported
from portal.text import clean_line, clean_multiline, split_list

FORMAT = "portal-import/1"
CHUNK = 500
MAX_RECORDS = 200_000  # per file: larger lists are split by the sender
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # what an XLSX may expand to
MAX_ARCHIVE_MEMBERS = 1_000
MAX_NUMBER = 1_000_000_000
LIST_FIELDS = ("skills", "courses")
NUMBER_FIELDS = ("headcount", "capacity", "budget")
TEXT_LIMITS = {**Posting.TEXT_LIMITS, "name": 200}  # and an organisation's name

# `level` and `size` are free text in the format: the first keyword found decides, and
# text with none of them is kept as unknown rather than refused.
LEVEL_KEYWORDS = [
    ("研究生院", UniversityLevel.GRADUATE_SCHOOL), ("graduate", UniversityLevel.GRADUATE_SCHOOL),
    ("本科", UniversityLevel.UNDERGRADUATE), ("大学", UniversityLevel.UNDERGRADUATE),
    ("undergraduate", UniversityLevel.UNDERGRADUATE),
    ("高职", UniversityLevel.HIGHER_VOCATIONAL), ("大专", UniversityLevel.HIGHER_VOCATIONAL),
    ("专科", UniversityLevel.HIGHER_VOCATIONAL), ("vocational college",
                                                 UniversityLevel.HIGHER_VOCATIONAL),
    ("中职", UniversityLevel.SECONDARY_VOCATIONAL), ("中专", UniversityLevel.SECONDARY_VOCATIONAL),
    ("技工", UniversityLevel.TECHNICIAN), ("技师", UniversityLevel.TECHNICIAN),
    *((level.value, level) for level in UniversityLevel),
]
# The education a university level teaches, for its curricula.
LEVEL_EDUCATION = {
    UniversityLevel.UNDERGRADUATE: EducationLevel.BACHELOR,
    UniversityLevel.HIGHER_VOCATIONAL: EducationLevel.HIGHER_VOCATIONAL,
    UniversityLevel.SECONDARY_VOCATIONAL: EducationLevel.SECONDARY_VOCATIONAL,
    UniversityLevel.TECHNICIAN: EducationLevel.SECONDARY_VOCATIONAL,
    UniversityLevel.GRADUATE_SCHOOL: EducationLevel.MASTER,
}
SIZE_KEYWORDS = [("微", EnterpriseSize.MICRO), ("小", EnterpriseSize.SMALL),
                 ("中", EnterpriseSize.MEDIUM), ("大", EnterpriseSize.LARGE),
                 *((size.value, size) for size in EnterpriseSize)]


def _keyword_match(text: str, keywords: list[tuple[str, Any]]) -> Any:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return next((value for keyword, value in keywords if keyword in text), None)


def university_level(text: str) -> UniversityLevel | None:
    """The university level a free-text `level` cell names (高职, 本科…), if any."""
    return _keyword_match(text, LEVEL_KEYWORDS)


class ImportFileError(Exception):
    """The file as a whole cannot be read (not JSON, wrong format marker…)."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class RecordError:
    ref: str
    field: str
    reason: object  # lazy string: rendered in the reader's language

    def __str__(self) -> str:
        return f"{self.ref or '?'}: {self.field}: {self.reason}"


@dataclass
class ImportReport:
    organizations_created: int = 0
    organizations_updated: int = 0
    postings_created: int = 0
    postings_updated: int = 0
    errors: list[RecordError] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.postings_created + self.postings_updated


class _Invalid(Exception):
    def __init__(self, field_name: str, reason: object) -> None:
        self.field = field_name
        self.reason = reason


# Reading -----------------------------------------------------------------------------------

def read_file(data: bytes, filename: str) -> dict[str, list[dict[str, Any]]]:
    """{"organizations": [...], "postings": [...]} from JSON, CSV or XLSX bytes."""
    if data[:4] == b"PK\x03\x04":
        records = _read_xlsx(data)
    else:
        text = _decode(data)
        records = _read_json(text) if text.lstrip().startswith("{") else _read_csv(
            text, Path(filename).stem)
    if sum(len(section) for section in records.values()) > MAX_RECORDS:
        raise ImportFileError(_l("The file holds more than %(n)s records; please split it.",
                                 n=f"{MAX_RECORDS:,}"))
    return records


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_l("The file is neither UTF-8 nor GB18030 text."))


def _read_json(text: str) -> dict[str, list[dict[str, Any]]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(_l("The file is not valid JSON (line %(line)d, column %(column)d).",
                                 line=error.lineno, column=error.colno)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFileError(_l('The file must declare "format": "%(format)s".', format=FORMAT))
    result = {}
    for section in ("organizations", "postings"):
        records = document.get(section, [])
        if not isinstance(records, list):
            raise ImportFileError(_l('"%(section)s" must be a list.', section=section))
        result[section] = records
    return result


def _rows_to_records(header: list[Any], rows: Iterable[Iterable[Any]]) -> list[dict[str, Any]]:
    names = [str(name or "").strip().lower() for name in header]
    records = []
    for row in rows:
        values = list(row)
        if not any(value not in (None, "") for value in values):
            continue
        records.append({name: value for name, value in zip(names, values, strict=False)
                        if name and value not in (None, "")})
    return records


def _sorted_into(sheet_name: str, records: list[dict[str, Any]],
                 result: dict[str, list[dict[str, Any]]]) -> None:
    """A sheet (or CSV file) named after a posting type holds postings of that type."""
    name = sheet_name.strip().lower()
    if name in ("organizations", "organisations", "orgs"):
        result["organizations"].extend(records)
        return
    for record in records:
        if "type" not in record and name in {kind.value for kind in PostingKind}:
            record["type"] = name
        result["postings"].append(record)


def _read_csv(text: str, stem: str) -> dict[str, list[dict[str, Any]]]:
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:  # a cell over the csv module's limit (128 KB), or a broken quote
        raise ImportFileError(_l("The CSV file could not be read: a cell is far longer "
                                 "than any field accepts, or a quote is not closed.")) from None
    result: dict[str, list[dict[str, Any]]] = {"organizations": [], "postings": []}
    if rows:
        _sorted_into(stem, _rows_to_records(rows[0], rows[1:]), result)
    return result


def _check_archive(data: bytes) -> None:
    """An XLSX is a ZIP: what it would expand to is read from its directory, before a
    byte is expanded (a 16 MB file once expanded to 640 MB)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise ImportFileError(_l("The Excel file could not be read.")) from None
    if len(members) > MAX_ARCHIVE_MEMBERS or \
            sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
        raise ImportFileError(_l("This Excel file expands to more than %(mb)d MB; please "
                                 "split the list into smaller files.",
                                 mb=MAX_UNZIPPED_BYTES // (1024 * 1024)))


def _read_xlsx(data: bytes) -> dict[str, list[dict[str, Any]]]:
    # openpyxl parses the sheets' XML through defusedxml (installed with the portal):
    # no entity expansion, no external entities.
    from openpyxl import load_workbook

    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any failure here means "not a workbook we can read"
        raise ImportFileError(_l("The Excel file could not be read.")) from None
    result: dict[str, list[dict[str, Any]]] = {"organizations": [], "postings": []}
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header:
            _sorted_into(sheet.title, _rows_to_records(list(header), rows), result)
    workbook.close()
    return result


# Checking ----------------------------------------------------------------------------------

def _text(record: dict[str, Any], name: str, *, required: bool = False,
          multiline: bool = False) -> str:
    value = record.get(name)
    if value is None or value == "":
        if required:
            raise _Invalid(name, _l("is required"))
        return ""
    if not isinstance(value, (str, int, float)):
        raise _Invalid(name, _l("must be text"))
    text = clean_multiline(str(value)) if multiline else clean_line(str(value))
    if required and not text:
        raise _Invalid(name, _l("is required"))
    limit = TEXT_LIMITS.get(name)
    if limit and len(text) > limit:
        raise _Invalid(name, _l("is longer than %(n)d characters", n=limit))
    return text


def _number(record: dict[str, Any], name: str) -> int | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _Invalid(name, _l("must be a whole number"))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).replace(",", "").strip()
        if not text.lstrip("-").isdigit():
            raise _Invalid(name, _l("must be a whole number"))
        value = int(text)
    if not isinstance(value, int):
        raise _Invalid(name, _l("must be a whole number"))
    if not 0 <= value <= MAX_NUMBER:
        raise _Invalid(name, _l("must be between 0 and %(max)s", max=f"{MAX_NUMBER:,}"))
    return value


def _list(record: dict[str, Any], name: str) -> list[str]:
    value = record.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
        items = split_list([str(item) for item in value])
    elif isinstance(value, str):
        items = split_list(_text(record, name))  # within its length before it is split
    else:
        raise _Invalid(name, _l("must be a list of text"))
    try:
        return checked_list(items, name)  # the forms' limits
    except DomainError as error:
        raise _Invalid(name, error.message) from None


@dataclass
class _OrgRecord:
    ref: str
    values: dict[str, Any]


@dataclass
class _PostingRecord:
    ref: str
    org_ref: str
    kind: PostingKind
    values: dict[str, Any]


def _check_org(record: Any) -> _OrgRecord:
    if not isinstance(record, dict):
        raise _Invalid("", _l("each record must be an object"))
    ref = _text(record, "ref", required=True)
    try:
        kind = OrgKind(str(record.get("kind", "")).strip().lower())
    except ValueError:
        raise _Invalid("kind", _l('must be "enterprise" or "university"')) from None
    values: dict[str, Any] = {"kind": kind, "name": _text(record, "name", required=True),
                              "district": _text(record, "district"),
                              "industry": _text(record, "industry")}
    if record.get("credit_code"):
        code = normalise_code(str(record["credit_code"]))
        if credit_code_problem(code):
            raise _Invalid("credit_code", _l("is not a valid unified social credit code"))
        values["credit_code"] = code
    if kind is OrgKind.ENTERPRISE and record.get("size"):
        values["size"] = _keyword_match(str(record["size"]), SIZE_KEYWORDS)
    if kind is OrgKind.UNIVERSITY and record.get("level"):
        values["level"] = university_level(str(record["level"]))
    return _OrgRecord(ref, values)


def _check_posting(record: Any, org_kinds: dict[str, OrgKind]) -> _PostingRecord:
    if not isinstance(record, dict):
        raise _Invalid("", _l("each record must be an object"))
    ref = _text(record, "ref", required=True)
    try:
        kind = PostingKind(str(record.get("type", "")).strip().lower())
    except ValueError:
        raise _Invalid("type", _l("is not a posting type (%(types)s)",
                                  types=", ".join(k.value for k in PostingKind))) from None
    org_ref = _text(record, "org", required=True)
    if org_ref not in org_kinds:
        raise _Invalid("org", _l("names no organisation in this file or in the portal"))
    if org_kinds[org_ref] is not kind.side:
        raise _Invalid("type", _l("%(type)s is not published by a %(kind)s", type=kind.value,
                                  kind=org_kinds[org_ref].value))
    values: dict[str, Any] = {
        "title": _text(record, "title", required=True),
        "description": _text(record, "description", required=True, multiline=True),
        "major": _text(record, "major"),
    }
    for name in ("district", "industry"):
        if record.get(name):
            values[name] = _text(record, name)
    for name in LIST_FIELDS:
        values[name] = _list(record, name)
    for name in NUMBER_FIELDS:
        values[name] = _number(record, name)
    return _PostingRecord(ref, org_ref, kind, values)


# Writing -----------------------------------------------------------------------------------

def _existing_org_kinds(session: Session) -> dict[str, OrgKind]:
    return dict(session.execute(select(Organization.external_ref, Organization.kind)
                                .where(Organization.external_ref.is_not(None))).all())


def _save_org(session: Session, record: _OrgRecord, verifier: User, report: ImportReport) -> None:
    org = session.scalar(select(Organization).where(Organization.external_ref == record.ref))
    if org is None:
        org = Organization(external_ref=record.ref, status=OrgStatus.VERIFIED,
                           verified_at=utcnow(), verified_by_id=verifier.id, **record.values)
        session.add(org)
        report.organizations_created += 1
    else:
        for name, value in record.values.items():
            if name != "kind":
                setattr(org, name, value)
        report.organizations_updated += 1
    session.flush()


def _posting_values(record: _PostingRecord, org: Organization) -> dict[str, Any]:
    """Every author field of the posting (absent ones empty), so each row has the same keys
    and the database driver can send a whole chunk in one batch."""
    values: dict[str, Any] = {name: None for name in EDITABLE_FIELDS}
    values.update(skills=[], courses=[], details={}, major="", district=org.district,
                  industry=org.industry)
    if record.kind is PostingKind.CURRICULUM and org.level is not None:
        values["education"] = LEVEL_EDUCATION[org.level]
    values.update(editable_only(record.values))
    return values


def _write_chunk(session: Session, chunk: list[_PostingRecord],
                 orgs: dict[str, Organization], verifier: User) -> tuple[int, int]:
    """Insert new postings and update known ones in a few batched statements; returns
    (created, updated). Derived fields come from the same code as single edits."""
    now = utcnow()
    columns = [Posting.id, Posting.external_ref, Posting.version,
               *(getattr(Posting, name) for name in EDITABLE_FIELDS)]
    existing = {row.external_ref: row._mapping for row in session.execute(
        select(*columns).where(Posting.external_ref.in_([r.ref for r in chunk])))}
    inserts, updates, tags, revisions = [], [], {}, []
    for record in chunk:
        org = orgs[record.org_ref]
        values = _posting_values(record, org)
        row = {**values, **derived_values(record.kind, values, org.name), "kind": record.kind,
               "organization_id": org.id, "updated_at": now}
        old = existing.get(record.ref)
        if old is None:
            inserts.append({**row, "external_ref": record.ref, "status": PostingStatus.PUBLISHED,
                            "published_at": now, "created_at": now, "version": 1})
        else:
            updates.append({**row, "row_id": old["id"], "version": old["version"] + 1})
            changes = diff(dict(old), values)
            if changes:
                revisions.append({"posting_id": old["id"], "changes": changes})
            tags[old["id"]] = skill_tags(values["skills"])
    table = Posting.__table__
    if inserts:
        # Rows come back in any order (asking for parameter order makes SQLite insert
        # one row per statement); the unique ref ties each id to its row.
        returned = session.execute(
            table.insert().returning(table.c.external_ref, table.c.id), inserts).all()
        new_ids = {ref: posting_id for ref, posting_id in returned}
        for row in inserts:
            posting_id = new_ids[row["external_ref"]]
            tags[posting_id] = skill_tags(row["skills"])
            revisions.append({"posting_id": posting_id, "changes": {}})
    if updates:
        # Core UPDATE by key: the ORM's bulk form would check the version we are setting.
        session.execute(table.update().where(table.c.id == bindparam("row_id")), updates)
        session.execute(delete(PostingSkill).where(
            PostingSkill.posting_id.in_([row["row_id"] for row in updates])))
    tag_rows = [{"posting_id": pid, "tag": tag} for pid, wanted in tags.items() for tag in wanted]
    # Core statements throughout: the ORM's bulk path inserts these one row at a time.
    if tag_rows:
        session.execute(PostingSkill.__table__.insert(), tag_rows)
    if revisions:
        session.execute(PostingRevision.__table__.insert(), [
            {**revision, "actor_id": verifier.id, "action": "imported", "created_at": now}
            for revision in revisions])
    return len(inserts), len(updates)


def import_records(session: Session, records: dict[str, list[dict[str, Any]]], verifier: User,
                   progress: Callable[[int], None] | None = None,
                   commit_batches: bool = False) -> ImportReport:
    """Import checked records; organisations are verified and postings published by
    `verifier` (a coordinator: these lists come from the city's partners).

    `commit_batches`: commit after the organisations and after each batch of postings,
    so that a long import never holds the database's write lock for long (each batch is
    whole; a re-import of the same file updates what an interrupted one wrote)."""
    report = ImportReport()
    org_kinds = _existing_org_kinds(session)
    seen: set[str] = set()
    for raw in records.get("organizations", []):
        ref = str(raw.get("ref", "")) if isinstance(raw, dict) else ""
        try:
            record = _check_org(raw)
            if record.ref in seen:
                raise _Invalid("ref", _l("appears twice in this file"))
            seen.add(record.ref)
            with session.begin_nested():
                _save_org(session, record, verifier, report)
            org_kinds[record.ref] = record.values["kind"]
        except _Invalid as invalid:
            report.errors.append(RecordError(ref, invalid.field, invalid.reason))
        except IntegrityError:
            report.errors.append(RecordError(ref, "credit_code",
                                             _l("belongs to another organisation")))
    if commit_batches:
        session.commit()

    checked: list[_PostingRecord] = []
    seen = set()
    for raw in records.get("postings", []):
        ref = str(raw.get("ref", "")) if isinstance(raw, dict) else ""
        try:
            record = _check_posting(raw, org_kinds)
            if record.ref in seen:
                raise _Invalid("ref", _l("appears twice in this file"))
            seen.add(record.ref)
            checked.append(record)
        except _Invalid as invalid:
            report.errors.append(RecordError(ref, invalid.field, invalid.reason))

    orgs = {org.external_ref: org for org in session.scalars(
        select(Organization).where(Organization.external_ref.in_(
            {record.org_ref for record in checked})))}
    for start in range(0, len(checked), CHUNK):
        chunk = checked[start:start + CHUNK]
        try:
            with session.begin_nested():
                created, updated = _write_chunk(session, chunk, orgs, verifier)
        except IntegrityError:
            created, updated = _retry_one_by_one(session, chunk, orgs, verifier, report)
        report.postings_created += created
        report.postings_updated += updated
        if commit_batches:
            session.commit()
        if progress:
            progress(len(chunk))
    if report.imported:
        postings_imported.send(None, session=session, actor=verifier)
    return report


def _retry_one_by_one(session: Session, chunk: list[_PostingRecord],
                      orgs: dict[str, Organization], verifier: User,
                      report: ImportReport) -> tuple[int, int]:
    """The database refused a chunk: find the record at fault, keep the rest."""
    created = updated = 0
    for record in chunk:
        try:
            with session.begin_nested():
                one_created, one_updated = _write_chunk(session, [record], orgs, verifier)
            created, updated = created + one_created, updated + one_updated
        except IntegrityError:
            report.errors.append(RecordError(record.ref, "", _l("was refused by the database")))
    return created, updated
