"""E-mails about signals, through the one outbox (samen.core.outbox).

The intake writes one outbox message per recipient in the signal's own transaction (a rolled-back signal
leaves no mail behind, and the request does not wait for a mail server); the ``outbox`` job (``samen jobs
run``) sends them. The e-mails say that something needs attention and link to Samen; they never carry the
resident's personal data (e-mail is not a safe place for it). Subject and body are rendered when the message
is written, in the language of that moment. The look-again reminders are the ``look_again`` job (vinden.jobs).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import outbox, policy
from samen.core.models import User


def _link(pk: int) -> str:
    return outbox.public_url(reverse("vinden:signal_detail", args=[pk]))


def _enqueue(signal, kind: str, subject: str, body: str, people) -> int:
    """One outbox message per address. ``people``: users, or (user id, address) pairs of active users."""
    return outbox.enqueue(kind=f"vinden.{getattr(kind, 'value', kind)}", subject=subject, body=body, recipients=people,
                          gemeente=signal.gemeente_id, about=("vinden.signal", signal.pk))


def _network_people(signal) -> list[tuple[int, str]]:
    """(id, address) of the active users told of a wijk's signals: its social workers and partners, or the
    regisseurs for the central queue. Cached like the routes (samen.vinden.routes: a short TTL, and a new
    version token when a user, a user's wijken, or a network changes)."""
    from django.core.cache import caches

    from samen.vinden import routes

    key = f"people:{routes.version()}:{signal.gemeente_id}:{signal.wijk_id}"
    people = caches["routes"].get(key)
    if people is None:
        if signal.wijk_id is None:
            users = User.objects.filter(gemeente=signal.gemeente_id, role__in=policy.roles_with("signal.central_queue"))
        else:
            users = User.objects.filter(gemeente=signal.gemeente_id, wijken=signal.wijk_id,
                                        role__in=policy.roles_with("signal.wijk_alerts")).distinct()
        people = list(users.filter(is_active=True).exclude(email="").values_list("pk", "email").order_by("pk"))
        caches["routes"].set(key, people, routes.TTL)
    return people


def signal_received(signal) -> int:
    """The wijk's network (or, for the central queue, the regisseur) is told of a new signal."""
    from samen.vinden.models import NotificationKind

    where = signal.wijk.display_name if signal.wijk_id else _("de centrale wachtrij")
    return _enqueue(signal, NotificationKind.SIGNAL_RECEIVED,
                    _("Nieuw signaal voor %(where)s") % {"where": where},
                    _("Er is een nieuw signaal binnengekomen voor %(where)s. Triage uiterlijk %(date)s.\n\n%(link)s")
                    % {"where": where, "date": signal.triage_deadline.strftime("%d-%m-%Y"),
                       "link": _link(signal.pk)},
                    _network_people(signal))


def assigned(signal) -> int:
    """The social worker who picks the signal up is told."""
    from samen.vinden.models import NotificationKind

    return _enqueue(signal, NotificationKind.ASSIGNED, _("Een signaal is aan u toegewezen"),
                    _("U pakt dit signaal op. Neem contact op met de inwoner.\n\n%(link)s")
                    % {"link": _link(signal.pk)},
                    [signal.assigned_to] if signal.assigned_to_id else [])


def duplicate_found(signal, existing) -> int:
    """The worker who has the person already (or the network, while nobody has) is told of the new signal."""
    from samen.vinden.models import NotificationKind

    people = [existing.assigned_to] if existing.assigned_to_id else _network_people(existing)
    return _enqueue(signal, NotificationKind.DUPLICATE_FOUND, _("Nieuw signaal over iemand die u al kent"),
                    _("Er is een nieuw signaal binnengekomen over dezelfde persoon of hetzelfde adres als signaal "
                      "%(existing)s. Het is eraan gekoppeld, zodat niet twee hulpverleners langs elkaar heen werken."
                      "\n\n%(link)s") % {"existing": existing.pk, "link": _link(signal.pk)}, people)


def queue_look_again(today=None) -> int:
    """Remind the network (or, for the central queue, the regisseur) of every signal with a partner's maatwerk
    whose date to look again has come; once per date. Returns the number of signals. The
    ``look_again`` job; safe to run twice and at once on two machines (the signal is marked in the same
    transaction, its row locked while it is)."""
    from samen.vinden.models import NotificationKind, Signal
    from samen.vinden.services.signals import look_again_due

    today = today or timezone.localdate()
    done = 0
    with transaction.atomic():
        due = (look_again_due(Signal.objects.all(), today).filter(look_again_reminded_on__isnull=True)
               .select_related("wijk", "maatwerk_partner").order_by("pk"))
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        for signal in due:
            partner = signal.maatwerk_partner.name if signal.maatwerk_partner_id else _("een partner")
            _enqueue(signal, NotificationKind.LOOK_AGAIN, _("Signaal %(pk)s: opnieuw bekijken") % {"pk": signal.pk},
                     _("%(partner)s doet maatwerk bij dit signaal. U sprak af er vandaag opnieuw naar te kijken: "
                       "kan sociaal werk het nu oppakken, of is het klaar?\n\n%(link)s")
                     % {"partner": partner, "link": _link(signal.pk)}, _network_people(signal))
            signal.look_again_reminded_on = today
            signal.save(update_fields=["look_again_reminded_on"])
            done += 1
    return done
