"""The 75+ register import shows what it will do and changes nothing until the regisseur confirms; a file of
one wijk replaces that wijk only."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from samen.core.models import PendingImport, Wijk
from samen.core.services.pending_imports import PendingImportError
from samen.core.tests.factories import UserFactory
from samen.core.tests.test_tabular import _xlsx
from samen.vinden.visits import services as visits
from samen.vinden.visits.demo import NOORD_OOST, RESIDENTS, ZUID, load_visits_demo
from samen.vinden.visits.models import RegisterEntry, Visit, VisitStatus

HEADER = "naam;postcode;huisnummer;toevoeging;geboortedatum\n"


@pytest.fixture
def demo(hilversum):
    return load_visits_demo(hilversum)


def extract(residents) -> bytes:
    return (HEADER + "".join(f"{n};{p};{h};{a};{b}\n" for n, p, h, a, b in residents)).encode()


def in_wijk(code):
    return [r for r in RESIDENTS if RegisterEntry.objects.filter(
        resident__name=r[0], resident__buurt__wijk__code=code).exists()]


def register_state():
    return (sorted(RegisterEntry.objects.filter(active=True).values_list("resident_id", flat=True)),
            sorted(Visit.objects.values_list("pk", "status")))


def upload(client, content: bytes, scope: str = "", name: str = "brp.csv"):
    return client.post(reverse("visits:register_import"),
                       {"file": SimpleUploadedFile(name, content), "scope": scope})


def test_regisseur_sees_who_leaves_and_which_visits_lapse_before_anything_changes(demo, client_as):
    client = client_as("regisseur")
    zuid = in_wijk(ZUID)
    leaving = len(RESIDENTS) - len(zuid) + 1  # everyone outside Zuid, and the last one of Zuid
    gone = zuid[-1][0]
    lapse = Visit.objects.filter(status__in=visits.OPEN).exclude(resident__buurt__wijk__code=ZUID).count() + \
        Visit.objects.filter(status__in=visits.OPEN, resident__name=gone).count()
    before = register_state()
    response = upload(client, extract(zuid[:-1]))
    assert response.status_code == 302 and "token=" in response["Location"]
    assert register_state() == before  # the upload alone changes nothing
    page = client.get(response["Location"]).content.decode()
    assert f"U gaat {leaving} mensen uit het register halen, {lapse} open bezoeken vervallen." in page
    assert gone in page
    pending = PendingImport.objects.get(kind="register")
    assert (pending.summary["imported"], pending.summary["removed"]) == (len(zuid) - 1, leaving)
    token = pending.token
    done = client.post(reverse("visits:register_confirm"), {"token": token, "confirm": "1"}, follow=True)
    assert f"{leaving} uit het register" in done.content.decode()
    assert RegisterEntry.objects.filter(active=True).count() == len(zuid) - 1
    assert not PendingImport.objects.exists()
    again = client.post(reverse("visits:register_confirm"), {"token": token, "confirm": "1"}, follow=True)
    assert "bestaat niet (meer)" in again.content.decode()  # a used token applies nothing twice


def test_a_file_of_one_wijk_replaces_only_that_wijk(demo, client_as):
    client = client_as("regisseur")
    zuid, noord_oost = in_wijk(ZUID), in_wijk(NOORD_OOST)
    assert noord_oost, "the demo has register entries in a second wijk"
    response = upload(client, extract(zuid[:-1]), scope=ZUID)
    page = client.get(response["Location"]).content.decode()
    assert "Het bestand bevat alleen wijk" in page and "U gaat 1 persoon uit het register halen" in page
    client.post(reverse("visits:register_confirm"), {"token": PendingImport.objects.get().token, "confirm": "1"})
    assert RegisterEntry.objects.filter(active=True, resident__buurt__wijk__code=NOORD_OOST).count() == len(noord_oost)
    assert RegisterEntry.objects.filter(active=True, resident__buurt__wijk__code=ZUID).count() == len(zuid) - 1


def test_a_row_outside_the_chosen_wijk_is_refused(demo, client_as):
    noord_oost = in_wijk(NOORD_OOST)
    response = upload(client_as("regisseur"), extract(in_wijk(ZUID) + noord_oost[:1]), scope=ZUID)
    assert response.status_code == 400
    body = response.content.decode()
    assert f"rij {len(in_wijk(ZUID)) + 2}, kolom postcode" in body and "niet in" in body
    assert not PendingImport.objects.exists()


def test_an_excel_extract_is_read_like_a_csv(demo, hilversum):
    rows = [["Naam", "Postcode", "Huisnummer", "Geboortedatum", "BSN"],
            *([n, p, h, datetime.datetime.fromisoformat(b)] for n, p, h, _a, b in in_wijk(ZUID) if not _a)]
    plan = visits.plan_register(hilversum, _xlsx(rows), filename="brp.xlsx",
                                wijk=Wijk.objects.get(code=ZUID))
    assert plan.ok, plan.report.problems
    assert plan.report.ignored_columns == ["BSN"]  # named, not used, not stored


@pytest.mark.parametrize("trouble", ["other user", "expired", "stale", "unknown"])
def test_a_confirmation_that_cannot_hold_is_refused_in_dutch_and_changes_nothing(demo, client_as, demo_user,
                                                                                 hilversum, trouble):
    client = client_as("regisseur")
    upload(client, extract(in_wijk(ZUID)))
    pending = PendingImport.objects.get()
    token = pending.token
    user = demo_user("regisseur")
    if trouble == "other user":
        user = UserFactory(gemeente=hilversum, username="tweede_regisseur")
    elif trouble == "expired":
        PendingImport.objects.filter(pk=pending.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif trouble == "stale":  # the register changed after the preview was made
        Visit.objects.filter(status=VisitStatus.PLANNED).order_by("pk").first().delete()
    else:
        token = "geen-echte-token"
    before = register_state()
    with pytest.raises(PendingImportError) as exc:
        visits.confirm_register_import(user, token)
    expected = {"other user": "andere gebruiker", "expired": "verlopen", "stale": "veranderd",
                "unknown": "bestaat niet"}[trouble]
    assert expected in str(exc.value)
    assert register_state() == before


def test_cancel_drops_the_upload(demo, client_as):
    client = client_as("regisseur")
    before = register_state()
    upload(client, extract(in_wijk(ZUID)[:3]))
    token = PendingImport.objects.get().token
    response = client.post(reverse("visits:register_confirm"), {"token": token, "cancel": "1"}, follow=True)
    assert "er is niets veranderd" in response.content.decode()
    assert not PendingImport.objects.exists() and register_state() == before


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_command_asks_and_refuses_without_a_terminal(demo, tmp_path):
    path = tmp_path / "brp.csv"
    path.write_bytes(extract(in_wijk(ZUID)))
    before = register_state()
    out = io.StringIO()
    with pytest.raises(CommandError, match="--yes"):
        call_command("import_register", "GM0402", str(path), stdout=out, stdin=io.StringIO(""))
    assert "You are about to remove" in out.getvalue() and register_state() == before
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_register", "GM0402", str(path), stdout=out, stdin=_Terminal("nee\n"))
    assert register_state() == before
    call_command("import_register", "GM0402", str(path), "--wijk", ZUID, stdout=out, stdin=_Terminal("ja\n"))
    assert "Register:" in out.getvalue()
    assert RegisterEntry.objects.filter(active=True, resident__buurt__wijk__code=NOORD_OOST).exists()
