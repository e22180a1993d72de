"""English on request: rendered once in the background, downloadable by the parties and
coordinators, and recognised by the verification page; the Chinese text prevails."""
import hashlib
import io
import shutil
import subprocess

import pytest

from tests.factories import partnership

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils not installed")


@pytest.fixture
def agreement(db):
    proposal = partnership(db)
    db.commit()
    return proposal.agreements[0]


def test_a_party_asks_for_the_english_copy(client, db, login_as, agreement, tmp_path, people):
    login_as(agreement.proposal.proposer.members[0])
    page = client.post(f"/agreements/{agreement.id}/english", follow_redirects=True)
    assert "正在生成英文版" in page.get_data(as_text=True)
    db.expire_all()
    assert agreement.english_sha256 and agreement.english_sha256 != agreement.sha256
    response = client.get(f"/agreements/{agreement.id}/download?lang=en")
    assert response.status_code == 200
    assert hashlib.sha256(response.data).hexdigest() == agreement.english_sha256
    assert "-en.pdf" in response.headers["Content-Disposition"]
    path = tmp_path / "en.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Order-based Training Cooperation Agreement" in text
    assert "the Chinese text prevails" in " ".join(text.split())
    first = agreement.english_sha256
    client.post(f"/agreements/{agreement.id}/english")  # asking again changes nothing
    db.expire_all()
    assert agreement.english_sha256 == first
    login_as(people["outsider"])
    assert client.get(f"/agreements/{agreement.id}/download?lang=en").status_code == 404
    assert client.post(f"/agreements/{agreement.id}/english").status_code == 404


def test_the_english_copy_is_recognised_when_checked(client, db, login_as, agreement):
    login_as(agreement.proposal.partner.members[0])
    client.post(f"/agreements/{agreement.id}/english")
    english = client.get(f"/agreements/{agreement.id}/download?lang=en").data
    client.get("/logout")
    html = client.post(f"/verify/{agreement.verification_code}",
                       data={"file": (io.BytesIO(english), "agreement-en.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "平台出具的本协议英文版" in html


def test_no_english_copy_before_it_is_asked_for(client, login_as, agreement):
    login_as(agreement.proposal.partner.members[0])
    assert client.get(f"/agreements/{agreement.id}/download?lang=en").status_code == 404
