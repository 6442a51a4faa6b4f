"""Freshness of the catalogue: remind providers of entries they have not confirmed for a while.

The rules (the months are the gemeente's own settings, defaults 6 and 9):

* a published activity not confirmed for ``catalogue_stale_months`` is *stale*: the staff list flags it,
  and its organisation's providers get one reminder e-mail, with a link to confirm it;
* after ``catalogue_hide_months`` it is no longer on the public site
  (catalogue.public_activities() is the one definition of that); it stays in the staff list as
  "van de site af" until the provider confirms or changes it.

One reminder per stale period: ``Activity.reminded_at`` records it, and confirming (or a newly approved
version) clears it, so the next reminder comes only when the entry goes stale again. The reminder goes into
the outbox (samen.core.outbox, which retries a failing mail server) in the same transaction that records it,
with the organisation's due activities locked (SKIP LOCKED on PostgreSQL; SQLite's write lock makes runs
take turns): running the job twice, or on two machines at once, queues each reminder once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection, transaction
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
    """Queue the reminders that are due, in every gemeente; returns the number of activities reminded."""
    now = now or timezone.now()
    reminded = 0
    for gemeente in Gemeente.objects.order_by("pk"):
        organisations = {a.organisation_id: a.organisation for a in due_for_reminder(gemeente, now)}
        for organisation in organisations.values():
            reminded += _remind(gemeente, organisation, now)
    return reminded


def _remind(gemeente: Gemeente, organisation, now: dt.datetime) -> int:
    """One organisation's reminder, queued and recorded in one transaction; its due activities locked, so a
    second run at the same moment finds nothing left to do."""
    with transaction.atomic():
        due = due_for_reminder(gemeente, now).filter(organisation=organisation)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        activities = list(due)
        if not activities:
            return 0
        recipients = recipients_for(organisation)
        if not recipients:
            log.warning("No one to remind of %s stale activities of organisation %s", len(activities),
                        organisation.pk)
            return 0
        notify.stale_reminder(organisation, activities, recipients, gemeente.catalogue_stale_months)
        Activity.objects.filter(pk__in=[a.pk for a in activities]).update(reminded_at=now)
    return len(activities)
