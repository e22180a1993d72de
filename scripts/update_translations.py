#!/usr/bin/env python3
"""Extract messages and update both catalogues; English gets msgstr = msgid where empty.

Run after changing user-facing text, then translate what is new in
portal/translations/zh/LC_MESSAGES/messages.po (the test suite fails while any is missing).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from portal.catalogues import TRANSLATIONS_DIR, load  # noqa: E402

POT = TRANSLATIONS_DIR / "messages.pot"
# Babel skips folders starting with "_" unless told otherwise: templates/_macros holds text too.
EXTRACT_OPTIONS = ("-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-location",
                   "--sort-output", "--project", "portal", "--ignore-dirs", ".* .venv")
LANGUAGES = ("zh", "en")


def pybabel(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), *args], check=True, cwd=ROOT)


def main() -> None:
    pybabel("extract", *EXTRACT_OPTIONS, "-o", str(POT), ".")
    for language in LANGUAGES:
        po = TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"
        if po.exists():
            # Messages no longer used are dropped, not kept as "#~" comments.
            pybabel("update", "--no-fuzzy-matching", "--ignore-obsolete", "-i", str(POT),
                    "-d", str(TRANSLATIONS_DIR), "-l", language)
        else:
            pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS_DIR), "-l", language)
    english = TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.po"
    catalog = load(english)
    for message in catalog:
        if isinstance(message.id, tuple):  # ngettext: (singular, plural)
            if not all(message.string or ()):
                message.string = message.id
        elif message.id and not message.string:
            message.string = message.id
    with english.open("wb") as handle:
        write_po(handle, catalog, sort_output=True, omit_header=False, width=100)


if __name__ == "__main__":
    main()
