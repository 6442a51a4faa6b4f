"""E-mails about signals. They say that something needs attention and link to Samen; they never carry
the resident's personal data (e-mail is not a safe place for it)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from samen.core.models import User
from samen.core.roles import Role


def _link(pk: int) -> str:
    base = (settings.CSRF_TRUSTED_ORIGINS or ["http://127.0.0.1:8000"])[0]
    return base.rstrip("/") + reverse("vinden:signal_detail", args=[pk])


def _send(subject: str, body: str, users) -> int:
    addresses = sorted({u.email for u in users if u.email and u.is_active})
    if not addresses:
        return 0
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses],
                          fail_silently=True)


def _network_people(signal) -> list[User]:
    if signal.wijk_id is None:
        return list(User.objects.filter(gemeente=signal.gemeente_id, role=Role.REGISSEUR))
    return list(User.objects.filter(gemeente=signal.gemeente_id, wijken=signal.wijk_id,
                                    role__in=[Role.SOCIAAL_WERKER, Role.PARTNER]).distinct())


def signal_received(pk: int) -> int:
    from samen.vinden.models import Signal

    signal = Signal.objects.select_related("wijk").get(pk=pk)
    where = signal.wijk.display_name if signal.wijk else _("de centrale wachtrij")
    return _send(_("Nieuw signaal voor %(where)s") % {"where": where},
                 _("Er is een nieuw signaal binnengekomen voor %(where)s. Triage uiterlijk %(date)s.\n\n%(link)s")
                 % {"where": where, "date": signal.triage_deadline.strftime("%d-%m-%Y"), "link": _link(pk)},
                 _network_people(signal))


def assigned(pk: int) -> int:
    from samen.vinden.models import Signal

    signal = Signal.objects.select_related("assigned_to").get(pk=pk)
    return _send(_("Een signaal is aan u toegewezen"),
                 _("U pakt dit signaal op. Neem contact op met de inwoner.\n\n%(link)s") % {"link": _link(pk)},
                 [signal.assigned_to] if signal.assigned_to else [])


def duplicate_found(pk: int, existing_pk: int) -> int:
    from samen.vinden.models import Signal

    existing = Signal.objects.select_related("assigned_to").get(pk=existing_pk)
    people = [existing.assigned_to] if existing.assigned_to else _network_people(existing)
    return _send(_("Nieuw signaal over iemand die u al kent"),
                 _("Er is een nieuw signaal binnengekomen over dezelfde persoon of hetzelfde adres als signaal "
                   "%(existing)s. Het is eraan gekoppeld, zodat niet twee hulpverleners langs elkaar heen werken."
                   "\n\n%(link)s") % {"existing": existing_pk, "link": _link(pk)}, people)
