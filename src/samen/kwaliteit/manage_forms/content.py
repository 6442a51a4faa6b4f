"""How an entry's stored content (ActivityVersion.data, or the live activity through ``live_content``) is
shown and compared: readable rows, field label, old -> new."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _

from samen.kwaliteit.forms import ActivityForm, initial_from
from samen.kwaliteit.manage_forms.activity import (
    FIELDSETS,
)
from samen.kwaliteit.manage_forms.repeat import (
    repeat_text,
)
from samen.kwaliteit.models import Intervention

CONTENT_FIELDS = tuple(name for _legend, names in FIELDSETS for name in names
                       if name in ActivityForm.base_fields)


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def live_content(activity) -> dict:
    """The live activity's content in the same shape as ActivityVersion.data."""
    return normalise(initial_from(activity))


def normalise(content: dict) -> dict:
    """Content with one spelling per value, so that equal content compares equal."""
    return {name: _normal(name, content.get(name)) for name in CONTENT_FIELDS}


def _normal(name: str, value):
    if isinstance(ActivityForm.base_fields[name], forms.BooleanField):
        return bool(value)
    if value in (None, "", [], ()):
        return None
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if name in ("start_time", "end_time"):
        return str(value)[:5]
    if name == "cost_amount":
        try:
            return f"{Decimal(str(value)):.2f}"
        except InvalidOperation:
            return str(value)
    if isinstance(value, list | tuple):
        return sorted(int(v) if name == "interventions" else str(v) for v in value)
    if name == "location_postcode":
        return str(value).replace(" ", "").upper()
    return value


def display(name: str, value, interventions: dict[int, str] | None = None) -> str:
    """A stored value as the screen shows it."""
    value = _normal(name, value)
    field = ActivityForm.base_fields[name]
    if isinstance(field, forms.BooleanField):
        return _("ja") if value else _("nee")
    if name == "rrule":
        value = value or ""
        text = repeat_text(value)
        return text if not value or value in text else f"{text} ({value})"
    if value is None:
        return "—"
    if name == "interventions":
        names = interventions or {}
        return ", ".join(names.get(pk, f"#{pk}") for pk in value)
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)
        return ", ".join(str(labels.get(code, code)) for code in value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(field, forms.DateField):
        return dt.date.fromisoformat(value).strftime("%d-%m-%Y")
    return str(value)


def _intervention_names(*contents: dict) -> dict[int, str]:
    pks = {pk for content in contents for pk in (content.get("interventions") or [])}
    return dict(Intervention.objects.filter(pk__in=pks).values_list("pk", "name")) if pks else {}


def content_rows(content: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every field of the content with its label, grouped as the form's fieldsets, for a read-only view."""
    content = normalise(content)
    names = _intervention_names(content)
    return [(str(legend), [(str(ActivityForm.base_fields[name].label), display(name, content[name], names))
                           for name in fields if name in ActivityForm.base_fields])
            for legend, fields in FIELDSETS]


def changes(old: dict, new: dict) -> list[Change]:
    """The fields that differ between two contents: label, old value → new value."""
    old, new = normalise(old), normalise(new)
    names = _intervention_names(old, new)
    return [Change(str(ActivityForm.base_fields[name].label), display(name, old[name], names),
                   display(name, new[name], names))
            for name in CONTENT_FIELDS if old[name] != new[name]]
