"""Form widgets written out in Python, with the same HTML as Django's widget templates.

Django renders every widget, and every radio button or checkbox of a group, through a template of its own
(``input.html`` with ``attrs.html`` inside): about 0.3 ms each. A trajectory page has some thirty of them,
in the forms for contact attempts, notes, consent and steps. ``FormRenderer`` (settings.FORM_RENDERER)
writes the plain ones in Python; everything else (select boxes, groups, anything with a label around it)
still goes through Django's templates. The tests compare both ways for many inputs
(``core/tests/test_select_widget.py``).
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

_DIR = "django/forms/widgets/"
# The templates that are only django/forms/widgets/input.html (text.html, email.html, ... include it).
INPUTS = frozenset(f"{_DIR}{name}.html" for name in (
    "input", "text", "email", "number", "date", "datetime", "time", "password", "url", "tel", "search",
    "hidden", "checkbox", "color"))
# One radio button or checkbox of a group, as ``{{ option.tag }}`` draws it (without a label around it).
OPTIONS = frozenset(f"{_DIR}{name}.html" for name in ("radio_option", "checkbox_option", "input_option"))
TEXTAREA = f"{_DIR}textarea.html"


def attributes(attrs: dict) -> str:
    """Django's ``attrs.html`` in Python: `` name="value"``, a bare name for True, nothing for False."""
    return "".join("" if value is False else f" {conditional_escape(name)}" if value is True
                   else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
                   for name, value in attrs.items())


def input_tag(widget: dict) -> str:
    """Django's ``input.html`` in Python."""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f'{shown}{attributes(widget["attrs"])}>')


class FormRenderer(DjangoTemplates):
    """Django's default form renderer, with inputs, text areas and single options written in Python."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if len(context) == 1 else None
        if widget is not None:
            if template_name in INPUTS or (template_name in OPTIONS and not widget.get("wrap_label")):
                return mark_safe(input_tag(widget))  # noqa: S308 - every part is escaped
            if template_name == TEXTAREA and isinstance(widget["value"], str | None):
                text = conditional_escape(widget["value"]) if widget["value"] else ""
                return mark_safe(  # noqa: S308 - every part is escaped
                    f'<textarea name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>\n'
                    f'{text}</textarea>')
        return super().render(template_name, context, request)
