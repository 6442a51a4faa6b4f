"""What kwaliteit shows on a user's home page (registered in ``blocks.py``): the regisseur's review queue,
the provider's own activities and those going stale, and what is due today. Reads through the policy."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samen.core import policy
from samen.kwaliteit.models import Activity, ActivityVersion, Occurrence
from samen.kwaliteit.review import VersionStatus
from samen.kwaliteit.services import catalogue

SHOWN = 5


def _pending(user):
    return policy.visible(user, ActivityVersion).filter(status=VersionStatus.PENDING)


def review_panel(user) -> dict:
    """The versions waiting for the regisseur's review, the oldest first."""
    pending = _pending(user).select_related("activity__organisation").order_by("submitted_at", "pk")
    return {"count": pending.count(), "rows": list(pending[:SHOWN])}


def provider_panel(user) -> dict:
    """The provider's own activities: how many are on the site, which are going stale, what waits for review."""
    now = timezone.now()
    own = policy.visible(user, Activity)
    stale = own.filter(pk__in=catalogue.stale(user.gemeente, now).values("pk")).order_by("confirmed_at", "pk")
    return {"published": own.filter(status=Activity.Status.PUBLISHED).count(),
            "draft": own.filter(status=Activity.Status.DRAFT).count(),
            "withdrawn": own.filter(status=Activity.Status.WITHDRAWN).count(),
            "pending": _pending(user).count(), "stale": list(stale[:SHOWN]), "stale_count": stale.count(),
            "recent": list(own.order_by("-pk")[:SHOWN])}


def review_today(user) -> list[dict]:
    count = _pending(user).count()
    if not count:
        return []
    return [{"text": ngettext("%(n)s wijziging in de catalogus wacht op uw beoordeling",
                              "%(n)s wijzigingen in de catalogus wachten op uw beoordeling", count) % {"n": count},
             "url": reverse("kwaliteit:review_queue")}]


def provider_today(user) -> list[dict]:
    """Stale entries to confirm, and the provider's activities that take place today."""
    lines = []
    own = policy.visible(user, Activity)
    stale = own.filter(pk__in=catalogue.stale(user.gemeente).values("pk")).count()
    if stale:
        lines.append({"text": ngettext("%(n)s activiteit is verouderd: bevestig of wijzig haar",
                                       "%(n)s activiteiten zijn verouderd: bevestig of wijzig ze", stale)
                      % {"n": stale}, "url": reverse("kwaliteit:activity_list") + "?toon=verouderd"})
    today = (Occurrence.objects.filter(activity__in=own.filter(status=Activity.Status.PUBLISHED),
                                       date=timezone.localdate())
             .select_related("activity").order_by("start_time"))
    for occurrence in today[:SHOWN]:
        lines.append({"text": _("Vandaag om %(time)s: %(title)s")
                      % {"time": occurrence.start_time.strftime("%H:%M"), "title": occurrence.activity.title},
                      "url": reverse("kwaliteit:activity_detail", args=[occurrence.activity_id])})
    return lines
