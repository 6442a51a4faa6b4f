"""The one write path for theme weeks: the dates of the yearly Week tegen Eenzaamheid, so the public site
can highlight the week's events. The regisseur and the beleidsadviseur keep them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samen.core import policy
from samen.core.models import User
from samen.kwaliteit.models import ThemeWeek

MAX_DAYS = 31  # a week, with room for a municipality that makes a month of it


@transaction.atomic
def save(user: User, data: dict, week: ThemeWeek | None = None) -> ThemeWeek:
    """Create (no ``week``) or change a theme week from cleaned form data (name, starts_on, ends_on).

    Raises PermissionDenied without ``themeweek.change``, ValidationError naming the field for an end
    before the start, a very long week or a second week starting on the same day (nothing is stored then).
    """
    if not policy.can(user, "themeweek.change") or (week is not None and week.gemeente_id != user.gemeente_id):
        raise PermissionDenied(_("U mag themaweken niet wijzigen."))
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    errors = {}
    if not isinstance(starts_on, dt.date):
        errors["starts_on"] = _("Vul de eerste dag van de week in.")
    if not isinstance(ends_on, dt.date):
        errors["ends_on"] = _("Vul de laatste dag van de week in.")
    if not errors and ends_on < starts_on:
        errors["ends_on"] = _("De laatste dag ligt voor de eerste dag.")
    elif not errors and (ends_on - starts_on).days >= MAX_DAYS:
        errors["ends_on"] = _("Een themaweek duurt hooguit %(days)s dagen.") % {"days": MAX_DAYS}
    if not errors:
        taken = ThemeWeek.objects.filter(gemeente=user.gemeente_id, starts_on=starts_on)
        if week is not None:
            taken = taken.exclude(pk=week.pk)
        if taken.exists():
            errors["starts_on"] = _("Er is al een themaweek die op deze dag begint.")
    if errors:
        raise ValidationError(errors)
    week = week or ThemeWeek(gemeente_id=user.gemeente_id)
    week.name = (data.get("name") or "").strip() or "Week tegen Eenzaamheid"
    week.starts_on, week.ends_on = starts_on, ends_on
    week.save()
    return week
