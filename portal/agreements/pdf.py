"""HTML to PDF with WeasyPrint, safely: the only files a document may load are the
portal's own static assets (fonts, stylesheet, images), the document fonts built from the
system's (document_font.py) and PNG images carried in the document itself (the QR code);
no file:// paths elsewhere, no network, so user text in a template cannot make the
renderer read or fetch anything."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from flask import current_app
from flask_babel import force_locale
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher

from portal import PROJECT_ROOT
from portal.agreements import document_font

STATIC = (PROJECT_ROOT / "static").resolve()
Fonts = tuple[document_font.BuiltFont, ...]
# Relative URLs in a document resolve against static/.
STATIC_URL = STATIC.as_uri() + "/"


class FetchRefused(ValueError):
    """A document asked for something outside the portal's static assets."""


def static_path(url: str, also: Collection[Path] = ()) -> Path:
    """The static file a URL names (portal-static:/css/x.css, or a file: URL inside
    static/ or of one of the files `also`); anything else, or anything leaving static/,
    is refused."""
    parsed = urlparse(url)
    if parsed.scheme == "portal-static":
        path = (STATIC / unquote(parsed.path).lstrip("/")).resolve()
    elif parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
        path = Path(unquote(parsed.path)).resolve()
    else:
        raise FetchRefused(f"refused to fetch {url[:100]!r}")
    if not (path.is_relative_to(STATIC) or path in also) or not path.is_file():
        raise FetchRefused(f"refused to fetch {url[:100]!r}")
    return path


# The one kind of data: URL a document may hold; it carries its bytes, nothing is fetched.
INLINE_PNG = "data:image/png;base64,"


class StaticOnlyFetcher(URLFetcher):
    """Reads static files (and the `fonts` given) through their local path and decodes
    inline PNG images; refuses every other URL."""

    def __init__(self, fonts: Fonts = ()) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.fonts = frozenset(font.path.resolve() for font in fonts)

    def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN201 - WeasyPrint's type
        if url.startswith(INLINE_PNG):
            return super().fetch(url, headers)
        return super().fetch(static_path(url, self.fonts).as_uri(), headers)


def layout(html: str, fonts: Fonts = ()) -> Document:
    """`html` laid out in pages (relative URLs resolve inside static/; the document
    `fonts` may be loaded too). A fresh font configuration each time: one kept between
    documents saves ~50 ms, but Pango objects made in request threads crashed the
    process when freed at exit (segfault)."""
    fetcher = StaticOnlyFetcher(fonts)
    return HTML(string=html, base_url=STATIC_URL, url_fetcher=fetcher).render()


def render_pdf(html: str, fonts: Fonts = ()) -> bytes:
    """The PDF of `html`: its layout, written with the fonts subset and embedded."""
    return layout(html, fonts).write_pdf()


def document_html(template: str, context: Mapping[str, Any], locale: str = "zh",
                  fonts: Fonts = ()) -> str:
    """A document template filled with plain values, in `locale`, set in the document
    `fonts` built (the system's stand in for the others). The site's context processors
    are left out: a document must not depend on who is signed in."""
    faces = [{"family": font.face.family, "weight": font.face.weight,
              "url": font.path.as_uri()} for font in fonts]
    with force_locale(locale):
        return current_app.jinja_env.get_template(template).render(
            **context, locale=locale, document_fonts=faces,
            serif_family=document_font.SERIF, sans_family=document_font.SANS)


def document_pdf(template: str, context: Mapping[str, Any], locale: str = "zh") -> bytes:
    """The PDF of a document template filled with plain values, in `locale`."""
    fonts = document_font.built_fonts()
    return render_pdf(document_html(template, context, locale, fonts), fonts)
