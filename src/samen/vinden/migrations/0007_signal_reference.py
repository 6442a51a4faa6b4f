"""A reference (kenmerk) per signal, shown on the thank-you page; existing signals get one each."""

from django.db import migrations, models

import samen.vinden.models


def fill_references(apps, schema_editor):
    Signal = apps.get_model("vinden", "Signal")
    for signal in Signal.objects.only("pk").iterator():
        Signal.objects.filter(pk=signal.pk).update(reference=samen.vinden.models.new_reference())


class Migration(migrations.Migration):
    dependencies = [("vinden", "0006_notifications_into_core_outbox")]

    operations = [
        migrations.AddField(
            model_name="signal", name="reference",
            field=models.CharField(db_index=True, default=samen.vinden.models.new_reference,
                                   help_text="Het kenmerk dat de melder op de bedankpagina ziet.", max_length=9,
                                   verbose_name="kenmerk"),
        ),
        migrations.RunPython(fill_references, migrations.RunPython.noop),
    ]
