"""E-mails about the catalogue: a version waits for review, a version was approved or rejected, an entry
needs confirming.

They name the activity's title and link to Samen, nothing more: no names of who submitted or reviewed,
and no review note (the provider reads it in Samen). Every e-mail goes into the one outbox
(samen.core.outbox) in the transaction of the change, so a rolled-back change sends nothing and no request
waits for a mail server; the ``outbox`` job sends them, and retries what the mail server refused.
E-mails are written in the site's first language, Dutch: the recipient's own choice is not known.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from samen.core import outbox, policy
from samen.core.models import Organisation, User
from samen.kwaliteit.models import Activity, ActivityVersion
from samen.kwaliteit.review import VersionStatus


def link(name: str, pk: int | None) -> str:
    return outbox.public_url(reverse(name, args=[pk] if pk is not None else []))


def addresses(users: Iterable[User]) -> list[str]:
    return sorted({u.email for u in users if u.email and u.is_active})


def regisseurs(gemeente_id: int):
    return policy.holders(gemeente_id, "catalogue.review")


def providers(organisation: Organisation):
    return policy.holders(organisation.gemeente_id, "catalogue.provider").filter(organisation=organisation)


def _queue(kind: str, subject: str, body: str, recipients: list[str], gemeente_id: int, about=None) -> int:
    return outbox.enqueue(kind=f"kwaliteit.{kind}", subject=subject, body=body, recipients=recipients,
                          gemeente=gemeente_id, about=about)


def version_waiting(version: ActivityVersion) -> int:
    """Tell the gemeente's regisseurs that a provider's version waits for review."""
    activity = version.activity
    with translation.override(settings.LANGUAGE_CODE):
        kind = _("nieuwe activiteit") if activity.status == Activity.Status.DRAFT else _("wijziging")
        subject = _("Activiteit wacht op beoordeling: %(title)s") % {"title": activity.title}
        body = _("Een aanbieder heeft een %(kind)s ingediend voor de activiteitenlijst: \"%(title)s\". "
                 "Beoordeel de versie in Samen:\n\n%(link)s") % {
            "kind": kind, "title": activity.title, "link": link("kwaliteit:version_review", version.pk)}
    return _queue("version_waiting", subject, body, addresses(regisseurs(activity.gemeente_id)),
                  activity.gemeente_id, version)


def import_waiting(user: User, count: int) -> int:
    """One e-mail to the regisseurs for an import whose versions wait for review."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(count)s activiteiten wachten op beoordeling") % {"count": count}
        body = _("Een aanbieder heeft %(count)s nieuwe of gewijzigde activiteiten ingelezen. Beoordeel ze in "
                 "Samen:\n\n%(link)s") % {"count": count, "link": link("kwaliteit:review_queue", None)}
    return _queue("import_waiting", subject, body, addresses(regisseurs(user.gemeente_id)), user.gemeente_id)


def version_decided(version: ActivityVersion) -> int:
    """Tell the provider who submitted the version that it was approved or rejected."""
    submitter = version.submitted_by
    if submitter is None or submitter.pk == getattr(version.reviewed_by, "pk", None):
        return 0  # a regisseur's own edit: nobody to tell
    activity = version.activity
    with translation.override(settings.LANGUAGE_CODE):
        if version.status == VersionStatus.APPROVED:
            subject = _("Goedgekeurd: %(title)s") % {"title": activity.title}
            body = _("Uw versie van \"%(title)s\" is goedgekeurd en staat nu op de site.\n\n%(link)s")
        else:
            subject = _("Niet goedgekeurd: %(title)s") % {"title": activity.title}
            body = _("Uw versie van \"%(title)s\" is niet goedgekeurd. In Samen leest u waarom, en kunt u de "
                     "activiteit aanpassen.\n\n%(link)s")
        body = body % {"title": activity.title, "link": link("kwaliteit:activity_detail", activity.pk)}
    return _queue("version_decided", subject, body, addresses([submitter]), activity.gemeente_id, version)


def stale_reminder(organisation: Organisation, activities: list[Activity], recipients: list[str],
                   stale_months: int) -> int:
    """Queue one reminder for these activities of one organisation; returns the number of e-mails. Called in
    the transaction that records the reminder (services.freshness), so the two stand or fall together."""
    if not recipients or not activities:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        lines = "\n".join(f"- {activity.title}\n  {link('kwaliteit:activity_confirm', activity.pk)}"
                          for activity in activities)
        subject = _("Kloppen uw activiteiten nog? (%(organisation)s)") % {"organisation": organisation.name}
        body = _("Deze activiteiten van %(organisation)s zijn al %(months)s maanden niet bevestigd. Kloppen ze "
                 "nog? Bevestig ze, of pas ze aan, via de link bij elke activiteit. Zonder bevestiging gaan ze "
                 "na een tijd van de openbare site.\n\n%(lines)s") % {
            "organisation": organisation.name, "months": stale_months, "lines": lines}
    return _queue("stale_reminder", subject, body, recipients, organisation.gemeente_id,
                  ("core.organisation", organisation.pk))
