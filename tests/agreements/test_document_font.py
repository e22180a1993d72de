"""The document font: built once from the system's WenQuanYi Micro Hei, used by every
document when it is there, with the full system fonts behind it for rare characters and
in its place when it has not been built."""
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

pytestmark = [
    pytest.mark.skipif(document_font.source_font() is None,
                       reason="WenQuanYi Micro Hei not installed"),
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


def test_it_holds_gb2312_latin_and_punctuation_only(app):
    path = document_font.built_path(app)
    assert path is not None
    cmap = TTFont(path, lazy=True).getBestCmap()
    source = document_font.source_font()
    original = TTFont(source.path, fontNumber=source.index, lazy=True).getBestCmap()
    assert document_font.characters() & set(original) <= set(cmap)
    assert all(ord(character) in cmap for character in "澄曜剑川路沪城环路，。（）《》“”ÄéAa1")
    assert "䶮" not in "".join(map(chr, cmap))  # rare: left to the full fonts
    assert len(cmap) < 10_000  # the original maps ~30,000 characters


def test_agreements_are_set_in_it(db, tmp_path):
    proposal = partnership(db)
    db.commit()
    assert fonts_in(agreement_pdf(proposal.agreements[0]), tmp_path) == [
        document_font.FAMILY.replace(" ", "-")]
    assert proposal.proposer.name in text_in(tmp_path)


def test_rare_characters_fall_back_to_the_full_font(db, tmp_path):
    proposal = partnership(db)
    db.commit()
    proposal.proposer.name = "上海堃喆䶮精密机械有限公司"
    fonts = fonts_in(agreement_pdf(proposal.agreements[0]), tmp_path)
    assert document_font.FAMILY.replace(" ", "-") in fonts
    assert {"WenQuanYi-Micro-Hei", "Noto-Sans-CJK-SC"} & set(fonts), fonts
    assert "上海堃喆䶮精密机械有限公司" in text_in(tmp_path)


def test_without_it_documents_use_the_system_font_and_say_so(app, db, tmp_path, caplog):
    app.config["FONT_DIR"] = str(tmp_path / "not-built")
    document_font._say_not_built.cache_clear()
    proposal = partnership(db)
    db.commit()
    with caplog.at_level(logging.WARNING):
        fonts = fonts_in(agreement_pdf(proposal.agreements[0]), tmp_path)
    assert fonts == ["WenQuanYi-Micro-Hei"]
    assert proposal.proposer.name in text_in(tmp_path)
    assert "flask --app wsgi agreements build-font" in caplog.text


def test_documents_may_load_the_font_only_when_told(app):
    url = document_font.built_path(app).as_uri()
    with pytest.raises(FetchRefused):
        static_path(url)
    assert static_path(url, also=document_font.built_path(app)) == document_font.built_path(app)


def test_the_command_builds_it_once_and_clears_older_builds(app, tmp_path):
    stale = tmp_path / "wqy-microhei-gb2312-000000000000.ttf"
    stale.write_bytes(b"built from an earlier system font")
    app.config["FONT_DIR"] = str(tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(agreements_cli, ["build-font"])
    assert result.exit_code == 0, result.output
    built = document_font.expected_path(tmp_path)
    assert str(built) in result.output and built.is_file() and not stale.exists()
    assert not list(tmp_path.glob("*.part"))
    before = built.stat().st_mtime_ns
    assert runner.invoke(agreements_cli, ["build-font"]).exit_code == 0
    assert built.stat().st_mtime_ns == before  # already there: not built again


def test_the_command_says_what_to_install_without_the_system_font(app, monkeypatch):
    monkeypatch.setattr(document_font, "source_font", lambda: None)
    result = app.test_cli_runner().invoke(agreements_cli, ["build-font"])
    assert result.exit_code == 1 and "fonts-wqy-microhei" in result.output
