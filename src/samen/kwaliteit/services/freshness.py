"""Freshness of the catalogue: remind providers of entries they have not confirmed for a while.

The rules (the months are the gemeente's own settings, defaults 6 and 9):

* a published activity not confirmed for ``catalogue_stale_months`` is *stale*: the staff list flags it,
  and its organisation's providers get one reminder e-mail, with a link to confirm it;
* after ``catalogue_hide_months`` it is no longer on the public site
  (catalogue.public_activities() is the one definition of that); it stays in the staff list as
  "van de site af" until the provider confirms or changes it.

One reminder per stale period: ``Activity.reminded_at`` records it, and confirming (or a newly approved
version) clears it, so the next reminder comes only when the entry goes stale again. Running the job
twice sends nothing new. A reminder is recorded only once the mail backend accepted it, so a failing
mail server means tomorrow's run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from itertools import groupby

from django.db.models import F, Q
from django.utils import timezone

from samen.core.models import Gemeente
from samen.kwaliteit.models import Activity
from samen.kwaliteit.services import catalogue, notify

log = logging.getLogger(__name__)


def due_for_reminder(gemeente: Gemeente, now: dt.datetime):
    """Stale activities of the gemeente not reminded since they were last confirmed."""
    return (catalogue.stale(gemeente, now)
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=F("confirmed_at")))
            .select_related("organisation").order_by("organisation_id", "title", "pk"))


def recipients_for(organisation) -> list[str]:
    """The organisation's providers; the gemeente's regisseurs when it has no provider to write to."""
    return notify.addresses(notify.providers(organisation)) or notify.addresses(
        notify.regisseurs(organisation.gemeente_id))


def remind_stale(now: dt.datetime | None = None) -> int:
    """Send the reminders that are due, in every gemeente; returns the number of activities reminded."""
    now = now or timezone.now()
    reminded = 0
    for gemeente in Gemeente.objects.order_by("pk"):
        for organisation, group in groupby(due_for_reminder(gemeente, now), key=lambda a: a.organisation):
            activities = list(group)
            recipients = recipients_for(organisation)
            if not recipients:
                log.warning("No one to remind of %s stale activities of organisation %s", len(activities),
                            organisation.pk)
                continue
            try:
                notify.stale_reminder(organisation, activities, recipients, gemeente.catalogue_stale_months)
            except Exception:  # the mail server: try again on the next run, and go on with the others
                log.exception("Reminder for organisation %s could not be sent", organisation.pk)
                continue
            Activity.objects.filter(pk__in=[a.pk for a in activities]).update(reminded_at=now)
            reminded += len(activities)
    return reminded
