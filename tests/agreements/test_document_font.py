"""The document fonts: built once from the system's Noto Serif CJK SC (regular and bold)
and WenQuanYi Micro Hei, used by every document when they are there, with the full system
fonts behind them for rare characters and in their place when they have not been built."""
import logging
import shutil
import subprocess

import pytest
from fontTools.ttLib import TTFont

from portal.agreements import document_font
from portal.agreements.cli import agreements_cli
from portal.agreements.document import agreement_pdf
from portal.agreements.pdf import FetchRefused, static_path
from tests.factories import partnership

SERIF, SERIF_BOLD, SANS = document_font.FACES
pytestmark = [
    pytest.mark.skipif(any(document_font.source_font(face) is None
                           for face in document_font.FACES),
                       reason="Noto Serif CJK SC or WenQuanYi Micro Hei not installed"),
    pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed"),
]


def fonts_in(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "agreement.pdf"
    path.write_bytes(pdf)
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    return [line.split()[0].split("+", 1)[1] for line in listed]


def text_in(tmp_path) -> str:
    text = subprocess.run(["pdftotext", str(tmp_path / "agreement.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    return "".join(text.split())


def built(app, face):
    return next(font.path for font in document_font.built_fonts(app) if font.face == face)


@pytest.mark.parametrize("face", document_font.FACES, ids=lambda face: face.stem)
def test_each_face_holds_gb2312_latin_and_punctuation_only(app, face):
    path = built(app, face)
    font = TTFont(path, lazy=True)
    cmap = font.getBestCmap()
    source = document_font.source_font(face)
    original = TTFont(source.path, fontNumber=source.index, lazy=True).getBestCmap()
    assert document_font.characters() & set(original) <= set(cmap)
    assert all(ord(character) in cmap for character in "澄曜剑川路沪城环路，。（）《》“”ÄéAa1")
    assert "䶮" not in "".join(map(chr, cmap))  # rare: left to the full fonts
    assert len(cmap) < 10_000  # the originals map ~30,000 characters and more
    assert "glyf" in font and "CFF " not in font  # TrueType outlines: faster to subset


def test_agreements_are_set_in_the_serif_with_its_bold_and_headings_in_sans(db, tmp_path):
    proposal = partnership(db)
    db.commit()
    assert sorted(fonts_in(agreement_pdf(proposal.agreements[0]), tmp_path)) == [
        "Noto-Serif-CJK-SC-GB2312", "Noto-Serif-CJK-SC-GB2312-Bold",
        "WenQuanYi-Micro-Hei-GB2312"]
    assert proposal.proposer.name in text_in(tmp_path)


def test_rare_characters_fall_back_to_the_full_font(db, tmp_path):
    proposal = partnership(db)
    db.commit()
    proposal.proposer.name = "上海堃喆䶮精密机械有限公司"
    fonts = fonts_in(agreement_pdf(proposal.agreements[0]), tmp_path)
    assert "Noto-Serif-CJK-SC-GB2312" in fonts
    assert {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"} & set(fonts), fonts
    assert "上海堃喆䶮精密机械有限公司" in text_in(tmp_path)


def test_without_it_documents_use_the_system_font_and_say_so(app, db, tmp_path, caplog):
    app.config["FONT_DIR"] = str(tmp_path / "not-built")
    document_font._say_not_built.cache_clear()
    proposal = partnership(db)
    db.commit()
    with caplog.at_level(logging.WARNING):
        fonts = fonts_in(agreement_pdf(proposal.agreements[0]), tmp_path)
    assert "Noto-Serif-CJK-SC" in fonts and not any("GB2312" in font for font in fonts)
    assert proposal.proposer.name in text_in(tmp_path)
    assert "flask --app wsgi agreements build-font" in caplog.text


def test_documents_may_load_the_fonts_only_when_told(app):
    path = built(app, SERIF)
    with pytest.raises(FetchRefused):
        static_path(path.as_uri())
    assert static_path(path.as_uri(), also={path}) == path


def test_the_command_builds_once_and_clears_older_builds(app, tmp_path, monkeypatch):
    monkeypatch.setattr(document_font, "FACES", (SANS,))  # the quickest face to build
    stale = tmp_path / "wqy-microhei-gb2312-000000000000.ttf"
    stale.write_bytes(b"built from an earlier system font")
    app.config["FONT_DIR"] = str(tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(agreements_cli, ["build-font"])
    assert result.exit_code == 0, result.output
    built = document_font.expected_path(tmp_path, SANS)
    assert str(built) in result.output and built.is_file() and not stale.exists()
    assert not list(tmp_path.glob("*.part"))
    before = built.stat().st_mtime_ns
    assert runner.invoke(agreements_cli, ["build-font"]).exit_code == 0
    assert built.stat().st_mtime_ns == before  # already there: not built again


def test_the_command_says_what_to_install_without_the_system_font(app, monkeypatch):
    monkeypatch.setattr(document_font, "source_font", lambda face: None)
    result = app.test_cli_runner().invoke(agreements_cli, ["build-font"])
    assert result.exit_code == 1
    assert "fonts-noto-cjk" in result.output and "fonts-wqy-microhei" in result.output
