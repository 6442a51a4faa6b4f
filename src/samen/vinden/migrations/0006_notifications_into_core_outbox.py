"""vinden's e-mail outbox (vinden.Notification) becomes the one outbox of core (core.OutboxMessage).

Every row moves, sent or not: a sent one as the record of what was sent, an unsent one to be sent by the
`outbox` job. The kind gets the app's prefix ("vinden.signal_received") and the signal becomes the generic
"about" reference ("vinden.signal", id). Then vinden's table goes."""

from django.db import migrations

BATCH = 1000


def forwards(apps, schema_editor):
    Notification = apps.get_model("vinden", "Notification")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    messages = OutboxMessage.objects.using(schema_editor.connection.alias)
    rows = Notification.objects.using(schema_editor.connection.alias).select_related("recipient").order_by("id")
    for row in rows.iterator(chunk_size=BATCH):
        waiting = row.sent_at is None and row.attempts < 5  # the old sender's limit
        message = messages.create(
            gemeente_id=row.gemeente_id, recipient_id=row.recipient_id, address=row.recipient.email or "",
            kind=f"vinden.{row.kind}", about_type="vinden.signal" if row.signal_id else "",
            about_id=row.signal_id, subject=row.subject, body=row.body, sent_at=row.sent_at,
            attempts=row.attempts, last_error=row.last_error, next_attempt_at=row.created_at if waiting else None)
        messages.filter(pk=message.pk).update(created_at=row.created_at)  # auto_now_add set "now"


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0009_outbox_jobs_ratecounts_cacheversions"),
        ("vinden", "0005_reported_contact_and_fingerprint"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
