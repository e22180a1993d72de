"""The document fonts: system fonts cut down, once per installation, to the characters of
GB 2312 (the national set of everyday Chinese, 6,763 hanzi) with Latin and punctuation.
Documents set their body in Noto Serif CJK SC, regular and a real bold (a legal text
wants a serif face and bold that is bold), and their headings in WenQuanYi Micro Hei.

WeasyPrint subsets every font a PDF uses, and HarfBuzz's time for that grows with the
font: ~13,500 glyphs instead of WenQuanYi's ~49,500 take ~4 ms instead of ~15 ms of a
~60 ms write, and Noto's 65,000 shrink alike. Characters outside GB 2312 (rare ones in
company names) fall back to the full system fonts, so nothing prints as an empty box.
Noto's cubic (CFF) outlines are turned into quadratic TrueType ones as they are built:
HarfBuzz subsets those faster and a PDF embeds a quarter of the bytes (~25 KB instead of
~90 KB a face). Without built fonts, documents use the system fonts: the same text, slower.
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

# Part of each file name: a change to what is kept builds new files.
RECIPE = "gb2312-latin-punctuation-truetype-1"
BUILD_COMMAND = "flask --app wsgi agreements build-font"

# Beside GB 2312: Latin (names, addresses, English copies), general punctuation, currency
# and letterlike symbols, circled numbers, CJK symbols and punctuation, full-width forms.
EXTRA_RANGES = ((0x20, 0x7E), (0xA0, 0x24F), (0x2000, 0x206F), (0x20A0, 0x20BF),
                (0x2100, 0x214F), (0x2460, 0x24FF), (0x3000, 0x303F), (0xFF00, 0xFFEF))


class Face(NamedTuple):
    stem: str  # the built file's name, before its digest
    pattern: str  # what fontconfig is asked for
    source_family: str  # what it must answer (not a substitute)
    source_style: str
    family: str  # the built font's CSS family
    weight: int
    package: str  # the Debian package that ships it


SERIF = "Noto Serif CJK SC GB2312"
SANS = "WenQuanYi Micro Hei GB2312"
FACES = (
    Face("noto-serif-sc-regular-gb2312", "Noto Serif CJK SC:style=Regular",
         "Noto Serif CJK SC", "Regular", SERIF, 400, "fonts-noto-cjk"),
    Face("noto-serif-sc-bold-gb2312", "Noto Serif CJK SC:style=Bold",
         "Noto Serif CJK SC", "Bold", SERIF, 700, "fonts-noto-cjk"),
    Face("wqy-microhei-gb2312", "WenQuanYi Micro Hei", "WenQuanYi Micro Hei", "",
         SANS, 400, "fonts-wqy-microhei"),
)


class SourceFont(NamedTuple):
    path: Path
    index: int

    def digest(self) -> str:
        """Names the built file: another version of the system font builds anew."""
        stat = self.path.stat()
        key = f"{self.path}:{self.index}:{stat.st_size}:{stat.st_mtime_ns}:{RECIPE}"
        return hashlib.sha256(key.encode()).hexdigest()[:12]


class BuiltFont(NamedTuple):
    path: Path
    face: Face


@cache
def source_font(face: Face) -> SourceFont | None:
    """Where fontconfig keeps the face; None when it is not installed."""
    if shutil.which("fc-match") is None:
        return None
    found = subprocess.run(["fc-match", "-f", "%{family}\n%{style}\n%{file}\n%{index}",
                            face.pattern], capture_output=True, text=True, timeout=30,
                           check=False).stdout
    lines = found.splitlines()
    if len(lines) != 4 or face.source_family not in lines[0].split(",") or \
            face.source_style not in lines[1]:
        return None  # fontconfig offered a substitute
    return SourceFont(Path(lines[2]), int(lines[3] or 0))


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


def expected_path(directory: Path, face: Face) -> Path | None:
    """Where in `directory` the face built from this machine's system font belongs."""
    source = source_font(face)
    if source is None:
        return None
    return directory / f"{face.stem}-{source.digest()}.ttf"


def built_fonts(app: Flask | None = None) -> tuple[BuiltFont, ...]:
    """The faces built (the system fonts stand in for the others; said once)."""
    directory = font_dir(app or current_app)
    built, missing = [], []
    for face in FACES:
        path = expected_path(directory, face)
        if path is not None and path.is_file():
            built.append(BuiltFont(path, face))
        elif path is not None:
            missing.append(face.stem)
    if missing:
        _say_not_built(tuple(missing))
    return tuple(built)


@cache
def _say_not_built(faces: tuple[str, ...]) -> None:
    log.warning("The document fonts %s are not built, so each PDF takes longer to write: "
                "run `%s` (scripts/bootstrap.sh does so).", ", ".join(faces), BUILD_COMMAND)


def build(directory: Path) -> list[Path]:
    """Build each installed face in `directory` unless it is there; their paths. Each is
    written to a temporary file and renamed, so a render never reads half a font."""
    paths = [path for face in FACES if (path := _build(directory, face)) is not None]
    if not paths:
        packages = sorted({face.package for face in FACES})
        raise FileNotFoundError(f"No document font is installed (Debian packages "
                                f"{', '.join(packages)}; scripts/bootstrap.sh installs them).")
    return paths


def _build(directory: Path, face: Face) -> Path | None:
    path = expected_path(directory, face)
    if path is None or path.is_file():
        return path
    from fontTools import subset  # only here: building is rare, importing it is not free
    from fontTools.ttLib import TTFont

    source = source_font(face)
    assert source is not None  # expected_path found it
    font = TTFont(source.path, fontNumber=source.index, lazy=True)
    options = subset.Options()
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # a FontForge timestamp fontTools cannot subset
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters())
    subsetter.subset(font)
    if "CFF " in font:
        _to_truetype(font)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            font.save(out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    for old in path.parent.glob(f"{face.stem}-*"):
        if old != path and not old.name.endswith(".part"):
            old.unlink(missing_ok=True)  # built from an earlier system font
    return path


def _to_truetype(font) -> None:  # noqa: ANN001 - a fontTools TTFont
    """Replace the font's CFF outlines with TrueType ones (curves approximated within one
    font unit), as fontTools' otf2ttf recipe does."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for name in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, name, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    font.sfntVersion = "\x00\x01\x00\x00"
