"""Campaign moments of *Samen is leuker!* (seed 003): the one write path. A moment that falls in the
catalogue's Week tegen Eenzaamheid is marked as part of it (kwaliteit's ThemeWeek, looked up through the
app registry so that samenwerken does not import kwaliteit)."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samen.core import policy
from samen.samenwerken.models import Action, CampaignMoment
from samen.samenwerken.services import history

FIELDS = ("date", "kind", "title", "wijk", "materials", "reach", "theme_week", "action")


def in_theme_week(gemeente_id: int, day: datetime.date) -> bool:
    """Whether the day lies in one of the municipality's theme weeks of the catalogue (if installed)."""
    try:
        ThemeWeek = apps.get_model("kwaliteit", "ThemeWeek")
    except LookupError:
        return False
    return ThemeWeek.objects.filter(gemeente_id=gemeente_id, starts_on__lte=day, ends_on__gte=day).exists()


@transaction.atomic
def add_moment(user, *, date, kind, title, wijk=None, materials="", reach=None, action=None,
               theme_week: bool = False) -> CampaignMoment:
    if not policy.can(user, "agenda.manage"):
        raise PermissionDenied(_("U mag geen campagnemomenten vastleggen."))
    errors = {}
    if kind not in CampaignMoment.Kind.values:
        errors["kind"] = [_("Kies het middel uit de lijst.")]
    if not (title or "").strip():
        errors["title"] = [_("Omschrijf het campagnemoment.")]
    if wijk is not None and wijk.gemeente_id != user.gemeente_id:
        errors["wijk"] = [_("Kies een wijk van uw gemeente.")]
    if action is not None and action.agenda.gemeente_id != user.gemeente_id:
        errors["action"] = [_("Kies een actie van uw eigen agenda.")]
    if reach is not None and reach < 0:
        errors["reach"] = [_("Het bereik is een aantal mensen: 0 of meer.")]
    if errors:
        raise ValidationError(errors)
    moment = CampaignMoment.objects.create(
        gemeente_id=user.gemeente_id, date=date, kind=kind, title=title.strip(), wijk=wijk,
        materials=(materials or "").strip(), reach=reach, action=action,
        theme_week=bool(theme_week) or in_theme_week(user.gemeente_id, date))
    history.record(user, moment.gemeente, moment, _("Campagnemoment toegevoegd: %(title)s") % {"title": moment.title},
                   history.diff({}, history.snapshot(moment, FIELDS)), action=action)
    return moment


def moments(user):
    return policy.visible(user, CampaignMoment).select_related("wijk", "action")


def actions_for(user):
    return policy.visible(user, Action).order_by("title")
