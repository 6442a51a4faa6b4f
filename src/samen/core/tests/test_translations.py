"""The English catalogue is complete: no entry is left empty or marked fuzzy (a guess by makemessages),
so every heading and message of the English version is translated (src/samen/locale/README.md)."""

from __future__ import annotations

from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[list[str]]:
    return [block.splitlines() for block in text.split("\n\n") if block.strip()]


def _msgstrs(lines: list[str]) -> list[str]:
    """The text of each msgstr (or msgstr[n]) of an entry, continuation lines joined."""
    values, current = [], None
    for line in lines:
        if line.startswith("msgstr"):
            current = line.split(" ", 1)[1].strip().strip('"')
            values.append(current)
        elif line.startswith('"') and current is not None:
            values[-1] += line.strip().strip('"')
        elif not line.startswith('"'):
            current = None
    return values


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    fuzzy, empty = [], []
    for lines in _entries(PO.read_text(encoding="utf-8"))[1:]:  # the first entry is the header
        if all(line.startswith("#~") for line in lines):
            continue  # obsolete
        msgid = next((line for line in lines if line.startswith("msgid ")), "")
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            fuzzy.append(msgid)
        if any(value == "" for value in _msgstrs(lines)):
            empty.append(msgid)
    assert not fuzzy, f"fuzzy entries in {PO.name}: {fuzzy[:10]}"
    assert not empty, f"untranslated entries in {PO.name}: {empty[:10]}"
