"""Is a new signal about someone who already has an open signal or trajectory? Exact on address,
tolerant on name spelling and birth year (seed 002: two care workers must not unknowingly work on
the same person). Pure Python with rapidfuzz."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

NAME_THRESHOLD = 80  # token-sort similarity 0-100
BIRTH_YEAR_TOLERANCE = 1
TITLES = re.compile(r"\b(mevrouw|mevr|mw|de heer|dhr|heer|meneer|mr)\b\.?")


@dataclass(frozen=True)
class Person:
    postcode: str
    house_number: int | None
    house_number_addition: str = ""
    name: str = ""
    birth_year: int | None = None


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = TITLES.sub(" ", text)
    return " ".join(re.sub(r"[^a-z ]", " ", text).split())


def same_address(a: Person, b: Person) -> bool:
    """Same postcode, house number and addition; two postcodes without a house number are the same too."""
    return (bool(a.postcode) and a.postcode == b.postcode and a.house_number == b.house_number
            and (a.house_number_addition or "").lower() == (b.house_number_addition or "").lower())


def same_person(a: Person, b: Person) -> bool:
    """Same address, and where both have a name or birth year, those match within tolerance.

    An address without names on either side matches: a household flagged twice is worth one look. A
    postcode without a house number is a street rather than a household: there a name on one side only
    is not the same person (the nameless "somewhere in 1211AB" is not Mevrouw Jansen of 1211AB).
    """
    if not same_address(a, b):
        return False
    if a.birth_year and b.birth_year and abs(a.birth_year - b.birth_year) > BIRTH_YEAR_TOLERANCE:
        return False
    name_a, name_b = normalise_name(a.name), normalise_name(b.name)
    if a.house_number is None and bool(name_a) != bool(name_b):
        return False
    if name_a and name_b:
        return fuzz.token_sort_ratio(name_a, name_b) >= NAME_THRESHOLD or _initials_match(name_a, name_b)
    return True


def _initials_match(a: str, b: str) -> bool:
    """'j de wit' and 'johanna de wit': the same surname and compatible initials."""
    pa, pb = a.split(), b.split()
    if not pa or not pb or fuzz.ratio(pa[-1], pb[-1]) < 85:
        return False
    return pa[0][0] == pb[0][0]
