"""AVG: every read, change, export and erasure of a resident's data leaves an access-log entry,
no entry holds the data itself, and nobody can change or delete the log."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.urls import reverse

from samen.core.models import AccessLogEntry, PostcodeRange, Resident
from samen.core.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(hilversum, demo_user):
    """A resident at an address in a wijk that the social worker and the partner both work in."""
    wijk = demo_user("sociaalwerker").wijken.filter(pk__in=demo_user("partner").wijken.all()).first()
    address = PostcodeRange.objects.filter(buurt__wijk=wijk).order_by("postcode", "number_from").first()
    return ResidentFactory(buurt=address.buurt, postcode=address.postcode, house_number=address.number_from,
                           name="Mevrouw T. Testpersoon")


def _entries_for(resident):
    return AccessLogEntry.objects.filter(record_type="core.resident", record_id=str(resident.pk))


def test_viewing_a_resident_leaves_an_entry(client_as, resident, demo_user):
    before = _entries_for(resident).count()
    response = client_as("sociaalwerker").get(reverse("core:resident_detail", args=[resident.pk]))
    assert response.status_code == 200
    entry = _entries_for(resident).latest("id")
    assert _entries_for(resident).count() == before + 1
    assert (entry.actor, entry.action, entry.purpose) == (demo_user("sociaalwerker"), "view", "ondersteuning")
    assert entry.route == "core:resident_detail"
    assert entry.gemeente_id == resident.gemeente_id


def test_reading_through_the_api_leaves_an_entry(client_as, resident):
    response = client_as("partner").get(reverse("api:resident-detail", args=[resident.pk]))
    assert response.status_code == 200
    assert _entries_for(resident).filter(actor__username="partner", route="api:resident-detail").exists()


def test_a_list_logs_every_resident_it_shows(client_as, hilversum):
    response = client_as("regisseur").get(reverse("core:resident_list"))
    shown = list(response.context["page"].object_list)
    assert shown
    for resident in shown:
        assert _entries_for(resident).filter(actor__username="regisseur", purpose="regie").exists()


def test_export_and_erasure_are_logged(client_as, resident):
    client = client_as("regisseur")
    export = client.get(reverse("core:resident_export"))
    assert export.status_code == 200 and resident.name in export.content.decode()
    assert _entries_for(resident).filter(action="export", purpose="verantwoording").exists()
    pk = resident.pk
    assert client.post(reverse("core:resident_delete", args=[pk])).status_code == 302
    assert not Resident.objects.filter(pk=pk).exists()
    assert AccessLogEntry.objects.filter(record_id=str(pk), action="delete", purpose="inzageverzoek").exists()


def test_a_change_is_logged(client_as, resident):
    client_as("sociaalwerker").post(reverse("core:resident_update", args=[resident.pk]),
                                    {"name": resident.name, "postcode": resident.postcode,
                                     "house_number": resident.house_number, "phone": "06-12345678"})
    assert _entries_for(resident).filter(action="change", actor__username="sociaalwerker").exists()


def test_no_entry_contains_personal_data(client_as, hilversum):
    client = client_as("regisseur")
    residents = list(Resident.objects.filter(gemeente=hilversum))
    client.get(reverse("core:resident_list"))
    for resident in residents:
        client.get(reverse("core:resident_detail", args=[resident.pk]))
        client.get(reverse("api:resident-detail", args=[resident.pk]))
    client.get(reverse("core:resident_export"))
    secrets = set()
    for resident in residents:
        secrets |= {resident.name, resident.postcode, resident.phone, resident.email,
                    str(resident.birth_year), *resident.name.split()}
    secrets = {s for s in secrets if s and len(s) > 3}
    # Timestamps and numeric keys are left out: a birth year can turn up among microseconds by chance.
    text_fields = [f.attname for f in AccessLogEntry._meta.concrete_fields if f.attname not in {"id", "at"}]
    for entry in AccessLogEntry.objects.all():
        values = " ".join(str(getattr(entry, name)) for name in text_fields)
        leaked = [s for s in secrets if s in values]
        assert not leaked, f"access-log entry {entry.pk} holds personal data: {leaked}"


def test_the_log_cannot_be_changed_or_deleted(client_as, resident):
    client_as("regisseur").get(reverse("core:resident_detail", args=[resident.pk]))
    entry = _entries_for(resident).latest("id")
    entry.purpose = "regie"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="regie")
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL")
def test_postgresql_refuses_changes_that_bypass_the_orm(client_as, resident):
    from django.db import DatabaseError

    client_as("regisseur").get(reverse("core:resident_detail", args=[resident.pk]))
    entry = _entries_for(resident).latest("id")
    for sql in ("UPDATE core_accesslogentry SET purpose = 'regie' WHERE id = %s",
                "DELETE FROM core_accesslogentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])


def test_the_api_offers_no_way_to_write_the_log(client_as, resident):
    client = client_as("beheerder")
    entry_id = AccessLogEntry.objects.create(gemeente=resident.gemeente, actor_label="x", action="view",
                                             record_type="core.resident", record_id="1", purpose="regie").pk
    for method in ("post", "put", "patch", "delete"):
        url = reverse("api:accesslog-detail", args=[entry_id]) if method != "post" else reverse("api:accesslog-list")
        assert getattr(client, method)(url, data={}, content_type="application/json").status_code in (403, 405)
    assert AccessLogEntry.objects.filter(pk=entry_id).exists()


def test_the_regisseur_filters_the_log(client_as, resident):
    client_as("partner").get(reverse("core:resident_detail", args=[resident.pk]))
    client = client_as("regisseur")
    page = client.get(reverse("core:accesslog"), {"actor": "partner", "record_id": resident.pk})
    entries = list(page.context["page"].object_list)
    assert entries and all(e.actor_label == "partner" and e.record_id == str(resident.pk) for e in entries)
    api = client.get(reverse("api:accesslog-list"), {"actor": "partner", "action": "view"}).json()
    assert api["count"] >= 1 and all(r["actor"] == "partner" for r in api["results"])
    bad = client.get(reverse("api:accesslog-list"), {"action": "steal", "date_from": "gisteren"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert "action" in bad.json()["errors"] and "date_from" in bad.json()["errors"]


def test_the_log_reads_as_sentences_without_internal_names(client_as, resident):
    client_as("sociaalwerker").get(reverse("core:resident_detail", args=[resident.pk]))
    page = client_as("regisseur").get(reverse("core:accesslog"), {"actor": "S. de Vries"})
    html = page.content.decode()
    sentences = [row["sentence"] for row in page.context["rows"]]
    assert f"Sociaal werker S. de Vries bekeek inwoner #{resident.pk}, voor: ondersteuning van de inwoner" in sentences
    assert "Inwoners" in [row["screen"] for row in page.context["rows"]]
    for internal in ("core.resident", "core:resident_detail", "sociaalwerker</"):
        assert internal not in html


def test_the_log_filters_on_purpose_and_sorts_oldest_first(client_as, resident):
    client_as("partner").get(reverse("core:resident_detail", args=[resident.pk]))
    client_as("partner").get(reverse("core:resident_detail", args=[resident.pk]))
    page = client_as("regisseur").get(reverse("core:accesslog"), {"purpose": "ondersteuning", "sort": "oudste"})
    entries = list(page.context["page"].object_list)
    assert entries and all(e.purpose == "ondersteuning" for e in entries)
    assert [e.at for e in entries] == sorted(e.at for e in entries)


@pytest.mark.parametrize("n", [0, 1, 3, 501])
def test_record_writes_what_bulk_create_would_write(hilversum, demo_user, n):
    """core.accesslog.record writes plain multi-row INSERTs (in batches of 500); the rows read back are
    those bulk_create writes for the same entries, every field, on SQLite and PostgreSQL."""
    import datetime

    from django.utils import timezone

    from samen.core import accesslog
    from samen.core.models import AccessAction, Purpose

    worker = demo_user("sociaalwerker")
    some = ResidentFactory.create_batch(3)
    records = [some[i % 3] for i in range(n)]  # a record may be logged more than once in a batch
    start = timezone.now()
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))
    assert accesslog.record(actor=worker, action=AccessAction.VIEW, records=records, purpose=Purpose.ONDERSTEUNING,
                            route="x" * 120) == n
    written = list(AccessLogEntry.objects.exclude(pk__in=before).order_by("id"))
    expected = [AccessLogEntry(gemeente_id=r.gemeente_id, actor=worker, actor_label=worker.get_username(),
                               action=AccessAction.VIEW, record_type="core.resident", record_id=str(r.pk),
                               purpose=Purpose.ONDERSTEUNING, route="x" * 100) for r in records]
    fields = ["gemeente_id", "actor_id", "actor_label", "action", "record_type", "record_id", "purpose", "route"]
    assert [[getattr(e, f) for f in fields] for e in written] == [[getattr(e, f) for f in fields] for e in expected]
    assert all(start <= e.at <= timezone.now() + datetime.timedelta(seconds=1) for e in written)
    assert all(e.at.utcoffset() == datetime.timedelta(0) for e in written)  # aware UTC, as Django stores it
    # Anonymous and channel actors, as before.
    assert accesslog.record(actor=None, action=AccessAction.VIEW, records=records[:1], purpose=Purpose.ONDERSTEUNING,
                            channel="publiek") == min(n, 1)
    if n:
        last = AccessLogEntry.objects.order_by("-id").first()
        assert last.actor_id is None and last.actor_label == "publiek"
