"""Theme weeks: the write path (end before start, overlap of starts, who may) and the screens."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samen.core.models import User
from samen.kwaliteit.models import Activity, ThemeWeek
from samen.kwaliteit.services import themeweeks


@pytest.fixture
def regisseur(hilversum):
    return User.objects.get(username="regisseur")


def test_a_theme_week_is_saved(regisseur, hilversum):
    week = themeweeks.save(regisseur, {"name": "", "starts_on": dt.date(2030, 9, 26), "ends_on": dt.date(2030, 10, 3)})
    assert week.gemeente == hilversum and week.name == "Week tegen Eenzaamheid"
    themeweeks.save(regisseur, {"name": "Week van de ontmoeting", "starts_on": dt.date(2030, 9, 27),
                                "ends_on": dt.date(2030, 10, 4)}, week)
    week.refresh_from_db()
    assert (week.name, week.starts_on) == ("Week van de ontmoeting", dt.date(2030, 9, 27))


@pytest.mark.parametrize(("starts_on", "ends_on", "field", "message"), [
    (dt.date(2030, 10, 3), dt.date(2030, 9, 26), "ends_on", "De laatste dag ligt voor de eerste dag."),
    (dt.date(2030, 9, 1), dt.date(2030, 10, 30), "ends_on", "hooguit 31 dagen"),
    (None, dt.date(2030, 10, 3), "starts_on", "Vul de eerste dag"),
])
def test_bad_dates_name_the_field_and_store_nothing(regisseur, starts_on, ends_on, field, message):
    count = ThemeWeek.objects.count()
    with pytest.raises(ValidationError) as caught:
        themeweeks.save(regisseur, {"name": "x", "starts_on": starts_on, "ends_on": ends_on})
    assert message in caught.value.message_dict[field][0]
    assert ThemeWeek.objects.count() == count


def test_two_weeks_do_not_start_on_the_same_day(regisseur, hilversum):
    existing = ThemeWeek.objects.filter(gemeente=hilversum).first()
    with pytest.raises(ValidationError) as caught:
        themeweeks.save(regisseur, {"name": "x", "starts_on": existing.starts_on, "ends_on": existing.ends_on})
    assert "starts_on" in caught.value.message_dict


@pytest.mark.parametrize("role", ["aanbieder", "sociaalwerker"])
def test_only_regisseur_and_policy_advisor_change_theme_weeks(hilversum, role):
    with pytest.raises(PermissionDenied):
        themeweeks.save(User.objects.get(username=role), {"starts_on": dt.date(2030, 9, 26),
                                                          "ends_on": dt.date(2030, 10, 3)})


def test_the_list_shows_the_weeks_events(client_as, hilversum):
    week = ThemeWeek.objects.filter(gemeente=hilversum).first()
    marked = Activity.objects.filter(gemeente=hilversum, theme_week=True,
                                     occurrences__date__range=(week.starts_on, week.ends_on)).distinct()
    assert marked.exists(), "the demo has events in its theme week"
    response = client_as("aanbieder").get(reverse("kwaliteit:themeweek_list"))
    row = next(r for r in response.context["rows"] if r["week"].pk == week.pk)
    shown = {a.pk for a in row["activities"]}
    assert shown == set(marked.filter(organisation__name="Heikracht").values_list("pk", flat=True))
    response = client_as("regisseur").get(reverse("kwaliteit:themeweek_list"))
    row = next(r for r in response.context["rows"] if r["week"].pk == week.pk)
    assert {a.pk for a in row["activities"]} == set(marked.values_list("pk", flat=True))
    assert all(a.days >= 1 and week.starts_on <= a.first <= week.ends_on for a in row["activities"])


def test_end_before_start_on_the_screen(client_as, hilversum):
    count = ThemeWeek.objects.count()
    response = client_as("beleidsadviseur").post(reverse("kwaliteit:themeweek_create"), {
        "name": "Week tegen Eenzaamheid", "starts_on": "2030-10-03", "ends_on": "2030-09-26"})
    assert response.status_code == 400
    assert "De laatste dag ligt voor de eerste dag." in response.content.decode()
    assert 'id="id_ends_on_error"' in response.content.decode()
    assert ThemeWeek.objects.count() == count


def test_creating_and_editing_on_the_screen(client_as, hilversum):
    client = client_as("beleidsadviseur")
    response = client.post(reverse("kwaliteit:themeweek_create"), {
        "name": "Week tegen Eenzaamheid", "starts_on": "2030-09-26", "ends_on": "2030-10-03"})
    assert response.status_code == 302
    week = ThemeWeek.objects.get(gemeente=hilversum, starts_on=dt.date(2030, 9, 26))
    page = client.get(reverse("kwaliteit:themeweek_edit", args=[week.pk]))
    assert 'value="2030-09-26"' in page.content.decode()
    response = client.post(reverse("kwaliteit:themeweek_edit", args=[week.pk]), {
        "name": "Week tegen Eenzaamheid", "starts_on": "2030-09-26", "ends_on": "2030-10-02"})
    assert response.status_code == 302
    week.refresh_from_db()
    assert week.ends_on == dt.date(2030, 10, 2)
    assert client_as("aanbieder").get(reverse("kwaliteit:themeweek_edit", args=[week.pk])).status_code == 403
