"""The salutation of a letter, in plain Python: "Geachte mevrouw Bakker", from the register's aanhef (or a
name that starts with it, "Mevrouw G. Bakker") and the surname; without one "Geachte heer/mevrouw" + name."""

from __future__ import annotations

import re

# Name prefixes that say the salutation (as the register or a worker wrote them).
_PREFIXES = (("de heer ", "heer"), ("dhr. ", "heer"), ("dhr ", "heer"), ("heer ", "heer"),
             ("mevrouw ", "mevrouw"), ("mevr. ", "mevrouw"), ("mw. ", "mevrouw"), ("mw ", "mevrouw"))
_INITIALS = re.compile(r"^(?:[A-Za-z]{1,2}\.)+$")
_PARTICLES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t", "op", "la", "le", "du", "von"}


def split_prefix(name: str) -> tuple[str, str]:
    """'Mevrouw G. Bakker' -> ('mevrouw', 'G. Bakker'); a name without a prefix -> ('', name)."""
    text = " ".join((name or "").split())
    lowered = text.lower()
    for prefix, salutation in _PREFIXES:
        if lowered.startswith(prefix):
            return salutation, text[len(prefix):]
    return "", text


def surname(name: str) -> str:
    """'G. Bakker' -> 'Bakker', 'W. de Boer' -> 'De Boer' (capitalised after the salutation, as in Dutch),
    'Anna van der Meer' -> 'Van der Meer', 'Bakker' -> 'Bakker'."""
    words = split_prefix(name)[1].split()
    while len(words) > 1 and _INITIALS.match(words[0]):
        words = words[1:]
    start = next((i for i, word in enumerate(words) if word.lower() in _PARTICLES), None)
    # from the first particle on ("de Boer"); otherwise the last word (a first name, then the surname)
    chosen = words[start:] if start is not None and start < len(words) - 1 else words[-1:]
    text = " ".join(chosen)
    return text[:1].upper() + text[1:]


def salutation(name: str, aanhef: str = "") -> str:
    """The letter's opening line, without the comma."""
    from_name, rest = split_prefix(name)
    aanhef = aanhef or from_name
    family = surname(name) if rest else ""
    if aanhef in ("mevrouw", "heer") and family:
        return f"Geachte {aanhef} {family}"
    return f"Geachte heer/mevrouw {rest}".rstrip()
