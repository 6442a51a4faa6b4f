"""vinden's e-mails in the one outbox (core.OutboxMessage): the intake writes them in the signal's transaction,
`samen send_notifications` (the look_again and outbox jobs) sends each once, retries failures after a pause a
limited number of times, and two senders at the same time never send the same e-mail."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from samen.core import outbox
from samen.core.models import Organisation, OutboxMessage
from samen.vinden import notifications, workflow
from samen.vinden.services.signals import submit_signal, triage

pytestmark = pytest.mark.django_db

NOORD_OOST = {"postcode": "1211BJ", "house_number": 7}


def about(signal, kind=None):
    rows = OutboxMessage.objects.filter(about_type="vinden.signal", about_id=signal.pk)
    return rows.filter(kind=f"vinden.{kind}") if kind else rows


def unsent():
    return OutboxMessage.objects.filter(sent_at__isnull=True)


class FailingBackend(LocmemBackend):
    """A mail server that refuses every message."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


class DownBackend(LocmemBackend):
    """A mail server that cannot be reached at all."""

    def open(self):
        raise TimeoutError("no answer")


def signal_in_noord_oost(hilversum, **extra):
    return submit_signal(hilversum, channel="staff", data={**NOORD_OOST, "description": "x", **extra}).signal


def test_the_intake_writes_the_outbox_and_sends_nothing_itself(hilversum):
    signal = signal_in_noord_oost(hilversum, name="Mevrouw Geheim")
    rows = list(about(signal))
    assert rows and not mail.outbox
    assert {r.kind for r in rows} == {"vinden.signal_received"}
    assert all(r.gemeente_id == hilversum.pk and r.sent_at is None and r.attempts == 0 for r in rows)
    assert all(r.address == r.recipient.email and r.next_attempt_at is not None for r in rows)
    assert "partner@demo.samen.invalid" in {r.address for r in rows}
    for row in rows:  # no personal data, exactly the text the e-mail had before the outbox
        assert "Geheim" not in row.body + row.subject and "1211BJ" not in row.body + row.subject
        where = signal.wijk.display_name
        assert "Noord-Oost" in where and row.subject == f"Nieuw signaal voor {where}"
        assert row.body.startswith(f"Er is een nieuw signaal binnengekomen voor {where}. Triage uiterlijk ")
        assert row.body.endswith(f"http://127.0.0.1:8000/signalen/{signal.pk}/"), "SAMEN_PUBLIC_URL's default"
    assert len({r.recipient.email for r in rows}) == len(rows), "one e-mail per address"


def test_a_rolled_back_signal_leaves_no_e_mail_behind(hilversum):
    before = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        signal_in_noord_oost(hilversum)
        assert OutboxMessage.objects.count() > before
        raise RuntimeError("the request failed after the intake")
    assert OutboxMessage.objects.count() == before


def test_the_sender_sends_each_e_mail_once(hilversum, capsys):
    signal_in_noord_oost(hilversum)
    waiting = unsent().count()
    assert waiting
    call_command("send_notifications")
    assert f"{waiting} sent, 0 failed" in capsys.readouterr().out
    assert len(mail.outbox) == waiting
    assert not unsent().exists()
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    call_command("send_notifications")
    assert len(mail.outbox) == waiting, "a second run sends nothing again"
    assert capsys.readouterr().out == "", "a run with nothing to do is silent (cron mails any output)"


def test_small_batches_send_everything(hilversum):
    for number in (1, 3, 5):
        signal_in_noord_oost(hilversum, house_number=number)
    waiting = unsent().count()
    report = outbox.send_due(batch_size=2)
    assert report.sent == waiting == len(mail.outbox)


def test_assignment_and_linked_signal_e_mails_go_through_the_outbox(hilversum, demo_user):
    first = signal_in_noord_oost(hilversum, name="J. Pronk", birth_year=1946)
    triage(demo_user("sociaalwerker"), first.pk, workflow.Decision.SOCIAL_WORK)
    assigned = about(first, "assigned").get()
    assert assigned.recipient == demo_user("sociaalwerker")
    second = signal_in_noord_oost(hilversum, name="mevr. Pronk", birth_year=1946)
    linked = about(second, "duplicate_found").get()
    assert linked.recipient == demo_user("sociaalwerker") and str(first.pk) in linked.body
    assert "Pronk" not in linked.body


def test_failures_are_kept_retried_after_a_pause_and_given_up_after_the_limit(hilversum, settings, capsys):
    settings.EMAIL_BACKEND = "samen.vinden.tests.test_outbox.FailingBackend"
    signal_in_noord_oost(hilversum)
    rows = unsent()
    n = rows.count()
    call_command("send_notifications", "--max-attempts", "2")
    assert f"0 sent, {n} failed" in capsys.readouterr().out
    assert set(rows.values_list("attempts", flat=True)) == {1}
    assert set(rows.values_list("last_error", flat=True)) == {"ConnectionRefusedError: the mail server is down"}
    call_command("send_notifications", "--max-attempts", "2")
    assert capsys.readouterr().out == "", "not tried again before the pause is over"
    later = timezone.now() + outbox.backoff(1)
    assert outbox.send_due(now=later, max_attempts=2).given_up == n
    assert set(rows.values_list("attempts", flat=True)) == {2}
    assert not rows.filter(next_attempt_at__isnull=False).exists(), "given up: nothing left to try"
    assert outbox.send_due(now=later + outbox.backoff(5), max_attempts=2).given_up == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.retry_given_up() == n
    assert outbox.send_due().sent == n, "after the outage the beheerder tries them again"
    assert not unsent().exists() and len(mail.outbox) == n
    assert set(OutboxMessage.objects.values_list("last_error", flat=True)) == {""}


def test_an_unreachable_mail_server_fails_the_batch_without_losing_it(hilversum, settings):
    settings.EMAIL_BACKEND = "samen.vinden.tests.test_outbox.DownBackend"
    signal_in_noord_oost(hilversum)
    report = outbox.send_due()
    assert report.sent == 0 and report.failed == unsent().count() > 0
    assert OutboxMessage.objects.filter(last_error="TimeoutError: no answer").count() == report.failed


def test_a_closed_account_is_skipped(hilversum, demo_user):
    signal_in_noord_oost(hilversum)
    partner = demo_user("partner")
    partner.is_active = False
    partner.save()
    report = outbox.send_due()
    assert report.skipped == 1 and "partner@demo.samen.invalid" not in {a for m in mail.outbox for a in m.to}
    row = OutboxMessage.objects.get(recipient=partner)
    assert row.sent_at is not None and "closed" in row.last_error


class SlowBackend(LocmemBackend):
    """Holds the first sender inside its batch until the second one has run."""

    first_inside = threading.Event()
    release = threading.Event()
    sent: list = []

    def send_messages(self, messages):
        if threading.current_thread().name == "first":
            SlowBackend.first_inside.set()
            assert SlowBackend.release.wait(30)
        SlowBackend.sent.extend((threading.current_thread().name, m.to[0]) for m in messages)
        return len(messages)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need PostgreSQL (the SQLite test database "
                    "is in memory); the two-server test runs the same on one database")
def test_two_senders_at_once_never_send_the_same_e_mail(hilversum, settings):
    settings.EMAIL_BACKEND = "samen.vinden.tests.test_outbox.SlowBackend"
    for number in (1, 3, 5, 9):
        signal_in_noord_oost(hilversum, house_number=number)
    total = unsent().count()
    results = {}

    def run(name, batch_size):
        try:
            results[name] = outbox.send_due(batch_size=batch_size)
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first", 2), name="first")
    first.start()
    assert SlowBackend.first_inside.wait(30)
    second = threading.Thread(target=run, args=("second", 100), name="second")
    second.start()
    second.join(30)  # the first holds its 2 messages claimed; the second sends the rest without waiting
    SlowBackend.release.set()
    first.join(30)
    sent = SlowBackend.sent
    assert len(sent) == total == results["first"].sent + results["second"].sent
    assert results["second"].sent == total - 2 and {name for name, _ in sent} == {"first", "second"}
    assert not unsent().exists()
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


def test_who_is_told_follows_a_change_of_wijken_or_account_at_once(hilversum, django_capture_on_commit_callbacks):
    from samen.core.models import Wijk
    from samen.core.roles import Role
    from samen.core.tests.factories import UserFactory

    first = signal_in_noord_oost(hilversum)  # the network's people are now cached
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = UserFactory(gemeente=hilversum, role=Role.PARTNER, email="nieuw@demo.samen.invalid")
        newcomer.wijken.add(Wijk.objects.get(code="WK040207"))
    second = signal_in_noord_oost(hilversum, house_number=3)
    assert not about(first).filter(recipient=newcomer).exists()
    assert about(second).filter(recipient=newcomer).exists()
    with django_capture_on_commit_callbacks(execute=True):
        newcomer.is_active = False
        newcomer.save()
    third = signal_in_noord_oost(hilversum, house_number=5)
    assert not about(third).filter(recipient=newcomer).exists()
    with django_capture_on_commit_callbacks() as hooks:
        newcomer.last_login = newcomer.date_joined
        newcomer.save(update_fields=["last_login"])
    assert not hooks, "a login does not empty the cache"


# --- maatwerk: looking again on the agreed date -----------------------------------------------------

def maatwerk(hilversum, demo_user, days: int):
    signal = signal_in_noord_oost(hilversum, name="Mevrouw Maatwerk")
    hilverzorg = Organisation.objects.get(gemeente=hilversum, name="Hilverzorg")
    on = timezone.localdate() + datetime.timedelta(days=days)
    return triage(demo_user("partner"), signal.pk, workflow.Decision.MAATWERK, reason="wijkverpleging kent haar",
                  partner=hilverzorg, look_again_on=on)


def reminders(signal):
    return about(signal, "look_again")


def test_the_network_is_reminded_once_when_the_date_to_look_again_comes(hilversum, demo_user):
    signal = maatwerk(hilversum, demo_user, days=7)
    assert notifications.queue_look_again() == 0  # not yet
    on = signal.look_again_on
    assert notifications.queue_look_again(today=on) == 1
    assert notifications.queue_look_again(today=on) == 0  # safe to run twice
    assert notifications.queue_look_again(today=on + datetime.timedelta(days=3)) == 0  # once per date
    rows = list(reminders(signal))
    assert rows and {r.address for r in rows} >= {"partner@demo.samen.invalid"}
    for row in rows:
        assert row.subject == f"Signaal {signal.pk}: opnieuw bekijken"
        assert row.body.startswith("Hilverzorg doet maatwerk bij dit signaal.")
        assert "Mevrouw Maatwerk" not in row.body + row.subject  # no personal data in an e-mail
    signal.refresh_from_db()
    assert signal.look_again_reminded_on == on


def test_a_signal_picked_up_meanwhile_is_not_reminded(hilversum, demo_user):
    signal = maatwerk(hilversum, demo_user, days=7)
    triage(demo_user("sociaalwerker"), signal.pk, workflow.Decision.SOCIAL_WORK, reason="nu wel")
    assert notifications.queue_look_again(today=signal.look_again_on) == 0
    assert not reminders(signal).exists()


def test_send_notifications_queues_the_due_reminders_and_sends_them(hilversum, demo_user, monkeypatch):
    signal = maatwerk(hilversum, demo_user, days=1)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    call_command("send_notifications", verbosity=0)
    sent = [m for m in mail.outbox if m.subject == f"Signaal {signal.pk}: opnieuw bekijken"]
    assert sent and all(r.sent_at is not None for r in reminders(signal))
    call_command("send_notifications", verbosity=0)
    assert len([m for m in mail.outbox if m.subject == f"Signaal {signal.pk}: opnieuw bekijken"]) == len(sent)


def test_the_home_page_and_the_list_show_what_is_due(hilversum, demo_user, client_as, monkeypatch):
    signal = maatwerk(hilversum, demo_user, days=2)
    client = client_as("partner")
    assert "opnieuw bekeken" not in client.get(reverse("core:home")).content.decode()
    later = timezone.localdate() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert "1 signaal met maatwerk moet opnieuw bekeken worden" in client.get(reverse("core:home")).content.decode()
    page = client.get(reverse("vinden:signal_list")).content.decode()
    assert f"opnieuw bekijken (sinds {later:%d-%m-%Y})" in page and str(signal) in page
