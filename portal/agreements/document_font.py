"""The document font: the system's WenQuanYi Micro Hei cut down, once per installation,
to the characters of GB 2312 (the national set of everyday Chinese, 6,763 hanzi) with
Latin and punctuation.

WeasyPrint subsets every font a PDF uses, and HarfBuzz's time for that grows with the
font: ~13,500 glyphs instead of the original's ~49,500 take ~4 ms instead of ~15 ms of a
~60 ms write. Characters outside GB 2312 (rare ones in company names) fall back to the
full system fonts, so nothing prints as an empty box. Without a built font, documents
use the system fonts directly: the same text, a little slower.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import NamedTuple

from flask import Flask, current_app

log = logging.getLogger(__name__)

FAMILY = "WenQuanYi Micro Hei GB2312"
SOURCE_FAMILY = "WenQuanYi Micro Hei"
# Part of the file name: a change to what is kept builds a new file.
RECIPE = "gb2312-latin-punctuation-1"
BUILD_COMMAND = "flask --app wsgi agreements build-font"

# Beside GB 2312: Latin (names, addresses, English copies), general punctuation, currency
# and letterlike symbols, circled numbers, CJK symbols and punctuation, full-width forms.
EXTRA_RANGES = ((0x20, 0x7E), (0xA0, 0x24F), (0x2000, 0x206F), (0x20A0, 0x20BF),
                (0x2100, 0x214F), (0x2460, 0x24FF), (0x3000, 0x303F), (0xFF00, 0xFFEF))


class SourceFont(NamedTuple):
    path: Path
    index: int

    def digest(self) -> str:
        """Names the built file: another version of the system font builds anew."""
        stat = self.path.stat()
        key = f"{self.path}:{self.index}:{stat.st_size}:{stat.st_mtime_ns}:{RECIPE}"
        return hashlib.sha256(key.encode()).hexdigest()[:12]


@cache
def source_font() -> SourceFont | None:
    """Where fontconfig keeps WenQuanYi Micro Hei; None when it is not installed."""
    if shutil.which("fc-match") is None:
        return None
    found = subprocess.run(["fc-match", "-f", "%{family}\n%{file}\n%{index}", SOURCE_FAMILY],
                           capture_output=True, text=True, timeout=30, check=False).stdout
    lines = found.splitlines()
    if len(lines) != 3 or SOURCE_FAMILY not in lines[0].split(","):
        return None  # fontconfig offered a substitute
    return SourceFont(Path(lines[1]), int(lines[2] or 0))


def characters() -> set[int]:
    """Every character of GB 2312 and of the extra ranges."""
    kept = {code for first, last in EXTRA_RANGES for code in range(first, last + 1)}
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                kept.add(ord(bytes((lead, trail)).decode("gb2312")))
            except UnicodeDecodeError:
                continue  # an unassigned code
    return kept


def font_dir(app: Flask) -> Path:
    return Path(app.config["FONT_DIR"] or Path(app.instance_path) / "fonts")


def expected_path(directory: Path) -> Path | None:
    """Where in `directory` the font built from this machine's system font belongs."""
    source = source_font()
    if source is None:
        return None
    return directory / f"wqy-microhei-gb2312-{source.digest()}.ttf"


def built_path(app: Flask | None = None) -> Path | None:
    """The built font, or None (the system fonts are used; said once per process)."""
    path = expected_path(font_dir(app or current_app))
    if path is not None and path.is_file():
        return path
    _say_not_built(path is not None)
    return None


@cache
def _say_not_built(could_build: bool) -> None:
    if could_build:
        log.warning("The document font is not built, so each PDF takes ~10 ms longer to "
                    "write: run `%s` (scripts/bootstrap.sh does so).", BUILD_COMMAND)


def build(directory: Path) -> Path:
    """Build the document font in `directory` unless it is there; returns its path.
    Written to a temporary file and renamed, so a render never reads half a font."""
    path = expected_path(directory)
    if path is None:
        raise FileNotFoundError(f"{SOURCE_FAMILY} is not installed (Debian package "
                                "fonts-wqy-microhei; scripts/bootstrap.sh installs it).")
    if path.is_file():
        return path
    from fontTools import subset  # only here: building is rare, importing it is not free
    from fontTools.ttLib import TTFont

    source = source_font()
    assert source is not None  # expected_path found it
    font = TTFont(source.path, fontNumber=source.index, lazy=True)
    options = subset.Options()
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # a FontForge timestamp fontTools cannot subset
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters())
    subsetter.subset(font)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            font.save(out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    for old in path.parent.glob("wqy-microhei-gb2312-*.ttf"):
        if old != path:
            old.unlink(missing_ok=True)  # built from an earlier system font
    return path
