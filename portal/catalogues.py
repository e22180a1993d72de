"""Translation catalogues: compile .po to .mo, and find what is missing or untranslated."""
from __future__ import annotations

import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS_DIR = Path(__file__).parent / "translations"


def po_files(directory: Path = TRANSLATIONS_DIR) -> list[Path]:
    return sorted(directory.glob("*/LC_MESSAGES/messages.po"))


def load(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def compile_all(directory: Path = TRANSLATIONS_DIR) -> None:
    """Write messages.mo beside each messages.po whose .mo is missing or older."""
    for po_path in po_files(directory):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        # Written aside and renamed: a process reading the catalogue meanwhile (two test
        # runs side by side) never sees half a file.
        partial = mo_path.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as handle:
            write_mo(handle, load(po_path))
        os.replace(partial, mo_path)


def untranslated(catalog: Catalog) -> list[str]:
    """Message ids with no translation, or only a fuzzy one."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing
