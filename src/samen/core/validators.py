"""Validators for what people type, shared by every form: Dutch phone numbers and house numbers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE_NOISE = re.compile(r"[\s\-.()/]")
_PHONE_PATTERNS = (
    re.compile(r"^0[1-9][0-9]{8}$"),  # 035 123 45 67, 06 12345678
    re.compile(r"^0[89]0[09][0-9]{4,7}$"),  # 0800-0113, 0900 1234
    re.compile(r"^14[0-9]{3,4}$"),  # a municipality's 14 + area code: 14 035
)
PHONE_MESSAGE = _("Vul een Nederlands telefoonnummer in, bijvoorbeeld 035 123 45 67, 06 12345678 of 14 035.")


def phone_digits(value: str) -> str:
    """'+31 (0)6-1234 5678' -> '0612345678': the number as it is dialled in the Netherlands."""
    digits = _PHONE_NOISE.sub("", value or "")
    digits = digits.replace("+31(0)", "0").replace("+310", "0")
    for prefix in ("+31", "0031"):
        if digits.startswith(prefix):
            digits = "0" + digits[len(prefix):]
    return digits


def validate_dutch_phone(value: str) -> None:
    if not value:
        return
    digits = phone_digits(value.replace("(0)", ""))
    if not any(pattern.match(digits) for pattern in _PHONE_PATTERNS):
        raise ValidationError(PHONE_MESSAGE, code="phone")


_HOUSE_NUMBER = re.compile(r"^\s*([1-9][0-9]{0,5})\s*(?:[-/]\s*|\s+)?([A-Za-z0-9]{1,6}(?:\s*[A-Za-z0-9]{1,4})?)?\s*$")
HOUSE_NUMBER_MESSAGE = _("Vul een huisnummer in, eventueel met toevoeging: 12, 12a, 12-2 of 12 bis.")


def split_house_number(value) -> tuple[int | None, str]:
    """'12a' -> (12, 'A'), '12-2' -> (12, '2'), '12 bis' -> (12, 'BIS'), '' -> (None, ''). Raises ValidationError."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None, ""
    match = _HOUSE_NUMBER.match(text)
    if not match:
        raise ValidationError(HOUSE_NUMBER_MESSAGE, code="house_number")
    return int(match.group(1)), re.sub(r"\s+", " ", (match.group(2) or "")).upper()
