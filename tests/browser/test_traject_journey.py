"""The social worker opens Mijn inwoners and a trajectory, logs two attempts and a reached contact, fills the
strengths profile and a DJG-6 measurement: at desktop and phone size, axe-core clean on every page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


def _trajectory(hilversum, name: str):
    from samen.core.models import Buurt, Resident, User
    from samen.ondersteunen.services import trajectories

    buurt = Buurt.objects.filter(wijk__code="WK040207").order_by("code").first()
    resident = Resident.objects.create(gemeente=hilversum, name=name, buurt=buurt, postcode="1211BJ",
                                       house_number=900 + len(name), phone="035-1234567")
    worker = User.objects.get(username="sociaalwerker")
    return trajectories.start(gemeente_id=hilversum.pk, resident=resident, worker=worker, by=worker)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_social_worker_follows_a_trajectory(new_page, viewport, live_server, hilversum, log_in, assert_accessible):
    name = f"Truus Trajectproef {viewport['width']}"
    trajectory = _trajectory(hilversum, name)
    page: Page = new_page(viewport)
    log_in(page, "sociaalwerker")
    assert_accessible(page)
    page.get_by_role("link", name="Naar mijn inwoners").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn inwoners")
    assert_accessible(page)
    page.get_by_role("link", name=name).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    assert_accessible(page)

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for when, outcome in ((f"{yesterday:%Y-%m-%d}T10:00", "#id_outcome_1"), ("", "#id_outcome_2")):
        page.check("#id_method_0")
        page.check(outcome)
        if when:
            page.fill("#id_at", when)
        page.get_by_role("button", name="Poging vastleggen").click()
        expect(page.get_by_text("Contactpoging vastgelegd.")).to_be_visible()
    page.check("#id_method_1")
    page.check("#id_outcome_0")
    page.fill("#id_note", "Op bezoek geweest, koffie gedronken")
    page.get_by_role("button", name="Poging vastleggen").click()
    expect(page.get_by_text("de inwoner is bereikt")).to_be_visible()
    expect(page.locator(".utrecht-data-list")).to_contain_text("in contact")
    assert_accessible(page)

    page.get_by_role("link", name="Krachtenprofiel invullen").click()
    assert_accessible(page)
    page.fill("#id_good_at", "Bakken en verhalen vertellen")
    page.fill("#id_enjoys", "Tuinieren")
    page.get_by_label("samen eten").check()
    page.get_by_label("geld").check()
    for dimension, score in (("lichaamsfuncties", "6"), ("mentaal_welbevinden", "4"), ("zingeving", "7"),
                             ("kwaliteit_van_leven", "5"), ("meedoen", "3"), ("dagelijks_functioneren", "8")):
        page.fill(f"#id_health_{dimension}", score)
    page.check("#id_availability_3")  # dinsdag ochtend
    page.get_by_role("button", name="Profiel opslaan").click()
    expect(page.get_by_text("Het krachtenprofiel is opgeslagen.")).to_be_visible()
    expect(page.locator("svg[aria-label='Positieve gezondheid (0-10)']")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Meting invullen (De Jong Gierveld, 6 vragen)").click()
    assert_accessible(page)
    for item, answer in ((3, 0), (4, 2), (7, 2), (8, 1), (9, 0), (10, 1)):
        page.check(f"#id_item_{item}_{answer}")
    page.get_by_role("button", name="Meting opslaan").click()
    expect(page.get_by_text("De meting is opgeslagen")).to_be_visible()
    expect(page.locator("#tabel-metingen")).to_contain_text("De Jong Gierveld, 6 vragen")
    assert_accessible(page)
    trajectory.refresh_from_db()
    assert trajectory.status == "in_contact" and trajectory.contact_attempts.count() == 3
    assert trajectory.profile.interests == ["eating"] and trajectory.measurements.count() == 1
