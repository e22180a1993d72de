"""What printing needs from the machine, checked once at start-up: a Chinese font
(else agreements would print empty boxes) and HarfBuzz's subsetter (else each PDF takes
seconds instead of a fraction of one, because fontTools subsets the fonts instead)."""
from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Callable
from functools import cache

log = logging.getLogger(__name__)

INSTALL_HINT = ("install fonts-wqy-microhei or fonts-noto-cjk (scripts/bootstrap.sh does "
                "so)")


class NoChineseFont(RuntimeError):
    pass


@cache
def chinese_font_families() -> tuple[str, ...] | None:
    """Families fontconfig knows for Chinese; None when fontconfig cannot be asked."""
    if shutil.which("fc-list") is None:
        return None
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                            text=True, timeout=30, check=False).stdout
    return tuple(sorted({line.split(",")[0].strip() for line in listed.splitlines()
                         if line.strip()}))


@cache
def has_fast_subsetter() -> bool:
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    # The test WeasyPrint itself makes before choosing HarfBuzz over fontTools.
    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def check_printing(families: Callable[[], tuple[str, ...] | None] | None = None,
                   fast_subsetter: Callable[[], bool] | None = None) -> None:
    """Refuse to start without a Chinese font; warn when PDFs would be slow."""
    found = (families or chinese_font_families)()
    if found is None:
        log.warning("fc-list is missing, so Chinese fonts could not be checked; %s",
                    INSTALL_HINT)
    elif not found:
        raise NoChineseFont(f"No Chinese font is installed, so agreements cannot be "
                            f"printed: {INSTALL_HINT}.")
    if not (fast_subsetter or has_fast_subsetter)():
        log.warning("HarfBuzz's font subsetter (Debian package libharfbuzz-subset0) is "
                    "missing: WeasyPrint falls back to fontTools and each agreement PDF "
                    "takes seconds instead of ~0.3 s. Install it (scripts/bootstrap.sh "
                    "does so).")
