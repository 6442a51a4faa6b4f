"""Ondersteunen's reports part in the browser: the partner opens its network's case agenda and sees
pseudonyms (and the one resident who consented by name); the beleidsadviseur opens the outcomes page and
downloads the CSV. At desktop and phone size, axe-core clean."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samen.ondersteunen.models import CaseDiscussion
from samen.ondersteunen.services import casus

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_partner_opens_the_case_agenda_and_sees_pseudonyms(
        new_page, live_server, hilversum, log_in, assert_accessible, size):
    page = new_page({"width": 1280, "height": 900} if size == "desktop" else {"width": 390, "height": 844})
    log_in(page, "partner")
    items = list(CaseDiscussion.objects.filter(network__name="Zorgnetwerk Noord-Oost",
                                               meeting_date__gte=timezone.localdate())
                 .select_related("trajectory__resident", "trajectory__wijk"))
    page.goto(live_server.url + "/ondersteunen/casusoverleg/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Casusoverleg in de zorgnetwerken")
    page.get_by_role("link", name="Zorgnetwerk Noord-Oost").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Casusoverleg Zorgnetwerk Noord-Oost")
    for item in items:
        if item.by_name:
            expect(page.get_by_role("heading", name=item.trajectory.resident.name)).to_be_visible()
        else:
            expect(page.get_by_role("heading", name=casus.pseudonym(item.trajectory))).to_be_visible()
            if item.trajectory.resident.name:
                expect(page.get_by_text(item.trajectory.resident.name)).to_have_count(0)
    expect(page.get_by_role("link", name="Traject inbrengen")).to_have_count(0)  # members do not manage
    assert_accessible(page)
    if size == "phone":
        _no_sideways_scroll(page)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_beleidsadviseur_reads_the_outcomes_and_downloads_the_csv(
        new_page, live_server, hilversum, log_in, assert_accessible, size):
    page = new_page({"width": 1280, "height": 900} if size == "desktop" else {"width": 390, "height": 844})
    log_in(page, "beleidsadviseur")
    page.goto(live_server.url + "/ondersteunen/uitkomsten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitkomsten van ondersteunen")
    expect(page.get_by_role("table", name="Lokaal bewijs")).to_contain_text("%")
    expect(page.get_by_role("table", name="Lokaal bewijs")).to_contain_text("n<")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als CSV (Excel)").click()
    assert download.value.suggested_filename.startswith("ondersteunen-uitkomsten-hilversum-")
    with open(download.value.path(), encoding="utf-8") as handle:
        first = handle.readline()
    assert first.startswith("\ufeff") and first.count(";") == 5
