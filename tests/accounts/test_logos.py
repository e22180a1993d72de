"""An organisation's logo (issue 16): a PNG or JPEG read by its bytes, drawn afresh and
shrunk, served to those who may see the profile; anything else refused with a reason,
and nothing stored or changed by a refusal."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from portal.accounts import logos
from portal.accounts.models import OrgKind
from portal.errors import PermissionDenied
from portal.storage import storage_dir
from portal.uploads import FileRefused
from tests import factories


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (800, 600), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 80, 160)).save(out, fmt, **save)
    return out.getvalue()


def upload(client, data: bytes, name: str = "logo.png"):
    return client.post("/organization/logo", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def stored_files() -> set[str]:
    return {path.name for path in storage_dir().iterdir() if path.name.startswith("logo-")}


def test_a_logo_is_stored_shrunk_as_png_and_shown_on_the_profile(client, db, login_as, app):
    member = factories.member(db)
    org = member.organization
    login_as(member)
    page = upload(client, image_bytes("JPEG", (1600, 1200)), "logo.jpg").get_data(as_text=True)
    assert "标志已保存" in page
    db.refresh(org)
    assert org.logo_name and org.logo_name.endswith(".png")
    login_as(factories.member(db, OrgKind.UNIVERSITY))  # anyone signed in, on a verified org
    profile = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert f"/organizations/{org.id}/logo.png" in profile
    served = client.get(f"/organizations/{org.id}/logo.png")
    assert served.status_code == 200 and served.mimetype == "image/png"
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.format == "PNG" and max(image.size) == logos.LOGO_SIDE


def test_what_the_file_carried_besides_its_pixels_does_not_survive(db, app):
    member = factories.member(db)
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    data = image_bytes("JPEG", (300, 200), exif=exif.tobytes()) + b"<script>alert(1)</script>"
    with app.test_request_context():
        logos.set_logo(db, member.organization, member, data)
        db.commit()
        stored = (storage_dir() / member.organization.logo_name).read_bytes()
    assert b"secret" not in stored and b"<script" not in stored


@pytest.mark.parametrize("data, name, message", [
    (b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF", "logo.png", "PNG"),
    (b"<html><script>alert(1)</script></html>", "logo.png", "PNG"),
    (image_bytes("GIF", (40, 40)), "logo.gif", "PNG"),
    (image_bytes("PNG")[:200], "logo.png", "damaged"),
    (b"", "logo.png", "empty"),
])
def test_anything_but_a_whole_png_or_jpeg_is_refused(client, db, login_as, data, name,
                                                     message):
    member = factories.member(db)
    login_as(member)
    client.post("/language", data={"language": "en"})
    before = stored_files()
    page = upload(client, data, name).get_data(as_text=True)
    assert message in page
    db.refresh(member.organization)
    assert member.organization.logo_name is None
    assert stored_files() == before


def test_a_file_over_the_limit_is_refused_before_it_is_read(db, app):
    member = factories.member(db)
    with app.test_request_context(), pytest.raises(FileRefused, match="2 MB"):
        logos.set_logo(db, member.organization, member,
                       b"\x89PNG\r\n\x1a\n" + b"\0" * app.config["LOGO_MAX_BYTES"])


def test_an_image_of_too_many_pixels_is_refused(db, app):
    member = factories.member(db)
    bomb = image_bytes("PNG", (9_000, 9_000))  # 81 million pixels of one colour: ~80 KB
    with app.test_request_context(), pytest.raises(FileRefused, match="80"):
        logos.set_logo(db, member.organization, member, bomb)


def signed_in_with_a_logo(client, db, login_as):
    """A member, signed in, whose organisation has uploaded a logo."""
    member = factories.member(db)
    login_as(member)
    upload(client, image_bytes())
    db.refresh(member.organization)
    return member.organization


def test_a_new_logo_replaces_the_old_file_and_removing_deletes_it(client, db, login_as):
    org = signed_in_with_a_logo(client, db, login_as)
    first = org.logo_name
    upload(client, image_bytes("PNG", (200, 200)))
    db.refresh(org)
    assert org.logo_name != first
    assert stored_files() >= {org.logo_name} and first not in stored_files()
    client.post("/organization/logo/remove", follow_redirects=True)
    db.refresh(org)
    assert org.logo_name is None and not stored_files()
    assert client.get(f"/organizations/{org.id}/logo.png").status_code == 404


def test_a_refused_replacement_keeps_the_logo_in_place(client, db, login_as):
    org = signed_in_with_a_logo(client, db, login_as)
    kept = org.logo_name
    upload(client, b"not an image")
    db.refresh(org)
    assert org.logo_name == kept and kept in stored_files()


def test_the_logo_of_an_organisation_under_review_is_hidden_from_others(client, db, login_as):
    member = factories.member(db, verified=False)
    login_as(member)
    upload(client, image_bytes())
    org_id = member.organization.id
    assert client.get(f"/organizations/{org_id}/logo.png").status_code == 200
    login_as(factories.member(db))
    assert client.get(f"/organizations/{org_id}/logo.png").status_code == 404


def test_only_members_change_the_logo(db, app):
    member = factories.member(db)
    outsider = factories.member(db)
    with app.test_request_context(), pytest.raises(PermissionDenied):
        logos.set_logo(db, member.organization, outsider, image_bytes())
