"""The one write path for a municipality's own settings (the beheerder's screen "Instellingen").

What each setting steers: ``min_cell_size`` the smallest number of respondents behind a published survey
figure (weten), ``min_effective_n`` the smallest effective number of respondents (Kish) behind one,
``ci_method`` how the monitor computes its 95% intervals (Korn-Graubard, logit or Wald; docs/monitor.md "Methoden"),
``triage_working_days`` the deadline for triage of a new signal (vinden; counts from the next new signal on),
``catalogue_stale_months`` when an activity not confirmed by its provider is flagged and the provider reminded,
``catalogue_hide_months`` when it leaves the public site (kwaliteit); ``province`` the province in addresses of
the open data (HSDS), ``public_host`` the host name of the municipality's public site (core.public); the
``PUBLIC_SITE`` fields the public site's footer, its privacy and accessibility statements and the phone number
for residents without internet (core.site).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samen.core import policy
from samen.core.models import Gemeente, User

PUBLIC_SITE = ("logo_url", "contact_phone", "contact_hours", "contact_email", "contact_address", "privacy_statement",
               "accessibility_status", "accessibility_scope", "accessibility_date", "accessibility_notes")
SETTINGS = ("min_cell_size", "min_effective_n", "ci_method", "triage_working_days", "catalogue_stale_months",
            "catalogue_hide_months", "province", "public_host", *PUBLIC_SITE)
log = logging.getLogger(__name__)


@transaction.atomic
def change_settings(actor: User, data: dict) -> Gemeente:
    """Save the actor's municipality's settings; all or nothing. Raises ValidationError naming the field."""
    if not policy.can(actor, "gemeente.change"):
        raise PermissionDenied(_("U mag de instellingen van de gemeente niet wijzigen."))
    gemeente = Gemeente.objects.select_for_update().get(pk=actor.gemeente_id)
    before = {name: getattr(gemeente, name) for name in SETTINGS}
    for name in SETTINGS:
        if name in data:
            setattr(gemeente, name, data[name])
    gemeente.public_host = (gemeente.public_host or "").strip().lower()
    gemeente.province = (gemeente.province or "").strip()
    for name in ("contact_phone", "contact_hours", "contact_address", "privacy_statement", "accessibility_scope",
                 "accessibility_notes"):
        setattr(gemeente, name, (getattr(gemeente, name) or "").strip())
    gemeente.full_clean(validate_constraints=False)  # each field's limits first, named by field
    if gemeente.public_host and Gemeente.objects.filter(public_host=gemeente.public_host).exclude(
            pk=gemeente.pk).exists():
        raise ValidationError({"public_host": _("Dit adres is al van een andere gemeente.")})
    if gemeente.catalogue_hide_months <= gemeente.catalogue_stale_months:  # the constraint, in words
        raise ValidationError({"catalogue_hide_months": _(
            "Een activiteit gaat pas van de site nadat ze verouderd is: kies meer maanden dan bij 'verouderd na' "
            "(%(months)s).") % {"months": gemeente.catalogue_stale_months}})
    gemeente.save(update_fields=list(SETTINGS))
    changed = {name: (before[name], getattr(gemeente, name)) for name in SETTINGS
               if before[name] != getattr(gemeente, name)}
    if changed:  # settings, not personal data: the values may be logged (long texts only by name)
        log.info("gemeente %s settings changed by user %s: %s", gemeente.code, actor.pk,
                 ", ".join(name if name in PUBLIC_SITE else f"{name} {old} -> {new}"
                           for name, (old, new) in changed.items()))
    return gemeente
