"""The one outbox: enqueue in the caller's transaction, one message per address, links from SAMEN_PUBLIC_URL,
a claim that a second sender respects, a pause before a retry, and no other way out for an e-mail."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from samen.core import outbox
from samen.core.models import OutboxMessage
from samen.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PACKAGE = Path(outbox.__file__).resolve().parents[1]
FORBIDDEN = {"send_mail", "send_mass_mail", "get_connection", "mail_admins", "mail_managers"}


def _mail_calls(path: Path) -> list[str]:
    """Where a file sends mail itself: a call of send_mail & co., of mail.get_connection, or of .send() on an
    e-mail message (EmailMessage(...).send(), message.send() after building one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    builds_messages = any(isinstance(node, ast.Name | ast.Attribute)
                          and (getattr(node, "id", None) or getattr(node, "attr", None))
                          in ("EmailMessage", "EmailMultiAlternatives") for node in ast.walk(tree))
    imported = {alias.asname or alias.name for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail")
                for alias in node.names}
    found = [f"{path.name}: imports {name} from django.core.mail" for name in sorted(imported & FORBIDDEN)]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            through_mail = isinstance(func.value, ast.Name) and func.value.id == "mail"
            if (through_mail and func.attr in FORBIDDEN) or (func.attr == "send" and builds_messages):
                found.append(f"{path.name}:{node.lineno} calls {func.attr}")
        elif isinstance(func, ast.Name) and func.id in imported & FORBIDDEN:
            found.append(f"{path.name}:{node.lineno} calls {func.id}")
    return found


def test_no_e_mail_leaves_samen_except_through_the_outbox():
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "tests" in path.parts or path == Path(outbox.__file__).resolve():
            continue
        calls = _mail_calls(path)
        if calls:
            offenders[str(path.relative_to(PACKAGE))] = calls
    assert offenders == {}, "mail goes through samen.core.outbox.enqueue only"
    assert _mail_calls(Path(outbox.__file__)), "the check finds the outbox's own sending (so it can fail)"


def test_the_check_catches_each_way_of_sending(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from django.core.mail import send_mail, EmailMessage\n"
                      "from django.core import mail\n"
                      "send_mail('s', 'b', None, ['a@b.invalid'], fail_silently=True)\n"
                      "mail.send_mass_mail([])\n"
                      "EmailMessage('s', 'b').send()\n"
                      "mail.get_connection()\n")
    found = _mail_calls(sample)
    assert found[0] == "sample.py: imports send_mail from django.core.mail"
    assert sorted(f.split(" ")[0] for f in found[1:]) == [f"sample.py:{n}" for n in (3, 4, 5, 6)]


def test_one_message_per_address_in_the_callers_transaction(hilversum):
    user = UserFactory(gemeente=hilversum, email="een@voorbeeld.invalid")
    closed = UserFactory(gemeente=hilversum, email="weg@voorbeeld.invalid", is_active=False)
    n = outbox.enqueue(kind="test.hello", subject="Hallo", body="Tekst", gemeente=hilversum,
                       recipients=[user, user, closed, None, "los@voorbeeld.invalid", (user.pk, user.email)],
                       about=("test.thing", 7))
    assert n == 2 and not mail.outbox
    rows = OutboxMessage.objects.filter(kind="test.hello").order_by("address")
    assert [(r.address, r.recipient_id) for r in rows] == [("een@voorbeeld.invalid", user.pk),
                                                          ("los@voorbeeld.invalid", None)]
    assert {(r.about_type, r.about_id, r.gemeente_id) for r in rows} == {("test.thing", 7, hilversum.pk)}


def test_links_start_with_the_public_url(settings):
    settings.SAMEN_PUBLIC_URL = "https://samen.example.nl"
    settings.CSRF_TRUSTED_ORIGINS = ["https://iets-anders.example.nl"]
    assert outbox.public_url("/signalen/3/") == "https://samen.example.nl/signalen/3/"


def test_a_claimed_message_is_left_to_its_sender_until_the_lease_passes(hilversum):
    outbox.enqueue(kind="test.claim", subject="s", body="b", recipients=["a@voorbeeld.invalid"])
    OutboxMessage.objects.filter(sent_at__isnull=True).exclude(kind="test.claim").update(next_attempt_at=None)
    now = timezone.now()
    token, batch = outbox._claim(now, 10, outbox.MAX_ATTEMPTS)
    assert [m.kind for m in batch] == ["test.claim"]
    assert outbox.send_due(now=now).sent == 0, "another sender holds it"
    assert outbox.send_due(now=now + outbox.LEASE + dt.timedelta(seconds=1)).sent == 1, "its sender died"
    outbox._record(token, batch[0], sent_at=now)  # the first sender, late: its claim is gone, nothing written
    assert OutboxMessage.objects.get(kind="test.claim").sent_at != now
    assert len(mail.outbox) == 1


def test_the_pause_grows_and_has_a_ceiling():
    assert [outbox.backoff(n) for n in (1, 2, 3)] == [dt.timedelta(minutes=m) for m in (1, 4, 16)]
    assert outbox.backoff(20) == dt.timedelta(hours=6)


def test_the_outbox_is_a_registered_job():
    from samen.core import jobs

    assert jobs.get("outbox").every == dt.timedelta(minutes=1)
