"""The staff screens of the catalogue: a provider keeps its own entries (sent for review), the regisseur's
edits publish, errors are shown per field with nothing stored, and nobody sees another's entries."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from samen.core.models import Organisation
from samen.kwaliteit.models import Activity, ActivityVersion, Location
from samen.kwaliteit.review import VersionStatus
from samen.kwaliteit.services import catalogue


def form_data(**overrides) -> dict:
    """A complete POST of the activity form, with the repeat helper: every Tuesday and Thursday."""
    data = {
        "title": "Samen eten in de Riebeeck", "description": "Een warme maaltijd met de buurt.",
        "location_name": "Huis van de Buurt Test", "location_street": "Dorpsweg", "location_house_number": "5",
        "location_postcode": "1211 ab", "location_city": "Hilversum",
        "start_date": "2026-12-01", "start_time": "17:30", "end_time": "19:30",
        "repeat": "weekly", "repeat_days": ["TU", "TH"], "rrule": "",
        "cost_type": "amount", "cost_amount": "4.50",
        "target_groups": ["65plus", "everyone"], "interests": ["eating"], "languages": ["nl"],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def heikracht(hilversum):
    return Organisation.objects.get(gemeente=hilversum, name="Heikracht")


@pytest.fixture
def meal(hilversum, heikracht):
    """The demo's Heikracht meal in the Bethlehemkerk: published, with a change of the provider pending."""
    return Activity.objects.get(organisation=heikracht, title="Maandelijkse maaltijd in de Bethlehemkerk")


@pytest.fixture
def versa_activity(hilversum):
    return (Activity.objects.filter(gemeente=hilversum, organisation__name="Versa Welzijn",
                                    status=Activity.Status.PUBLISHED).order_by("pk").first())


def test_provider_adds_an_activity_with_the_repeat_helper_and_it_waits_for_review(
        client_as, heikracht, sent_mail, django_capture_on_commit_callbacks):
    client = client_as("aanbieder")
    assert client.get(reverse("kwaliteit:activity_create")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("kwaliteit:activity_create"), form_data(), follow=True)
    assert response.status_code == 200
    activity = Activity.objects.get(title="Samen eten in de Riebeeck")
    assert activity.organisation == heikracht and activity.status == Activity.Status.DRAFT
    assert activity.rrule == "FREQ=WEEKLY;BYDAY=TU,TH"
    version = activity.versions.get()
    assert version.status == VersionStatus.PENDING and version.data["rrule"] == "FREQ=WEEKLY;BYDAY=TU,TH"
    assert "repeat" not in version.data and "repeat_days" not in version.data
    assert "Verstuurd ter beoordeling" in response.content.decode()
    assert [m.to for m in sent_mail()] == [["regisseur@demo.samen.invalid"]]
    assert "Samen eten in de Riebeeck" in sent_mail()[0].subject
    assert reverse("kwaliteit:version_review", args=[version.pk]) in sent_mail()[0].body


@pytest.mark.parametrize(("helper", "rule"), [
    ({"repeat": "none", "repeat_days": None}, ""),
    ({"repeat": "weeks", "repeat_interval": "2", "repeat_days": ["WE"]}, "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"),
    ({"repeat": "monthly", "repeat_days": None, "repeat_ordinal": "2", "repeat_weekday": "TU"},
     "FREQ=MONTHLY;BYDAY=2TU"),
    ({"repeat": "monthly", "repeat_days": None, "repeat_ordinal": "-1", "repeat_weekday": "FR"},
     "FREQ=MONTHLY;BYDAY=-1FR"),
    ({"repeat": "custom", "repeat_days": None, "rrule": "freq=daily;interval=3"}, "FREQ=DAILY;INTERVAL=3"),
])
def test_the_repeat_helper_composes_the_rule(client_as, helper, rule):
    overrides = {**helper}
    if rule == "":
        overrides["start_date"] = "2026-12-15"
    response = client_as("regisseur").post(reverse("kwaliteit:activity_create"),
                                           form_data(organisation=str(Organisation.objects.get(
                                               name="Versa Welzijn").pk), **overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Activity.objects.get(title="Samen eten in de Riebeeck").rrule == rule


def test_regisseur_edit_publishes_at_once(client_as, versa_activity):
    client = client_as("regisseur")
    page = client.get(reverse("kwaliteit:activity_edit", args=[versa_activity.pk]))
    assert page.status_code == 200
    data = {key: value for key, value in page.context["form"].initial.items() if value not in (None, False)}
    data["title"] = "Nieuwe titel"
    response = client.post(reverse("kwaliteit:activity_edit", args=[versa_activity.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    versa_activity.refresh_from_db()
    assert versa_activity.title == "Nieuwe titel" and versa_activity.status == Activity.Status.PUBLISHED
    assert versa_activity.versions.order_by("-number").first().status == VersionStatus.APPROVED


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"repeat": "custom", "repeat_days": None, "rrule": "elke dinsdag"}, "rrule", "mist FREQ"),
    ({"repeat": "custom", "repeat_days": None, "rrule": "FREQ=FORTNIGHTLY"}, "rrule", "geen geldige iCalendar-regel"),
    ({"repeat": "weekly", "repeat_days": None}, "repeat_days", "Kies op welke dag"),
    ({"repeat": "weeks", "repeat_interval": ""}, "repeat_interval", "om de hoeveel weken"),
    ({"repeat": "monthly", "repeat_days": None, "repeat_weekday": "TU"}, "repeat_ordinal", "Kies welke in de maand"),
    ({"end_time": "16:00"}, "end_time", "De eindtijd ligt voor"),
    ({"valid_until": "2026-11-01"}, "valid_until", "De einddatum ligt voor"),
    ({"location_postcode": "9999 XX"}, "location_postcode", "ligt niet in Hilversum"),
    ({"cost_amount": "-2"}, "cost_amount", "niet negatief"),
])
def test_bad_input_shows_the_field_error_and_stores_nothing(client_as, overrides, field, message):
    versions, locations = ActivityVersion.objects.count(), Location.objects.count()
    response = client_as("aanbieder").post(reverse("kwaliteit:activity_create"), form_data(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html or f'id="id_{field}_0_error"' in html
    assert f'href="#{form[field].id_for_label}"' in html  # the summary links to the field
    assert ActivityVersion.objects.count() == versions and Location.objects.count() == locations
    assert not Activity.objects.filter(title="Samen eten in de Riebeeck").exists()


def test_provider_cannot_see_or_change_another_organisations_entry(client_as, versa_activity):
    client = client_as("aanbieder")
    for name in ("activity_detail", "activity_edit", "activity_confirm"):
        assert client.get(reverse(f"kwaliteit:{name}", args=[versa_activity.pk])).status_code == 404, name
    confirmed = versa_activity.confirmed_at
    for name in ("activity_edit", "activity_confirm", "activity_withdraw"):
        assert client.post(reverse(f"kwaliteit:{name}", args=[versa_activity.pk]),
                           form_data()).status_code == 404, name
    versa_activity.refresh_from_db()
    assert versa_activity.status == Activity.Status.PUBLISHED and versa_activity.confirmed_at == confirmed
    assert versa_activity.title != "Samen eten in de Riebeeck"
    listing = client.get(reverse("kwaliteit:activity_list") + "?toon=&pagina=1").content.decode()
    assert versa_activity.title not in listing and "Maandelijkse maaltijd in de Bethlehemkerk" in listing


def test_a_provider_without_organisation_cannot_add(hilversum):
    from samen.core.roles import Role
    from samen.core.tests.clients import verified_client
    from samen.core.tests.factories import UserFactory

    client = verified_client(UserFactory(gemeente=hilversum, role=Role.AANBIEDER, organisation=None, totp=True))
    assert client.get(reverse("kwaliteit:activity_create")).status_code == 403


def test_the_policy_advisor_reads_but_does_not_edit(client_as, meal):
    client = client_as("beleidsadviseur")
    assert client.get(reverse("kwaliteit:activity_detail", args=[meal.pk])).status_code == 200
    assert client.get(reverse("kwaliteit:activity_edit", args=[meal.pk])).status_code == 403
    assert client.post(reverse("kwaliteit:activity_withdraw", args=[meal.pk])).status_code == 403


def test_the_list_filters_and_flags(client_as, hilversum, versa_activity):
    Activity.objects.filter(pk=versa_activity.pk).update(confirmed_at=timezone.now() - relativedelta(months=7))
    client = client_as("regisseur")
    stale = client.get(reverse("kwaliteit:activity_list"), {"toon": "verouderd"})
    titles = [row["activity"].title for row in stale.context["rows"]]
    assert versa_activity.title in titles and "Bridgen in Lopes Dias" in titles
    row = next(r for r in stale.context["rows"] if r["activity"].pk == versa_activity.pk)
    assert "verouderd: bevestigen" in row["badges"]
    gone = client.get(reverse("kwaliteit:activity_list"), {"toon": "van-de-site"}).context["rows"]
    assert gone and all("van de site af: niet bevestigd" in r["badges"] for r in gone)
    assert versa_activity.pk not in [r["activity"].pk for r in gone]
    pending = client.get(reverse("kwaliteit:activity_list"), {"toon": "beoordelen"}).context["rows"]
    assert [r["activity"].title for r in pending] == ["Maandelijkse maaltijd in de Bethlehemkerk"]
    assert "wijziging wacht op beoordeling" in pending[0]["badges"]
    in_wijk = client.get(reverse("kwaliteit:activity_list"), {"wijk": "WK040204"}).context["page"].paginator.count
    assert in_wijk == Activity.objects.filter(wijk__code="WK040204").count() > 0


def test_provider_home_list_shows_what_needs_confirming(client_as, meal):
    client = client_as("aanbieder")
    assert client.get(reverse("kwaliteit:activity_list")).context["to_confirm"] == []
    Activity.objects.filter(pk=meal.pk).update(confirmed_at=timezone.now() - relativedelta(months=6, days=2))
    response = client.get(reverse("kwaliteit:activity_list"))
    assert [row["activity"].pk for row in response.context["to_confirm"]] == [meal.pk]
    assert "Bevestigen nodig" in response.content.decode()


def test_confirming_makes_an_entry_fresh_again(client_as, meal):
    Activity.objects.filter(pk=meal.pk).update(confirmed_at=timezone.now() - relativedelta(months=7),
                                               reminded_at=timezone.now() - relativedelta(months=1))
    client = client_as("aanbieder")
    page = client.get(reverse("kwaliteit:activity_confirm", args=[meal.pk]))
    assert page.status_code == 200 and "Klopt deze activiteit nog?" in page.content.decode()
    response = client.post(reverse("kwaliteit:activity_confirm", args=[meal.pk]),
                           {"next": reverse("kwaliteit:activity_list")})
    assert response.status_code == 302 and response["Location"] == reverse("kwaliteit:activity_list")
    meal.refresh_from_db()
    assert not catalogue.is_stale(meal) and meal.reminded_at is None
    assert timezone.now() - meal.confirmed_at < dt.timedelta(minutes=1)


def test_confirm_does_not_redirect_elsewhere(client_as, meal):
    response = client_as("aanbieder").post(reverse("kwaliteit:activity_confirm", args=[meal.pk]),
                                           {"next": "https://example.org/"})
    assert response["Location"] == reverse("kwaliteit:activity_detail", args=[meal.pk])


def test_withdrawing_takes_it_off_the_site(client_as, hilversum, meal):
    assert catalogue.public_activities(hilversum).filter(pk=meal.pk).exists()
    response = client_as("aanbieder").post(reverse("kwaliteit:activity_withdraw", args=[meal.pk]))
    assert response.status_code == 302
    meal.refresh_from_db()
    assert meal.status == Activity.Status.WITHDRAWN
    assert not catalogue.public_activities(hilversum).filter(pk=meal.pk).exists()
    assert not meal.versions.filter(status=VersionStatus.PENDING).exists()


def test_detail_shows_live_content_pending_change_and_history(client_as, meal):
    response = client_as("aanbieder").get(reverse("kwaliteit:activity_detail", args=[meal.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    changed = {change.label: change for change in response.context["pending_changes"]}
    assert set(changed) == {"Zo doet u mee", "Dicht bij openbaar vervoer"}
    assert changed["Dicht bij openbaar vervoer"].old == "nee" and changed["Dicht bij openbaar vervoer"].new == "ja"
    assert "Vervoer nodig? Zeg het ons." in changed["Zo doet u mee"].new
    assert [item["version"].number for item in response.context["history"]] == [2, 1]
    assert response.context["history"][1]["changes"] is None
    assert "Wacht op beoordeling" in html and "Versie 2" in html and "wacht op beoordeling" in html
    assert "Beoordelen" not in html.split('id="wacht"')[1].split("</section>")[0]  # the provider does not review


def test_edit_starts_from_the_pending_version(client_as, meal):
    response = client_as("aanbieder").get(reverse("kwaliteit:activity_edit", args=[meal.pk]))
    form = response.context["form"]
    assert "Vervoer nodig?" in form.initial["how_to_join"] and form.initial["near_public_transport"] is True
    assert (form.initial["repeat"], form.initial["repeat_ordinal"], form.initial["repeat_weekday"]) == (
        "monthly", "3", "WE")  # FREQ=MONTHLY;BYDAY=3WE read back into the helper
    assert form.initial["start_time"] == meal.start_time.strftime("%H:%M")
    html = response.content.decode()
    assert f'value="{meal.start_date.isoformat()}"' in html  # <input type="date"> needs ISO


def test_a_new_provider_version_supersedes_the_pending_one(client_as, meal):
    client = client_as("aanbieder")
    initial = client.get(reverse("kwaliteit:activity_edit", args=[meal.pk])).context["form"].initial
    data = {k: v for k, v in initial.items() if v not in (None, False, "")}
    data["description"] = "Nu met toetje."
    response = client.post(reverse("kwaliteit:activity_edit", args=[meal.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    statuses = dict(meal.versions.values_list("number", "status"))
    assert statuses == {1: VersionStatus.APPROVED, 2: VersionStatus.SUPERSEDED, 3: VersionStatus.PENDING}
    meal.refresh_from_db()
    assert meal.description != "Nu met toetje."  # live content unchanged until approved


def test_every_catalogue_page_renders_for_the_regisseur(client_as, meal):
    client = client_as("regisseur")
    version = meal.versions.get(number=2)
    for url in (reverse("kwaliteit:activity_list"), reverse("kwaliteit:activity_create"),
                reverse("kwaliteit:activity_detail", args=[meal.pk]), reverse("kwaliteit:review_queue"),
                reverse("kwaliteit:version_review", args=[version.pk]),
                reverse("kwaliteit:intervention_list"), reverse("kwaliteit:intervention_create"),
                reverse("kwaliteit:themeweek_list"), reverse("kwaliteit:themeweek_create")):
        assert client.get(url).status_code == 200, url


def test_every_catalogue_screen_names_its_capability():
    from samen.kwaliteit import manage_urls

    for pattern in manage_urls.urlpatterns:
        assert pattern.callback.view_class.capability, pattern.name  # None would let any logged-in user in


def test_the_screens_speak_english_when_chosen(client_as, meal):
    from django.conf import settings

    client = client_as("regisseur")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    listing = client.get(reverse("kwaliteit:activity_list"), {"toon": "beoordelen"}).content.decode()
    assert "Activity list" in listing and "change waiting for review" in listing
    detail = client.get(reverse("kwaliteit:activity_detail", args=[meal.pk])).content.decode()
    assert "What changes on the site" in detail and "Versions" in detail
    form = client.get(reverse("kwaliteit:activity_create")).content.decode()
    assert "Does the activity repeat?" in form and "every week, on the chosen days" in form


@pytest.mark.parametrize("rule", ["FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYMONTHDAY=3", ""])
def test_the_staff_screen_and_the_public_page_describe_the_schedule_in_the_same_words(client_as, client, meal,
                                                                                        rule):
    from django.utils.text import capfirst

    from samen.kwaliteit import schedule

    Activity.objects.filter(pk=meal.pk).update(rrule=rule, valid_until=None,
                                               start_date=timezone.localdate() + dt.timedelta(days=3))
    meal.refresh_from_db()
    sentence = schedule.describe(meal)
    staff = client_as("aanbieder").get(reverse("kwaliteit:activity_detail", args=[meal.pk]))
    public = client.get(reverse("informeren:activity", args=[meal.pk]))
    assert staff.status_code == 200 and public.status_code == 200
    assert staff.context["when"] == public.context["when"] == sentence
    assert sentence in staff.content.decode()
    assert capfirst(sentence) in public.content.decode()  # the public page starts the sentence with a capital
