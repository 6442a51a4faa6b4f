"""A volunteer buurtmaker on a phone reports a 75+ home visit in a minute, and passes on a signal."""

import pytest
from playwright.sync_api import Page, expect

from samen.vinden.visits.demo import load_visits_demo
from samen.vinden.visits.models import Visit, VisitStatus

pytestmark = pytest.mark.browser


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{page.url} scrolls sideways on a phone")


def test_volunteer_reports_a_visit_on_a_phone(phone_page: Page, live_server, hilversum, log_in, assert_accessible,
                                              browser_errors):
    load_visits_demo(hilversum)
    page = phone_page
    log_in(page, "vrijwilliger")
    page.goto(live_server.url + "/huisbezoeken/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn huisbezoeken")
    assert_accessible(page)
    _no_horizontal_scroll(page)

    visit = Visit.objects.filter(volunteer__username="vrijwilliger", status=VisitStatus.PLANNED).order_by(
        "resident__postcode", "resident__house_number").first()
    page.get_by_role("link", name=visit.resident.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bezoek melden")
    assert_accessible(page)
    _no_horizontal_scroll(page)

    page.get_by_role("group", name="Hoe ging het?").get_by_label("Bezocht").check()
    answers = {"1. Ik ervaar een leegte om me heen.": "ja",
               "2. Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.": "nee",
               "3. Er zijn veel mensen op wie ik volledig kan vertrouwen.": "min of meer",
               "4. Er zijn voldoende mensen met wie ik me nauw verbonden voel.": "nee",
               "5. Ik mis mensen om me heen.": "ja",
               "6. Vaak voel ik me in de steek gelaten.": "nee"}
    for question, answer in answers.items():
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_label("Wat zou de inwoner graag willen?").fill("Iemand om mee te wandelen")
    page.get_by_role("group", name="Wil de inwoner contact met sociaal werk?").get_by_label(
        "Ja, geef een signaal door").check()
    page.get_by_role("button", name="Melden").click()

    expect(page.get_by_text("Er is een signaal doorgegeven aan sociaal werk")).to_be_visible()
    assert_accessible(page)
    _no_horizontal_scroll(page)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.VISITED and visit.djg6_total == 5 and visit.signal.channel == "home_visit"
    assert [e for e in browser_errors if "favicon.ico" not in e] == []
