"""The catalogue through a real browser: a provider adds an activity with the repeat helper, the regisseur
reviews and approves it, and it appears on the public site. Every page is checked with axe-core."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samen.kwaliteit.models import Activity
from samen.kwaliteit.services import catalogue

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def no_sideways_scrolling(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, page.url


def test_provider_adds_an_activity_the_regisseur_approves_it_and_the_public_finds_it(
        new_page, live_server, hilversum, log_in, assert_accessible):
    start = timezone.localdate() + dt.timedelta(days=7)

    # The provider, on a phone: the own list, then the form with the repeat helper.
    page = new_page(PHONE)
    log_in(page, "aanbieder")
    page.goto(live_server.url + "/catalogus/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw activiteiten")
    expect(page.get_by_role("heading", name="Bevestigen nodig")).to_be_visible()
    assert_accessible(page)
    no_sideways_scrolling(page)
    page.get_by_role("link", name="Nieuwe activiteit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe activiteit")
    assert_accessible(page)
    no_sideways_scrolling(page)

    page.fill("#id_title", "Wandelen met Heikracht")
    page.fill("#id_description", "Elke week een rustige wandeling over de hei, met koffie na afloop.")
    page.fill("#id_location_name", "Bethlehemkerk")
    page.fill("#id_location_street", "Vaartweg")
    page.fill("#id_location_house_number", "20")
    page.fill("#id_location_postcode", "1214 ER")
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_start_time", "10:00")
    page.fill("#id_end_time", "11:30")
    page.get_by_label("elke week, op de gekozen dagen").check()
    repeat_days = page.get_by_role("group", name="Op welke dagen")
    repeat_days.get_by_label("dinsdag", exact=True).check()
    # Keyboard too: Space ticks the focused checkbox.
    repeat_days.get_by_label("vrijdag", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("group", name="Voor wie").get_by_label("iedereen", exact=True).check()
    page.get_by_label("wandelen", exact=True).check()
    page.get_by_label("Rolstoeltoegankelijk").check()

    # A mistake first: the end before the start is named at the field, and nothing is stored.
    page.fill("#id_end_time", "09:00")
    page.get_by_role("button", name="Versturen ter beoordeling").click()
    expect(page.get_by_role("alert")).to_contain_text("Eindtijd: De eindtijd ligt voor of op de begintijd.")
    assert_accessible(page)
    assert not Activity.objects.filter(title="Wandelen met Heikracht").exists()
    page.fill("#id_end_time", "11:30")
    page.get_by_role("button", name="Versturen ter beoordeling").click()

    expect(page.get_by_role("status").first).to_contain_text("Verstuurd ter beoordeling")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wandelen met Heikracht")
    assert_accessible(page)
    no_sideways_scrolling(page)
    activity = Activity.objects.get(title="Wandelen met Heikracht")
    assert activity.rrule == "FREQ=WEEKLY;BYDAY=TU,FR" and activity.status == Activity.Status.DRAFT
    assert not catalogue.public_activities(hilversum).filter(pk=activity.pk).exists()

    # The regisseur, on a desktop, with the second factor: the queue, the version, the decision.
    desk = new_page()
    log_in(desk, "regisseur")
    desk.goto(live_server.url + "/catalogus/beoordelen/")
    expect(desk.get_by_role("heading", level=1)).to_have_text("Beoordelen")
    assert_accessible(desk)
    desk.get_by_role("link", name="Wandelen met Heikracht").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Versie 1 van Wandelen met Heikracht")
    expect(desk.get_by_text("elke week op dinsdag en vrijdag", exact=False)).to_be_visible()
    assert_accessible(desk)
    desk.get_by_label("goedkeuren en publiceren").check()
    desk.get_by_role("button", name="Besluit vastleggen").click()
    expect(desk.get_by_role("status").first).to_contain_text("Goedgekeurd en gepubliceerd")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED
    assert catalogue.public_activities(hilversum).filter(pk=activity.pk).exists()

    # The activity's staff page shows its history; then the public page, without a login.
    desk.goto(live_server.url + f"/catalogus/{activity.pk}/")
    expect(desk.get_by_role("heading", name="Versies")).to_be_visible()
    assert_accessible(desk)
    visitor = new_page(PHONE)
    visitor.goto(live_server.url + f"/activiteiten/{activity.pk}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Wandelen met Heikracht")
    assert_accessible(visitor)
    no_sideways_scrolling(visitor)


def test_a_provider_confirms_an_entry_from_the_reminder_link(new_page, live_server, hilversum, log_in,
                                                             assert_accessible):
    from dateutil.relativedelta import relativedelta

    meal = Activity.objects.get(organisation__name="Heikracht", title="Maandelijkse maaltijd in de Bethlehemkerk")
    Activity.objects.filter(pk=meal.pk).update(confirmed_at=timezone.now() - relativedelta(months=7))
    page = new_page(PHONE)
    log_in(page, "aanbieder")
    page.goto(live_server.url + f"/catalogus/{meal.pk}/bevestigen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Klopt deze activiteit nog?")
    assert_accessible(page)
    no_sideways_scrolling(page)
    page.get_by_role("button", name="Ja, het klopt nog").click()
    expect(page.get_by_role("status").first).to_contain_text("klopt nog")
    meal.refresh_from_db()
    assert not catalogue.is_stale(meal)
