"""The notification outbox, and the table of the database cache (the `throttle` alias in settings.CACHES).

The cache table is made here so that every `samen migrate` (the demo, production, the test databases that
pytest-django migrates) has it; `createcachetable` is idempotent and makes the table of every
DatabaseCache in the settings."""

import django.db.models.deletion
from django.conf import settings
from django.core.management import call_command
from django.db import migrations, models


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps, schema_editor):
    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache

    for alias in settings.CACHES:
        if isinstance(caches[alias], BaseDatabaseCache):
            schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(caches[alias]._table)}")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_resident_address_index'),
        ('vinden', '0002_home_visits'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('signal_received', 'nieuw signaal'), ('assigned', 'toegewezen'), ('duplicate_found', 'gekoppeld signaal')], max_length=20)),
                ('subject', models.CharField(max_length=200)),
                ('body', models.TextField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('last_error', models.CharField(blank=True, max_length=500)),
                ('gemeente', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.gemeente')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('signal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='vinden.signal')),
            ],
            options={
                'verbose_name': 'e-mailbericht',
                'verbose_name_plural': 'e-mailberichten',
                'ordering': ['id'],
                'indexes': [models.Index(condition=models.Q(('sent_at__isnull', True)), fields=['id'], name='vinden_notification_unsent')],
            },
        ),
        migrations.RunPython(create_cache_tables, drop_cache_tables),
    ]
