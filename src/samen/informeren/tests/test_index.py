"""The public home page: a search box, the wijken, the samen-week, the self-check, the forms, who to call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from samen.core.models import Wijk
from samen.informeren.views.pages import HomeView
from samen.kwaliteit.models import ThemeWeek
from samen.kwaliteit.services.catalogue import public_activities
from samen.kwaliteit.tests.factories import ThemeWeekFactory

pytestmark = pytest.mark.django_db


def home_html() -> str:
    """The home page as HomeView renders it (with the wijken, the theme week and the desks to call)."""
    request = RequestFactory().get("/")
    response = HomeView.as_view()(request)
    return response.render().content.decode()


def test_the_home_page_offers_every_way_in(hilversum):
    html = Client().get(reverse("informeren:index")).content.decode()
    finder = reverse("informeren:finder")
    assert f'action="{finder}"' in html and 'name="q"' in html and 'role="search"' in html
    for name in ("informeren:theme_week", "informeren:selfcheck", "informeren:approach", "vinden:self",
                 "vinden:concern"):
        assert f'href="{reverse(name)}"' in html, name
    assert "112" in html and "0800-0113" in html


def test_the_home_page_links_the_finder_for_every_wijk_with_its_number_of_activities(hilversum):
    html = home_html()
    finder = reverse("informeren:finder")
    counts = dict(public_activities(hilversum).values_list("wijk").annotate(n=Count("pk")).order_by())
    for wijk in Wijk.objects.filter(gemeente=hilversum):
        assert f'href="{finder}?wijk={wijk.code}"' in html
        assert (wijk.policy_name or wijk.official_name) in html
        if counts.get(wijk.pk):
            label = "activiteit" if counts[wijk.pk] == 1 else "activiteiten"
            assert f"({counts[wijk.pk]} {label})" in html


def test_the_home_page_names_the_dates_of_the_coming_samen_week(hilversum):
    today = timezone.localdate()
    ThemeWeekFactory(gemeente=hilversum, starts_on=today - dt.timedelta(days=400),
                     ends_on=today - dt.timedelta(days=393))
    ThemeWeekFactory(gemeente=hilversum, starts_on=today + dt.timedelta(days=300),
                     ends_on=today + dt.timedelta(days=307))
    coming = ThemeWeek.objects.filter(gemeente=hilversum, ends_on__gte=today).order_by("starts_on").first()
    html = home_html()
    assert f"tot en met {coming.ends_on.day} " in html
    assert str(coming.ends_on.year) in html


def test_the_home_page_works_for_an_installation_with_more_than_one_municipality(hilversum):
    from samen.core.tests.factories import GemeenteFactory

    GemeenteFactory(code="GM9999", name="Elders")
    html = home_html()
    assert "Wat is er te doen in uw wijk?" in html and "0800-0113" in html
    # The default site keeps serving the first municipality installed: its wijken, its name at the forms.
    assert "?wijk=WK0402" in html and "gemeente Hilversum" in html and "Elders" not in html
