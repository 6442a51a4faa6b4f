"""The one outbox for every e-mail Samen sends, and the one place that talks to the mail server.

``enqueue(...)`` writes one ``OutboxMessage`` per address, inside the caller's transaction: a rolled-back
change leaves no e-mail behind, and a request never waits for (or fails on) a mail server. The ``outbox`` job
(``samen jobs run``, every minute) calls ``send_due()``.

Sending, safe with any number of senders at once, on one PostgreSQL or SQLite database:

1. *claim*: a short transaction picks due messages (``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
   senders do not wait for each other; SQLite's write lock makes them take turns) and marks them with this
   sender's claim token and ``claimed_until`` (a conditional UPDATE: only rows nobody holds);
2. *send*: outside any transaction (no row lock and no database write lock held while the mail server
   answers), one SMTP connection per batch;
3. *record*: each message's outcome is written only where the claim is still this sender's.

A message whose sender died between 1 and 3 is claimed again once ``claimed_until`` has passed (``LEASE``):
the outbox delivers at least once, and exactly once unless a sender dies in the seconds between the mail
server's answer and the record. A failed message is tried again after a growing pause (``backoff``), at most
``MAX_ATTEMPTS`` times; the error stays with it. A sent message stays in the table as the record of what was
sent (to whom, when, about what; never a resident's personal data).

E-mail links start with ``settings.SAMEN_PUBLIC_URL`` (``public_url``). Nothing else in Samen may call
``send_mail``, ``send_mass_mail``, ``EmailMessage.send`` or ``mail.get_connection`` (a test walks the source).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core import mail
from django.db import connection, models, transaction
from django.utils import timezone

from samen.core.models import OutboxMessage, User

log = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_ATTEMPTS = 5
LEASE = dt.timedelta(minutes=10)  # longer than a batch can take, with SEND_TIMEOUT per message
SEND_TIMEOUT = 30  # seconds, for the connection to the mail server
CLOSED = "not sent: the account is closed or has no e-mail address"


def public_url(path: str) -> str:
    """An absolute link for an e-mail: the public base URL (SAMEN_PUBLIC_URL) and a path from reverse()."""
    return settings.SAMEN_PUBLIC_URL.rstrip("/") + "/" + path.lstrip("/")


def backoff(attempts: int) -> dt.timedelta:
    """The pause after the ``attempts``-th failure: 1, 4, 16, 64 minutes, ... at most 6 hours."""
    return min(dt.timedelta(minutes=4 ** (attempts - 1)), dt.timedelta(hours=6))


def _about(about) -> tuple[str, int | None]:
    if about is None:
        return "", None
    if isinstance(about, models.Model):
        return about._meta.label_lower, about.pk
    label, pk = about
    return label, pk


Recipient = User | tuple[int | None, str] | str


def _pairs(recipients: Iterable[Recipient | None]) -> dict[str, int | None]:
    """{address: user id or None}, one entry per address (the lowest user id wins), inactive users left out."""
    found: dict[str, int | None] = {}
    for item in recipients:
        if item is None:
            continue
        if isinstance(item, User):
            if not (item.is_active and item.email):
                continue
            pk, address = item.pk, item.email
        elif isinstance(item, str):
            pk, address = None, item
        else:
            pk, address = item
        if not address:
            continue
        if address not in found or (pk is not None and (found[address] is None or pk < found[address])):
            found[address] = pk
    return found


def enqueue(*, kind: str, subject: str, body: str, recipients: Iterable[Recipient | None], gemeente=None,
            about=None) -> int:
    """Queue one e-mail per address; returns the number queued. Call it inside the transaction of the change
    the e-mail is about. ``recipients``: users (inactive ones and those without an address are left out),
    (user id, address) pairs, or plain addresses. ``about``: a model instance or (app_label.model, id), for the
    record; ``gemeente``: a Gemeente or its id."""
    about_type, about_id = _about(about)
    gemeente_id = getattr(gemeente, "pk", gemeente)
    now = timezone.now()
    rows = [OutboxMessage(gemeente_id=gemeente_id, recipient_id=pk, address=address, kind=kind,
                          about_type=about_type, about_id=about_id, subject=subject[:200], body=body,
                          next_attempt_at=now)
            for address, pk in sorted(_pairs(recipients).items())]
    OutboxMessage.objects.bulk_create(rows)
    return len(rows)


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0  # tried and failed this run; tried again later until MAX_ATTEMPTS
    given_up: int = 0  # failed for the last time this run
    skipped: int = 0  # the recipient's account was closed or has no address any more: not sent, done

    def as_dict(self) -> dict:
        return asdict(self)


def _claim(now: dt.datetime, batch_size: int, max_attempts: int) -> tuple[str, list[OutboxMessage]]:
    token = secrets.token_hex(16)
    with transaction.atomic():
        due = (OutboxMessage.objects.filter(next_attempt_at__lte=now, attempts__lt=max_attempts)
               .filter(models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now)).order_by("id"))
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:batch_size])
        if not ids:
            return token, []
        # The same conditions again: on a database without row locks this UPDATE is the claim itself.
        (OutboxMessage.objects.filter(id__in=ids, next_attempt_at__lte=now)
         .filter(models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now))
         .update(claim=token, claimed_until=now + LEASE))
    return token, list(OutboxMessage.objects.filter(claim=token).select_related("recipient").order_by("id"))


def send_due(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE,
             max_attempts: int = MAX_ATTEMPTS) -> SendReport:
    """Send every message that is due, oldest first, in batches; see the module's docstring."""
    report = SendReport()
    now = now or timezone.now()
    while True:
        token, batch = _claim(now, batch_size, max_attempts)
        if not batch:
            return report
        _send_batch(token, batch, report, max_attempts, now)


def _address(message: OutboxMessage) -> str | None:
    """Where the message goes now: the account's current address, or the stored one for a plain address."""
    user = message.recipient
    if message.recipient_id is None:
        return message.address or None
    if user is None or not (user.is_active and user.email):
        return None
    return user.email


def _send_batch(token: str, batch: list[OutboxMessage], report: SendReport, max_attempts: int,
                now: dt.datetime) -> None:
    backend = mail.get_connection(fail_silently=False, timeout=SEND_TIMEOUT)
    try:
        try:
            backend.open()  # one connection to the mail server for the whole batch
            problem = None
        except Exception as exc:  # noqa: BLE001 -- the server is down: every message of the batch fails
            problem = exc
        for message in batch:
            address = _address(message)
            if address is None:
                _record(token, message, sent_at=timezone.now(), last_error=CLOSED, next_attempt_at=None)
                report.skipped += 1
                continue
            attempts = message.attempts + 1
            try:
                if problem is not None:
                    raise problem
                mail.EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [address],
                                  connection=backend).send()
            except Exception as exc:  # noqa: BLE001 -- any failure of the mail server is kept and retried
                error = f"{type(exc).__name__}: {exc}"[:500]
                if attempts >= max_attempts:
                    report.given_up += 1
                    log.warning("e-mail %s not sent after %s attempts (%s)", message.pk, attempts,
                                type(exc).__name__)
                    _record(token, message, attempts=attempts, last_error=error, next_attempt_at=None)
                else:
                    report.failed += 1
                    _record(token, message, attempts=attempts, last_error=error,
                            next_attempt_at=now + backoff(attempts))
                continue
            _record(token, message, attempts=attempts, sent_at=timezone.now(), last_error="", address=address,
                    next_attempt_at=None)
            report.sent += 1
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection may fail too
            backend.close()


def _record(token: str, message: OutboxMessage, **fields) -> None:
    """Write the outcome, only while the claim is still ours (a sender that overran its lease loses it)."""
    OutboxMessage.objects.filter(pk=message.pk, claim=token).update(claim="", claimed_until=None, **fields)


def retry_given_up(*, kind: str | None = None) -> int:
    """Give every message that was given up a new set of attempts (after a long outage of the mail server)."""
    rows = OutboxMessage.objects.filter(sent_at__isnull=True, next_attempt_at__isnull=True)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.update(attempts=0, next_attempt_at=timezone.now())


def _job() -> dict:
    return send_due().as_dict()


def _register_job() -> None:
    from samen.core import jobs

    jobs.register("outbox", _job, every=dt.timedelta(minutes=1), lease=LEASE,
                  help="Send the e-mails that are due (samen.core.outbox).")


_register_job()
