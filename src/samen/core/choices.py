"""``get_FOO_display()`` from one lookup table per field.

Django's own ``Model._get_FIELD_display`` rebuilds ``dict(make_hashable(field.flatchoices))`` on every
call: it hashes every (lazy) label of the field, which translates each of them. A caseload page shows a
hundred statuses; that cost about 8 ms of a page of 80. ``ChoiceLabels`` keeps the table per field (the
labels stay lazy, so each call still answers in the active language) and gives the same answer.

Mix it in before ``models.Model``: Django binds ``get_FOO_display`` to ``cls._get_FIELD_display`` when the
field is added to the class.
"""

from __future__ import annotations

from django.utils.encoding import force_str

_TABLES: dict = {}


def _table(field) -> dict:
    table = _TABLES.get(field)
    if table is None:
        table = _TABLES[field] = dict(field.flatchoices)
    return table


class ChoiceLabels:
    def _get_FIELD_display(self, field):  # noqa: N802 -- Django's name
        value = getattr(self, field.attname)
        try:
            label = _table(field).get(value, value)
        except TypeError:  # an unhashable value (a list): Django's own way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
