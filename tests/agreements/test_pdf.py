"""Rendering is safe (nothing outside static/ is read or fetched) and Chinese text is
embedded so that it extracts again."""
import base64
import shutil
import subprocess

import pytest

from portal.agreements.pdf import (
    INLINE_PNG,
    STATIC_URL,
    FetchRefused,
    StaticOnlyFetcher,
    render_pdf,
    static_path,
)

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils not installed")


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://example.com/x.css", "https://127.0.0.1/", "data:,x",
    "portal-static:/../portal/config.py", "portal-static:/%2e%2e/README.md",
    "portal-static:/no/such/file.css",
])
def test_anything_outside_static_is_refused(url):
    with pytest.raises(FetchRefused):
        static_path(url)


@pytest.mark.parametrize("url", [
    "data:,x", "data:text/html;base64,PHA+eDwvcD4=", "data:image/svg+xml,<svg/>",
    "file:///etc/passwd",
])
def test_the_fetcher_takes_no_other_inline_data(url):
    with pytest.raises(FetchRefused):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_decodes_an_inline_png():
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    response = StaticOnlyFetcher().fetch(INLINE_PNG + png)
    assert response.read() == b"\x89PNG\r\n\x1a\n"
    assert response.content_type == "image/png"


def test_static_files_are_allowed():
    assert static_path("portal-static:/css/portal.css").name == "portal.css"
    assert static_path(STATIC_URL + "css/portal.css").name == "portal.css"


def test_a_relative_stylesheet_loads(caplog):
    render_pdf('<link rel="stylesheet" href="css/portal.css"><p>协议</p>')
    assert "Failed to load" not in caplog.text


@needs_poppler
def test_a_document_cannot_pull_in_local_files(tmp_path):
    pdf = render_pdf('<p>协议</p><img src="file:///etc/passwd">'
                     '<link rel="stylesheet" href="file:///etc/hostname">'
                     '<iframe src="file:///etc/passwd"></iframe>')
    text = pdf_text(pdf, tmp_path)
    assert "协议" in text and "root:" not in text


@needs_poppler
def test_chinese_text_is_embedded_and_extracts(tmp_path):
    names = "上海澄曜智能装备有限公司 与 上海临港职业技术学院 · 䶮 𠮷"
    pdf = render_pdf(f"<html lang='zh-CN'><body><h1>合作协议</h1><p>{names}</p></body></html>")
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "合作协议" in text and "上海澄曜智能装备有限公司" in text
    path = tmp_path / "doc.pdf"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout
    assert "yes" in fonts.splitlines()[-1]  # embedded


def test_a_file_url_cannot_climb_out_of_static():
    with pytest.raises(FetchRefused):
        static_path(STATIC_URL + "../portal/config.py")
