"""The API's JSON parser: standard JSON, refused with a clear 400 when it nests too deep or holds a NUL.

Python's json module raises RecursionError on very deep nesting (a 500), and PostgreSQL refuses a NUL
character in text (a 500 at the first save); both are the caller's error, so both are a ParseError here.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, UnsupportedMediaType

MAX_DEPTH = 32


def check_json_value(value, max_depth: int = MAX_DEPTH) -> None:
    """Raise ParseError for nesting deeper than ``max_depth`` or a NUL in any key or string."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise ParseError(_("De JSON bevat een ongeldig teken (NUL)."))
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > max_depth:
            raise ParseError(_("De JSON is te diep genest (meer dan %(depth)d niveaus).") % {"depth": max_depth})
        children = list(item.items()) if isinstance(item, dict) else item
        for child in children:
            if isinstance(child, tuple):  # a dict's (key, value)
                stack.append((child[0], depth + 1))
                stack.append((child[1], depth + 1))
            else:
                stack.append((child, depth + 1))


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("De JSON is te diep genest.")) from None
        except ParseError:
            raise ParseError(_("De JSON kan niet worden gelezen. Controleer de opmaak.")) from None
        check_json_value(data)
        return data


def require_json(request) -> None:
    """Refuse a body that is not application/json (415), also when a middleware has read a form already
    (DRF then no longer asks its parsers and would see an empty form)."""
    if request.method in {"GET", "HEAD", "OPTIONS", "DELETE"}:
        return
    media_type = (request.content_type or "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise UnsupportedMediaType(media_type or _("(geen)"))
