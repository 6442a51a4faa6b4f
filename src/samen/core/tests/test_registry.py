"""The extension points: the registry refuses duplicates and orders the demo loaders, and a
throw-away building block (core/tests/fakeblock, installed by the test settings only) is picked up
by the policy, the navigation, the home page, the demo, the URLs and the permission-matrix walk
without any edit in the core."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from samen.core import policy, registry
from samen.core.tests.endpoints import walk
from samen.core.tests.test_layers import CORE, source_files


def test_a_second_registration_under_the_same_id_is_refused():
    box = registry.Registry("test")
    box.register("a", 1)
    with pytest.raises(registry.AlreadyRegistered, match="'a' is already registered"):
        box.register("a", 2)
    assert list(box) == [1]


def test_a_building_block_cannot_shadow_another_ones_capability():
    with pytest.raises(registry.AlreadyRegistered):
        registry.capability("signal.view", ["partner"])


def test_demo_loaders_run_after_the_ones_they_name(monkeypatch):
    box = registry.Registry("demo loaders")
    monkeypatch.setattr(registry, "demo_loaders", box)
    registry.demo_loader("c", print, after=("b",))
    registry.demo_loader("a", print)
    registry.demo_loader("b", print, after=("a",))
    assert [loader.key for loader in registry.demo_order()] == ["a", "b", "c"]
    registry.demo_loader("d", print, after=("e",))
    with pytest.raises(LookupError, match="unknown"):
        registry.demo_order()
    box.unregister("d")
    registry.demo_loader("e", print, after=("f",))
    registry.demo_loader("f", print, after=("e",))
    with pytest.raises(ValueError, match="wait on each other"):
        registry.demo_order()


@pytest.mark.django_db
def test_load_demo_runs_the_registered_loaders_and_the_extra_ones_only_when_asked(hilversum, monkeypatch):
    from samen.core.services.demo import load_demo

    box = registry.Registry("demo loaders")
    monkeypatch.setattr(registry, "demo_loaders", box)
    ran = []
    registry.demo_loader("small", lambda gemeente: ran.append(("small", gemeente.code)) or "small loaded")
    registry.demo_loader("big", lambda gemeente: ran.append(("big", gemeente.code)) or "big loaded", extra=True)
    lines = []
    load_demo(say=lines.append)
    assert ran == [("small", "GM0402")] and lines == ["small loaded"]
    load_demo(everything=True, say=lines.append)
    assert ran[1:] == [("small", "GM0402"), ("big", "GM0402")] and lines[1:] == ["small loaded", "big loaded"]


def test_the_real_demo_loaders_are_ordered():
    order = [loader.key for loader in registry.demo_order()]
    assert order.index("samenwerken") < order.index("kwaliteit.catalogue")
    assert order.index("samenwerken") < order.index("vinden.visits")


def test_every_role_gets_its_capabilities_from_the_registrations():
    by_app = {c.name: c.app for c in registry.capabilities}
    assert by_app["signal.view"] == "vinden" and by_app["resident.view"] == "core"
    assert "signal.triage" in policy.CAPABILITIES["partner"]
    assert "signal.triage" not in policy.CAPABILITIES["beleidsadviseur"]
    assert policy.personal_data_capabilities() == {c.name for c in registry.capabilities if c.personal_data}
    assert {"resident.view", "signal.view", "visit.view"} <= policy.personal_data_capabilities()


# The throw-away building block.

def test_the_fake_block_is_installed_by_the_test_settings_only_and_the_core_does_not_name_it():
    assert "samen.core.tests.fakeblock" in settings.INSTALLED_APPS
    from samen.conf import settings as project

    assert "samen.core.tests.fakeblock" not in project.INSTALLED_APPS
    offenders = [p for p in source_files(CORE) if "fakeblock" in p.read_text(encoding="utf-8")]
    assert not offenders


def test_the_permission_matrix_walk_covers_the_fake_blocks_urls():
    from samen.core.tests.test_permission_matrix import ENDPOINTS, MATRIX

    keys = {e.key for e in walk()}
    assert {"GET fakeblock:note_list", "GET fakeblock:note_detail"} <= keys
    assert {"GET fakeblock:note_list", "GET fakeblock:note_detail"} <= set(MATRIX["endpoints"]) & set(ENDPOINTS)


@pytest.mark.django_db
def test_the_fake_blocks_policy_rule_comes_from_its_model(hilversum, demo_user):
    from samen.core.tests.fakeblock.models import Note

    regisseur, worker = demo_user("regisseur"), demo_user("sociaalwerker")
    assert Note.objects.filter(author=regisseur).exists()  # its demo loader ran with the demo
    Note.objects.create(gemeente=hilversum, author=worker, text="eigen notitie")
    assert set(policy.visible(worker, Note).values_list("text", flat=True)) == {"eigen notitie"}
    assert not policy.visible(demo_user("beleidsadviseur"), Note).exists()
    assert policy.can(regisseur, "note.manage") and not policy.can(worker, "note.manage")


@pytest.mark.django_db
def test_the_navigation_shows_the_fake_blocks_group_to_the_roles_that_hold_its_capability(client_as):
    def groups(role):
        page = client_as(role).get(reverse("core:home"))
        return {g["key"]: [i["url"] for i in g["items"]] for g in page.context["navigation_groups"]}

    assert groups("regisseur")["fakeblock"] == [reverse("fakeblock:note_list")]
    assert "fakeblock" not in groups("beleidsadviseur")
    page = client_as("sociaalwerker").get(reverse("core:home")).content.decode()
    assert "Proefblok" in page and reverse("fakeblock:note_list") in page


@pytest.mark.django_db
def test_the_home_page_shows_the_fake_blocks_panel_to_its_roles_only(client_as):
    page = client_as("regisseur").get(reverse("core:home"))
    assert "fakeblock.notes" in [p["key"] for p in page.context["panels"]]
    assert "Naar de notities" in page.content.decode()
    assert "fakeblock.notes" not in [p["key"] for p in client_as("vrijwilliger").get(
        reverse("core:home")).context["panels"]]


@pytest.mark.django_db
def test_the_menu_is_grouped_per_building_block_for_each_role(client_as):
    page = client_as("regisseur").get(reverse("core:home"))
    keys = [g["key"] for g in page.context["navigation_groups"]]
    assert keys[0] == "algemeen" and keys.index("weten") < keys.index("vinden") < keys.index("kwaliteit")
    assert keys[-1] == "beheer"  # the regisseur reads the access log
    volunteer = client_as("vrijwilliger").get(reverse("core:home")).context["navigation_groups"]
    assert [g["key"] for g in volunteer] == ["algemeen", "vinden", "ondersteunen", "samenwerken"]  # maatje
    html = page.content.decode()
    assert 'aria-labelledby="menu-vinden"' in html and 'id="menu-vinden"' in html


@pytest.mark.django_db
def test_a_visitor_gets_the_public_menu_and_the_public_forms_need_no_login(client):
    page = client.get(reverse("informeren:index"))
    assert [i["url"] for i in page.context["navigation"]][0] == reverse("informeren:index")
    assert page.context["navigation_groups"] == []
    assert client.get(reverse("vinden:concern")).status_code == 200


@pytest.mark.django_db
def test_the_fake_block_hears_a_triage_it_subscribed_to(hilversum, demo_user, django_capture_on_commit_callbacks):
    """vinden publishes signal.triaged; the fake block listens, and vinden imports nothing of it."""
    from samen.core.tests.fakeblock import blocks as fake
    from samen.vinden.services.signals import submit_signal, triage

    signal = submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                             "description": "x"}).signal
    fake.heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        triage(demo_user("regisseur"), signal.pk, "social_work", assign_to=demo_user("sociaalwerker"))
    assert [(h["event"], h["signal_id"], h["decision"]) for h in fake.heard] == [
        ("signal.triaged", signal.pk, "social_work")]
