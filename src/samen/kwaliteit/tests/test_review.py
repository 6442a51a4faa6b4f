"""The regisseur's review: the queue, a version's diff, approve or reject with a note, and the e-mails."""

from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from samen.core.models import Organisation, OutboxMessage
from samen.kwaliteit import review
from samen.kwaliteit.models import Activity
from samen.kwaliteit.review import VersionStatus
from samen.kwaliteit.services import catalogue
from samen.kwaliteit.tests.test_manage_views import form_data


@pytest.fixture
def meal(hilversum):
    return Activity.objects.get(organisation__name="Heikracht", title="Maandelijkse maaltijd in de Bethlehemkerk")


@pytest.fixture
def pending(meal):
    return meal.versions.get(status=VersionStatus.PENDING)


@pytest.fixture
def new_entry(client_as):
    """A new activity the demo provider just sent in."""
    client_as("aanbieder").post(reverse("kwaliteit:activity_create"), form_data())
    return Activity.objects.get(title="Samen eten in de Riebeeck").versions.get()


def test_the_queue_lists_pending_versions_oldest_first(client_as, pending, new_entry):
    response = client_as("regisseur").get(reverse("kwaliteit:review_queue"))
    rows = response.context["rows"]
    assert [row["version"].pk for row in rows] == [pending.pk, new_entry.pk]
    assert [row["is_new"] for row in rows] == [False, True]
    html = response.content.decode()
    assert "wijziging" in html and "nieuw" in html


def test_a_change_shows_what_it_changes_on_the_site(client_as, pending):
    response = client_as("regisseur").get(reverse("kwaliteit:version_review", args=[pending.pk]))
    assert response.status_code == 200
    labels = [change.label for change in response.context["against_live"]]
    assert labels == ["Zo doet u mee", "Dicht bij openbaar vervoer"]
    assert response.context["against_previous"] == response.context["against_live"]
    assert not response.context["show_previous"]  # the same table twice would say nothing new
    html = response.content.decode()
    assert "Wat verandert er op de site" in html and "Besluit vastleggen" in html


def test_a_second_try_after_a_rejection_shows_what_the_provider_changed(client_as, meal, pending):
    client_as("regisseur").post(reverse("kwaliteit:version_review", args=[pending.pk]),
                                {"decision": "reject", "note": "Geen vervoer beloven."})
    provider = client_as("aanbieder")
    initial = provider.get(reverse("kwaliteit:activity_edit", args=[meal.pk])).context["form"].initial
    data = {k: v for k, v in initial.items() if v not in (None, False, "")}
    assert data["how_to_join"] == meal.how_to_join  # after a rejection the form starts from the site's content
    data["near_public_transport"] = "on"  # this time only the transport changes
    assert provider.post(reverse("kwaliteit:activity_edit", args=[meal.pk]), data).status_code == 302
    second = meal.versions.get(status=VersionStatus.PENDING)
    response = client_as("regisseur").get(reverse("kwaliteit:version_review", args=[second.pk]))
    assert [c.label for c in response.context["against_live"]] == ["Dicht bij openbaar vervoer"]
    assert [c.label for c in response.context["against_previous"]] == ["Zo doet u mee"]
    assert response.context["show_previous"] and "Verschil met versie 2" in response.content.decode()


def test_approving_publishes_and_tells_the_provider(client_as, meal, pending, sent_mail,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("regisseur").post(reverse("kwaliteit:version_review", args=[pending.pk]),
                                               {"decision": "approve"})
    assert response.status_code == 302 and response["Location"] == reverse("kwaliteit:review_queue")
    meal.refresh_from_db()
    pending.refresh_from_db()
    assert pending.status == VersionStatus.APPROVED and meal.near_public_transport is True
    assert "Vervoer nodig?" in meal.how_to_join
    assert mail.outbox == [], "nothing is mailed from the request: the outbox job sends it"
    assert OutboxMessage.objects.filter(kind="kwaliteit.version_decided", about_type="kwaliteit.activityversion",
                                        about_id=pending.pk, sent_at__isnull=True).count() == 1
    assert [m.to for m in sent_mail()] == [["aanbieder@demo.samen.invalid"]]
    assert sent_mail()[0].subject == "Goedgekeurd: Maandelijkse maaltijd in de Bethlehemkerk"
    assert reverse("kwaliteit:activity_detail", args=[meal.pk]) in sent_mail()[0].body


def test_rejecting_needs_a_note(client_as, meal, pending, sent_mail, django_capture_on_commit_callbacks):
    client = client_as("regisseur")
    url = reverse("kwaliteit:version_review", args=[pending.pk])
    response = client.post(url, {"decision": "reject", "note": "  "})
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    assert 'id="id_note_error"' in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == VersionStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "reject", "note": "Het vervoer regelt Heikracht niet zelf."})
    assert response.status_code == 302
    pending.refresh_from_db()
    meal.refresh_from_db()
    assert pending.status == VersionStatus.REJECTED and pending.review_note.startswith("Het vervoer")
    assert meal.near_public_transport is False
    assert len(sent_mail()) == 1 and sent_mail()[0].subject.startswith("Niet goedgekeurd")
    assert "vervoer" not in sent_mail()[0].body  # the note is read in Samen, not sent by e-mail
    detail = client_as("aanbieder").get(reverse("kwaliteit:activity_detail", args=[meal.pk])).content.decode()
    assert "Het vervoer regelt Heikracht niet zelf." in detail


def test_a_decided_version_cannot_be_decided_again(client_as, pending):
    client = client_as("regisseur")
    url = reverse("kwaliteit:version_review", args=[pending.pk])
    client.post(url, {"decision": "approve"})
    response = client.post(url, {"decision": "reject", "note": "Toch niet"})
    assert response.status_code == 400
    assert "al beoordeeld" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == VersionStatus.APPROVED
    assert response.context["form"] is not None
    assert client.get(url).context["form"] is None


def test_approving_a_new_entry_puts_it_on_the_site(client_as, hilversum, new_entry):
    activity = new_entry.activity
    assert not catalogue.public_activities(hilversum).filter(pk=activity.pk).exists()
    page = client_as("regisseur").get(reverse("kwaliteit:version_review", args=[new_entry.pk]))
    assert page.context["is_new"] and page.context["against_live"] is None
    client_as("regisseur").post(reverse("kwaliteit:version_review", args=[new_entry.pk]), {"decision": "approve"})
    assert catalogue.public_activities(hilversum).filter(pk=activity.pk).exists()
    assert activity.occurrences.exists()


def test_only_the_regisseur_reviews(client_as, pending):
    url = reverse("kwaliteit:version_review", args=[pending.pk])
    for role in ("aanbieder", "beleidsadviseur", "sociaalwerker"):
        client = client_as(role)
        assert client.get(url).status_code == 403, role
        assert client.post(url, {"decision": "approve"}).status_code == 403, role
    pending.refresh_from_db()
    assert pending.status == VersionStatus.PENDING


def test_a_version_of_another_municipality_is_not_found(client_as):
    from samen.core.roles import Role
    from samen.core.tests.factories import GemeenteFactory, OrganisationFactory, UserFactory

    other = GemeenteFactory()
    organisation = OrganisationFactory(gemeente=other)
    elsewhere = Activity.objects.create(gemeente=other, organisation=organisation, title="Elders",
                                        description="x", start_date="2026-12-01", start_time="10:00",
                                        part_of_day="morning")
    version = elsewhere.versions.create(number=1, data={}, submitted_by=UserFactory(gemeente=other,
                                                                                    role=Role.AANBIEDER))
    assert client_as("regisseur").get(reverse("kwaliteit:version_review", args=[version.pk])).status_code == 404


def test_regisseurs_hear_of_a_waiting_version_but_not_of_their_own_edits(
        client_as, hilversum, sent_mail, django_capture_on_commit_callbacks):
    versa = Organisation.objects.get(gemeente=hilversum, name="Versa Welzijn")
    with django_capture_on_commit_callbacks(execute=True):
        client_as("regisseur").post(reverse("kwaliteit:activity_create"), form_data(organisation=str(versa.pk)))
    assert sent_mail() == []


def test_the_review_drawing_in_the_docs_is_current():
    docs = (Path(__file__).resolve().parents[4] / "docs" / "kwaliteit.md").read_text(encoding="utf-8")
    assert f"```mermaid\n{review.mermaid()}\n```" in docs, "update docs/kwaliteit.md with review.mermaid()"
