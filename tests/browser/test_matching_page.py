"""The social worker opens what fits a resident, filters the list and reads why each suggestion fits, at
desktop and phone size; the pages pass axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from samen.core.models import Resident, User
from samen.kwaliteit.services.catalogue import public_activities
from samen.ondersteunen.matching import candidates
from samen.ondersteunen.models import Profile, Trajectory

pytestmark = pytest.mark.browser


def _trajectory(hilversum) -> tuple[Trajectory, str]:
    """A trajectory of the demo social worker, its profile made to fit a free demo activity in their wijk."""
    candidates.forget()
    worker = User.objects.get(username="sociaalwerker")
    wijken = list(worker.wijken.all())
    activity = (public_activities(hilversum).filter(wijk__in=wijken, cost_type="free", location__isnull=False)
                .order_by("title").first())
    assert activity is not None, "the demo has no free activity in the social worker's wijken"
    resident = Resident.objects.create(gemeente=hilversum, name="Testinwoner Matching", postcode="1211AA",
                                       buurt=activity.buurt, birth_year=1946)
    trajectory = Trajectory.objects.create(gemeente=hilversum, resident=resident, worker=worker, wijk=activity.wijk,
                                           first_contact_due=dt.date.today())
    weekdays = sorted(set(activity.occurrences.values_list("weekday", flat=True))) or [activity.start_date.weekday()]
    Profile.objects.create(trajectory=trajectory, interests=list(activity.interests)[:2],
                           availability=[f"{weekdays[0]}:{activity.part_of_day}"], barriers=["money"],
                           loneliness_kinds=list(activity.loneliness_kinds)[:1])
    return trajectory, activity.title


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{page.url} scrolls sideways on a phone")


def test_social_worker_filters_the_matches_and_reads_why(page: Page, live_server, hilversum, log_in,
                                                           assert_accessible, browser_errors):
    trajectory, title = _trajectory(hilversum)
    log_in(page, "sociaalwerker")
    page.goto(f"{live_server.url}/ondersteunen/trajecten/{trajectory.pk}/passend/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat past bij deze inwoner")
    first = page.locator(".samen-matches__item").first
    expect(first.get_by_role("heading", level=3)).to_be_visible()
    expect(page.get_by_role("heading", name=title, level=3).first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Alleen gratis").check()
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_label("Alleen gratis")).to_be_checked()
    item = page.locator(".samen-matches__item", has=page.get_by_role("heading", name=title, level=3)).first
    expect(item).to_be_visible()
    expect(item.locator("dt", has_text="Waarom")).to_be_visible()
    expect(item.locator("dd").first).to_contain_text("gratis")
    expect(item.locator("dt", has_text="Lokale ervaring")).to_be_visible()
    reasons = page.locator(".samen-matches__item dd").first.inner_text()
    assert reasons and reasons != "—"
    for text in page.locator(".samen-matches__item").all_inner_texts():
        assert "kost €" not in text  # free only: nothing that costs an amount
    assert_accessible(page)
    assert not [e for e in browser_errors if "favicon" not in e], browser_errors


def test_the_matches_read_on_a_phone(phone_page: Page, live_server, hilversum, log_in, assert_accessible):
    trajectory, title = _trajectory(hilversum)
    page = phone_page
    log_in(page, "sociaalwerker")
    page.goto(f"{live_server.url}/ondersteunen/trajecten/{trajectory.pk}/passend/")
    expect(page.get_by_role("heading", name=title, level=3).first).to_be_visible()
    page.get_by_label("Dag", exact=True).select_option(label="zondag")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_label("Dag", exact=True)).to_have_value("6")
    _no_horizontal_scroll(page)
    assert_accessible(page)
