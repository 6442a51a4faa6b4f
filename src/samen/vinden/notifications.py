"""E-mails about signals, through an outbox.

The intake writes a `Notification` row per recipient in the signal's own transaction (a rolled-back signal
leaves no mail behind, and the request does not wait for a mail server); `samen send_notifications`, run
from cron every minute, sends the unsent rows (`send_pending`). The e-mails say that something needs
attention and link to Samen; they never carry the resident's personal data (e-mail is not a safe place for
it). Subject and body are rendered when the row is written, in the language of that moment.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import policy
from samen.core.models import User

log = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_ATTEMPTS = 5
SEND_TIMEOUT = 30  # seconds, for the connection to the mail server


def _link(pk: int) -> str:
    base = (settings.CSRF_TRUSTED_ORIGINS or ["http://127.0.0.1:8000"])[0]
    return base.rstrip("/") + reverse("vinden:signal_detail", args=[pk])


def _enqueue(signal, kind: str, subject: str, body: str, people) -> int:
    """One outbox row per address. ``people``: users, or (user id, address) pairs of active users."""
    from samen.vinden.models import Notification

    pairs = [p if isinstance(p, tuple) else (p.pk, p.email) for p in people
             if p is not None and (isinstance(p, tuple) or (p.email and p.is_active))]
    by_address = {}
    for pk, email in sorted(pairs, key=lambda pair: pair[1]):
        by_address.setdefault(email, pk)
    rows = [Notification(gemeente_id=signal.gemeente_id, recipient_id=pk, signal_id=signal.pk, kind=kind,
                         subject=subject[:200], body=body) for pk in by_address.values()]
    Notification.objects.bulk_create(rows)
    return len(rows)


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
    whose date to look again has come; once per date. Returns the number of signals. Run by
    ``samen send_notifications`` before it sends, so no extra scheduled job is needed; safe to run twice
    (the signal is marked in the same transaction, its row locked while it is)."""
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


# --- the sender ------------------------------------------------------------------------------------

@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0  # tried and failed this run; tried again next run until MAX_ATTEMPTS
    given_up: int = 0  # failed for the last time this run
    skipped: int = 0  # the recipient's account was closed or has no address any more: not sent, done


def send_pending(*, batch_size: int = BATCH_SIZE, max_attempts: int = MAX_ATTEMPTS) -> SendReport:
    """Send every unsent notification once, oldest first, in batches of ``batch_size``.

    Each batch is one transaction that locks its rows (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL), so
    two senders running at the same time never send the same row: the second skips what the first holds.
    SQLite takes the write lock for the whole transaction (BEGIN IMMEDIATE), so there the runs simply take
    turns. A failed row counts an attempt and keeps its error; after ``max_attempts`` it is left alone.
    """
    from samen.vinden.models import Notification

    report = SendReport()
    last = 0
    while True:
        with transaction.atomic():
            rows = (Notification.objects.filter(sent_at__isnull=True, attempts__lt=max_attempts, pk__gt=last)
                    .select_related("recipient").order_by("pk"))
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True, of=("self",))
            batch = list(rows[:batch_size])
            if not batch:
                return report
            last = batch[-1].pk
            _send_batch(batch, report, max_attempts)


def _send_batch(batch, report: SendReport, max_attempts: int) -> None:
    from samen.vinden.models import Notification

    now = timezone.now()
    backend = mail.get_connection(fail_silently=False, timeout=SEND_TIMEOUT)
    try:
        try:
            backend.open()  # one connection to the mail server for the whole batch
            problem = None
        except Exception as exc:  # noqa: BLE001 -- the server is down: every row of the batch fails
            problem = exc
        for row in batch:
            user = row.recipient
            if not (user.is_active and user.email):
                row.sent_at, row.last_error = now, "not sent: the account is closed or has no e-mail address"
                report.skipped += 1
                continue
            row.attempts += 1
            try:
                if problem is not None:
                    raise problem
                mail.EmailMessage(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [user.email],
                                  connection=backend).send()
            except Exception as exc:  # noqa: BLE001 -- any failure of the mail server is kept and retried
                row.last_error = f"{type(exc).__name__}: {exc}"[:500]
                if row.attempts >= max_attempts:
                    report.given_up += 1
                    log.warning("notification %s not sent after %s attempts (%s)", row.pk, row.attempts,
                                type(exc).__name__)
                else:
                    report.failed += 1
                continue
            row.sent_at, row.last_error = timezone.now(), ""
            report.sent += 1
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection may fail too
            backend.close()
    Notification.objects.bulk_update(batch, ["sent_at", "attempts", "last_error"])
