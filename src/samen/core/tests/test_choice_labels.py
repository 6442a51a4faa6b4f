"""``core.choices.ChoiceLabels``: ``get_FOO_display()`` from a table per field gives Django's own answer, for
every model that uses it, every field with choices, every value (and one that is not a choice), in Dutch and
in English."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

from samen.core.choices import ChoiceLabels

MODELS = [m for m in apps.get_models() if issubclass(m, ChoiceLabels)]
FIELDS = [(m, f) for m in MODELS for f in m._meta.concrete_fields if f.choices]


def djangos(instance, field):
    value = getattr(instance, field.attname)
    return force_str(dict(make_hashable(field.flatchoices)).get(make_hashable(value), value), strings_only=True)


def test_the_status_models_use_it():
    names = {m._meta.label_lower for m in MODELS}
    assert {"ondersteunen.trajectory", "ondersteunen.referral", "ondersteunen.checkin"} <= names
    assert len(FIELDS) >= 8


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("model, field", FIELDS, ids=[f"{m.__name__}.{f.name}" for m, f in FIELDS])
def test_every_value_has_djangos_label(model, field, language):
    instance = model()
    with translation.override(language):
        for value in [*(v for v, _label in field.flatchoices), "geen-keuze", None]:
            instance.__dict__[field.attname] = value  # past the status guard, as a row read from the database
            assert getattr(instance, f"get_{field.name}_display")() == djangos(instance, field)


def test_an_unhashable_value_falls_back_to_django():
    model, field = FIELDS[0]
    instance = model()
    instance.__dict__[field.attname] = ["a", "b"]
    assert getattr(instance, f"get_{field.name}_display")() == Model._get_FIELD_display(instance, field)
