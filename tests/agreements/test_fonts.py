"""Start-up refuses a machine that cannot print Chinese and warns about the slow path."""
import logging

import pytest

from portal.agreements.fonts import NoChineseFont, check_printing, chinese_font_families


def test_this_machine_can_print_chinese():
    assert chinese_font_families()  # what the README's set-up installs


def test_no_chinese_font_stops_the_start_with_what_to_install():
    with pytest.raises(NoChineseFont, match="fonts-wqy-microhei"):
        check_printing(families=lambda: (), fast_subsetter=lambda: True)


def test_the_slow_path_is_announced(caplog):
    with caplog.at_level(logging.WARNING):
        check_printing(families=lambda: ("WenQuanYi Micro Hei",), fast_subsetter=lambda: False)
    assert "libharfbuzz-subset0" in caplog.text


def test_a_ready_machine_starts_quietly(caplog):
    with caplog.at_level(logging.WARNING):
        check_printing(families=lambda: ("WenQuanYi Micro Hei",), fast_subsetter=lambda: True)
    assert caplog.text == ""


def test_the_app_checks_at_start_up(app_config, monkeypatch):
    from portal import create_app
    from portal.agreements import fonts

    monkeypatch.setattr(fonts, "chinese_font_families", lambda: ())
    with pytest.raises(NoChineseFont):
        create_app({**app_config, "CHECK_PRINTING": True})
