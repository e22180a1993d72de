"""Chinese by default, English by switch or browser; both catalogues complete."""
import subprocess
import sys
from pathlib import Path

import pytest

from portal.catalogues import TRANSLATIONS_DIR, load, untranslated
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


def language_of(response):
    html = response.get_data(as_text=True)
    if '<html lang="zh-CN">' in html and "产教融合对接平台" in html:
        return "zh"
    if '<html lang="en">' in html and "School–Enterprise Cooperation Portal" in html:
        return "en"
    return "unknown"


@pytest.mark.parametrize("accept, expected", [
    (None, "zh"),
    ("zh-CN", "zh"),
    ("zh-Hans-CN", "zh"),  # Babel would make zh_CN into zh_Hans_CN
    ("zh", "zh"),
    ("zh_CN", "zh"),
    ("zh-TW,zh;q=0.9", "zh"),
    ("en-US,en;q=0.9", "en"),
    ("en", "en"),
    ("fr-FR,de;q=0.8", "zh"),  # nothing we have: the default
    ("fr-FR,en;q=0.5,zh;q=0.8", "zh"),  # the better-quality one we have
    ("fr-FR,en;q=0.8,zh;q=0.5", "en"),
])
def test_language_from_the_browser(client, accept, expected):
    headers = {"Accept-Language": accept} if accept else {}
    assert language_of(client.get("/", headers=headers)) == expected


def test_switch_overrides_the_browser_and_is_remembered(client):
    response = client.post("/language", data={"language": "en", "next": "/register"})
    assert response.status_code == 302 and response.headers["Location"] == "/register"
    assert language_of(client.get("/", headers={"Accept-Language": "zh-CN"})) == "en"
    client.post("/language", data={"language": "zh"})
    assert language_of(client.get("/", headers={"Accept-Language": "en"})) == "zh"


def test_unknown_language_changes_nothing(client):
    client.post("/language", data={"language": "xx"})
    assert language_of(client.get("/")) == "zh"


def test_signed_in_user_keeps_the_choice_on_the_account(app, client, db, login_as):
    user = login_as(factories.member(db))
    client.post("/language", data={"language": "en"})
    assert db.get(type(user), user.id).locale == "en"
    other_device = app.test_client()
    with other_device.session_transaction() as session:
        session["_user_id"] = factories.sign_in_token(db, user)
    assert language_of(other_device.get("/")) == "en"


def test_validation_messages_follow_the_language(client):
    data = {"email": "", "password": ""}
    zh = client.post("/login", data=data).get_data(as_text=True)
    en = client.post("/login", data=data, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "此项为必填项" in zh and "This field is required." in en


@pytest.mark.parametrize("language", ["zh", "en"])
def test_catalogue_is_complete(language):
    catalog = load(TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po")
    assert untranslated(catalog) == []


def test_catalogues_hold_every_message_in_the_code(tmp_path):
    """Extract afresh: any text added without updating the catalogues fails here."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from update_translations import EXTRACT_OPTIONS
    finally:
        sys.path.pop(0)
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    # With locations, to see which files gave messages.
    options = [option for option in EXTRACT_OPTIONS if option != "--no-location"]
    subprocess.run([str(pybabel), "extract", *options, "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    extracted = load(pot)
    wanted = {m.id for m in extracted if m.id}
    # A template the extractor cannot parse is skipped without an error: every template
    # with text to translate must have given at least one message.
    sources = {location for m in extracted for location, _line in m.locations}
    with_text = {str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*.html")
                 if "_(" in path.read_text(encoding="utf-8")}
    assert with_text - sources == set(), "templates the extractor skipped"
    for language in ("zh", "en"):
        have = {m.id for m in load(TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po")
                if m.id and m.string}
        assert wanted - have == set(), f"missing in {language}"


def test_the_form_error_summary_is_in_chinese(client):
    """The summary above a form with errors comes from a macro the extractor once skipped."""
    page = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "请更正标出的项目。" in page and "Please correct the marked fields." not in page


def test_templates_follow_a_forced_language_and_return_to_the_requests(app):
    """Templates find the catalogue once per request and locale (portal.i18n._catalogue);
    force_locale, used for e-mails and PDFs in the recipient's language, still switches
    it, both ways."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = "{{ _('Search') }}|{{ ngettext('%(num)d hint', '%(num)d hints', 2) }}"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(page).startswith("Search|")
        with force_locale("zh"):
            assert render_template_string(page).startswith("搜索|")
        assert render_template_string(page).startswith("Search|")
