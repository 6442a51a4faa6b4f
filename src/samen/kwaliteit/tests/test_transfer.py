"""The catalogue's import (CSV/Excel, all or nothing) and export (CSV, iCalendar feeds)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from samen.core import tabular
from samen.core.models import Organisation, User
from samen.kwaliteit.models import Activity, ActivityVersion, Location
from samen.kwaliteit.review import VersionStatus
from samen.kwaliteit.services import catalogue, transfer
from samen.kwaliteit.tests.factories import ActivityFactory
from samen.kwaliteit.vocabulary import Interest, TargetGroup

pytestmark = pytest.mark.django_db

EXAMPLE = transfer.EXAMPLE_FILE.read_bytes()


def row(**overrides) -> dict:
    values = {
        "organisatie": "Versa Welzijn", "titel": "Wandelen in het Corversbos",
        "omschrijving": "Een rustige wandeling met koffie na afloop.", "plek": "Wijkcentrum Lopes Dias",
        "straat": "Bosweg", "huisnummer": "10", "postcode": "1211CA", "plaats": "Hilversum", "datum": "2027-01-05",
        "begintijd": "10:00", "eindtijd": "11:30", "herhaling": "FREQ=WEEKLY;BYDAY=TU", "kosten": "gratis",
        "doelgroepen": "iedereen", "interesses": "wandelen|natuur", "talen": "Nederlands",
    }
    values.update(overrides)
    return values


def csv_file(*rows: dict, columns=None, delimiter=";") -> bytes:
    columns = columns or list(transfer.HEADERS)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    for item in rows:
        writer.writerow({c: item.get(c, "") for c in columns})
    return buffer.getvalue().encode("utf-8")


def counts() -> tuple[int, int, int]:
    return Activity.objects.count(), ActivityVersion.objects.count(), Location.objects.count()


@pytest.fixture
def regisseur(demo_user):
    return demo_user("regisseur")


# --- importing ---------------------------------------------------------------------------------------


def test_regisseur_imports_the_example_file_and_it_is_published_at_once(regisseur, hilversum):
    before = counts()
    report = transfer.import_activities(regisseur, EXAMPLE, "activiteiten_voorbeeld.csv")
    assert report.ok, report.problems
    assert (report.created, report.changed, report.unchanged, report.pending) == (5, 0, 0, 0)
    assert Activity.objects.count() == before[0] + 5
    walk = Activity.objects.get(title="Taalcafé in het Huis van de Buurt")
    assert walk.status == Activity.Status.PUBLISHED and walk.wijk.code == "WK040205"
    assert walk.rrule == "FREQ=MONTHLY;BYDAY=2TU" and walk.start_date == dt.date(2027, 1, 12)
    assert walk.languages == ["nl", "ar", "ti"] and walk.target_groups == ["newcomers"]
    cooking = Activity.objects.get(title="Samen koken voor beginners")
    assert str(cooking.cost_amount) == "3.00" and cooking.location.name == "Wijkcentrum Lopes Dias"
    assert Location.objects.filter(name="Wijkcentrum Lopes Dias").count() == 1  # the demo's place, reused
    online = Activity.objects.get(title="Online spelletjesavond")
    assert online.online and online.location is None and [i.name for i in online.interventions.all()] == ["Join Us"]
    assert catalogue.public_activities(hilversum).filter(pk=online.pk).exists()


def test_importing_the_same_file_again_changes_nothing(regisseur):
    transfer.import_activities(regisseur, EXAMPLE, "voorbeeld.csv")
    before = counts()
    again = transfer.import_activities(regisseur, EXAMPLE, "voorbeeld.csv")
    assert again.ok and (again.created, again.changed, again.unchanged) == (0, 0, 5)
    assert counts() == before


def test_a_changed_row_without_id_updates_the_matching_activity(regisseur):
    transfer.import_activities(regisseur, csv_file(row()), "a.csv")
    activity = Activity.objects.get(title="Wandelen in het Corversbos")
    report = transfer.import_activities(regisseur, csv_file(row(eindtijd="12:00")), "a.csv")
    assert (report.created, report.changed) == (0, 1)
    activity.refresh_from_db()
    assert activity.end_time == dt.time(12, 0) and activity.versions.count() == 2


def test_the_id_column_updates_that_activity_even_with_a_new_title(regisseur):
    transfer.import_activities(regisseur, csv_file(row()), "a.csv")
    activity = Activity.objects.get(title="Wandelen in het Corversbos")
    report = transfer.import_activities(regisseur, csv_file(row(id=str(activity.pk), titel="Boswandeling")), "a.csv")
    assert report.ok and (report.created, report.changed) == (0, 1)
    activity.refresh_from_db()
    assert activity.title == "Boswandeling"


def test_a_provider_import_waits_for_review(demo_user, hilversum):
    provider = demo_user("aanbieder")  # Heikracht
    report = transfer.import_activities(provider, csv_file(row(organisatie="Heikracht")), "a.csv")
    assert report.ok and report.pending == 1
    activity = Activity.objects.get(title="Wandelen in het Corversbos")
    assert activity.status == Activity.Status.DRAFT
    assert activity.versions.get().status == VersionStatus.PENDING
    assert not catalogue.public_activities(hilversum).filter(pk=activity.pk).exists()


def test_a_provider_cannot_import_for_another_organisation(demo_user):
    before = counts()
    report = transfer.import_activities(demo_user("aanbieder"), csv_file(row()), "a.csv")
    assert [(p.row, p.column) for p in report.problems] == [(2, "organisatie")]
    assert "Versa Welzijn" in report.problems[0].message
    assert counts() == before


def test_a_role_without_catalogue_rights_imports_nothing(demo_user):
    before = counts()
    report = transfer.import_activities(demo_user("vrijwilliger"), csv_file(row()), "a.csv")
    assert [(p.row, p.column) for p in report.problems] == [(0, "-")]
    assert counts() == before


def test_comma_separated_csv_with_labels_codes_and_dutch_dates(regisseur):
    data = csv_file(row(datum="05-01-2027", doelgroepen="65plus|jongeren 16-25", interesses="walking|Natuur",
                        soort_eenzaamheid="sociaal|emotional", kosten="vast bedrag", bedrag="€ 2,50",
                        aanmelden_nodig="Ja", rolstoeltoegankelijk="x"), delimiter=",")
    report = transfer.import_activities(regisseur, b"\xef\xbb\xbf" + data, "a.csv")
    assert report.ok, report.problems
    activity = Activity.objects.get(title="Wandelen in het Corversbos")
    assert activity.start_date == dt.date(2027, 1, 5) and activity.target_groups == ["65plus", "youth"]
    assert activity.interests == ["walking", "nature"] and activity.loneliness_kinds == ["social", "emotional"]
    assert str(activity.cost_amount) == "2.50" and activity.registration_required and activity.wheelchair_accessible


def test_optional_columns_may_be_left_out_and_defaults_apply(regisseur):
    columns = ["organisatie", "titel", "omschrijving", "plek", "postcode", "datum", "begintijd", "doelgroepen",
               "interesses"]
    report = transfer.import_activities(regisseur, csv_file(row(), columns=columns), "a.csv")
    assert report.ok, report.problems
    activity = Activity.objects.get(title="Wandelen in het Corversbos")
    assert activity.cost_type == "free" and activity.languages == ["nl"] and not activity.rrule


def test_excel_file_imports_like_csv(regisseur):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Organisatie", "Titel", "Omschrijving", "Plek", "Postcode", "Huisnummer", "Datum", "Begintijd",
                  "Eindtijd", "Herhaling", "Doelgroepen", "Interesses", "Aanmelden nodig", "Bedrag", "Kosten"])
    sheet.append(["Versa Welzijn", "Schaakclub", "Schaken voor iedereen.", "Wijkcentrum Lopes Dias", "1211CA", 10,
                  dt.datetime(2027, 2, 1), dt.time(19, 30), dt.time(22, 0), "FREQ=WEEKLY;BYDAY=MO", "iedereen",
                  "spelletjes", True, 1.5, "vast bedrag"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = transfer.import_activities(regisseur, buffer.getvalue(), "activiteiten.xlsx")
    assert report.ok, report.problems
    activity = Activity.objects.get(title="Schaakclub")
    assert activity.start_date == dt.date(2027, 2, 1) and activity.start_time == dt.time(19, 30)
    assert activity.location.house_number == 10 and str(activity.cost_amount) == "1.50"
    assert activity.registration_required


def test_dry_run_reports_what_would_happen_and_stores_nothing(regisseur):
    before = counts()
    report = transfer.import_activities(regisseur, EXAMPLE, "voorbeeld.csv", dry_run=True)
    assert report.ok and report.created == 5 and report.dry_run
    assert counts() == before


# --- bad input: a clear message naming row and column, and nothing stored ------------------------------


def test_a_file_with_wrong_columns_names_the_missing_and_unknown_ones(regisseur):
    columns = ["organisatie", "titel", "omschrijving", "datum", "begintijd", "doelgroep", "interesses", "herhallng"]
    before = counts()
    report = transfer.import_activities(regisseur, csv_file(row(), columns=columns), "a.csv")
    assert len(report.problems) == 1
    message = str(report.problems[0])
    assert "ontbreken: doelgroepen;" in message and "kennen we niet: doelgroep, herhallng" in message
    assert counts() == before


@pytest.mark.parametrize(("overrides", "column", "words"), [
    ({"herhaling": "elke dinsdag"}, "herhaling", "FREQ"),
    ({"herhaling": "FREQ=WEEKLY;BYDAY=XX"}, "herhaling", "geen geldige iCalendar-regel"),
    ({"eindtijd": "09:00"}, "eindtijd", "voor of op de begintijd"),
    ({"geldig_tot": "2026-12-01"}, "geldig_tot", "voor de (eerste) datum"),
    ({"postcode": "9999ZZ"}, "postcode", "ligt niet in Hilversum"),
    ({"postcode": "12345"}, "postcode", "geen geldige postcode"),
    ({"kosten": "vast bedrag", "bedrag": "-3"}, "bedrag", "negatief"),
    ({"kosten": "duur"}, "kosten", "gratis, vast bedrag of vrijwillige bijdrage"),
    ({"interesses": "wandelen|zwemmen"}, "interesses", "zwemmen"),
    ({"datum": "31-02-2027"}, "datum", "geen datum"),
    ({"begintijd": "25:00"}, "begintijd", "geen tijd"),
    ({"organisatie": "Onbekende club"}, "organisatie", "Onbekende club"),
    ({"interventies": "Bestaat niet"}, "interventies", "Bestaat niet"),
    ({"id": "999999"}, "id", "999999"),
    ({"online": "misschien"}, "online", "ja of nee"),
])
def test_a_bad_row_is_named_and_nothing_is_imported(regisseur, overrides, column, words):
    good = row(titel="Een goede rij die ook niet wordt opgeslagen")
    before = counts()
    report = transfer.import_activities(regisseur, csv_file(good, row(**overrides)), "a.csv")
    assert not report.ok
    assert (3, column) in [(p.row, p.column) for p in report.problems], report.problems
    problem = next(p for p in report.problems if p.column == column)
    assert words in problem.message
    assert str(problem).startswith(f"rij 3, kolom {column}: ")
    assert counts() == before and report.imported == 0


def test_two_rows_for_the_same_activity_are_refused(regisseur):
    before = counts()
    report = transfer.import_activities(regisseur, csv_file(row(), row(omschrijving="Anders")), "a.csv")
    assert [(p.row, p.column) for p in report.problems] == [(3, "titel")]
    assert counts() == before


def test_files_that_cannot_be_read(regisseur):
    # A Windows-1252 file (older Dutch Excel) is read as such: the unknown column is named correctly.
    assert "niet: é." in transfer.import_activities(regisseur, "titel;é".encode("cp1252"), "a.csv").problems[0].message
    assert ".xlsx" in transfer.import_activities(regisseur, b"\xd0\xcf\x11\xe0", "a.xls").problems[0].message
    assert "Excel" in transfer.import_activities(regisseur, b"PK\x03\x04rubbish", "a.xlsx").problems[0].message
    assert not transfer.import_activities(regisseur, csv_file(), "a.csv").ok  # a header and no rows


# --- export --------------------------------------------------------------------------------------------


def test_export_then_import_round_trips_without_changes(regisseur, hilversum):
    transfer.import_activities(regisseur, EXAMPLE, "voorbeeld.csv")
    exported = transfer.export_csv(transfer.public_export(hilversum))
    assert exported.startswith("\ufeffid;organisatie;titel;")
    before = counts()
    report = transfer.import_activities(regisseur, exported.encode("utf-8"), "export.csv")
    assert report.ok, report.problems[:5]
    assert report.created == 0 and report.changed == 0
    assert report.unchanged == catalogue.public_activities(hilversum).count()
    assert counts() == before


def test_export_writes_labels_and_guards_against_spreadsheet_formulas(hilversum):
    activity = ActivityFactory(organisation=Organisation.objects.get(gemeente=hilversum, name="Heikracht"),
                               title="=HYPERLINK(\"x\")", contact_phone="+31 35 123", cost_type="amount",
                               cost_amount="4.50", interests=["walking", "nature"])
    rows = list(csv.DictReader(io.StringIO(transfer.export_csv(
        Activity.objects.filter(pk=activity.pk)).lstrip("\ufeff")), delimiter=";"))
    assert rows[0]["titel"] == "'=HYPERLINK(\"x\")" and rows[0]["telefoon"] == "'+31 35 123"
    assert rows[0]["interesses"] == "wandelen|natuur" and rows[0]["bedrag"] == "4,50"
    assert rows[0]["kosten"] == "vast bedrag" and rows[0]["organisatie"] == "Heikracht"


COLUMN = {c.name: c for c in transfer.COLUMNS}


@given(st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=40).map(str.strip))
def test_any_text_cell_survives_export_and_import(text):
    """The formula guard (a leading quote) is taken off again exactly."""
    cell = tabular.guard(transfer._cell(COLUMN["titel"], text, None))
    assert cell[:1] not in ("=", "+", "-", "@") or tabular.NUMBER_RE.match(cell)  # -3 stays a number
    assert transfer._parse_cell(COLUMN["titel"], cell, {}) == text


@given(st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False),
       st.lists(st.sampled_from(Interest.values), unique=True, min_size=1),
       st.lists(st.sampled_from(TargetGroup.values), unique=True, min_size=1))
def test_amounts_and_word_lists_survive_export_and_import(amount, interests, groups):
    from django.utils import translation

    with translation.override("nl"):
        labels = {name: dict(COLUMN[name].vocabulary.choices) for name in ("interesses", "doelgroepen")}
    for name, codes in (("interesses", interests), ("doelgroepen", groups)):
        cell = transfer._cell(COLUMN[name], codes, labels[name])
        assert transfer._parse_cell(COLUMN[name], cell, {}) == codes
    cell = tabular.guard(transfer._cell(COLUMN["bedrag"], amount, None))
    assert transfer._parse_cell(COLUMN["bedrag"], cell, {}) == str(amount)


def test_export_csv_page_is_public_and_holds_only_public_activities(client, hilversum):
    withdrawn = Activity.objects.filter(gemeente=hilversum, status=Activity.Status.PUBLISHED).first()
    Activity.objects.filter(pk=withdrawn.pk).update(status=Activity.Status.WITHDRAWN)
    response = client.get(reverse("kwaliteit:export_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    ids = {int(r["id"]) for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")}
    assert ids == set(catalogue.public_activities(hilversum).values_list("pk", flat=True))
    assert withdrawn.pk not in ids


# --- iCalendar feeds ---------------------------------------------------------------------------------


def _events(response) -> dict:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_wijk_feed_holds_the_wijks_public_activities_with_their_rule_and_end(client, regisseur, hilversum):
    transfer.import_activities(regisseur, EXAMPLE, "voorbeeld.csv")  # the cooking course ends on 29 June 2027
    events = _events(client.get(reverse("kwaliteit:feed_wijk", kwargs={"code": "WK040207"})))  # Lopes Dias
    expected = set(catalogue.public_activities(hilversum).filter(wijk__code="WK040207").values_list("title", flat=True))
    assert set(events) == expected and "Samen koken voor beginners" in events
    cooking = events["Samen koken voor beginners"]
    rule = cooking["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["TU"]
    assert rule["UNTIL"][0].astimezone(dt.UTC).date() == dt.date(2027, 6, 29)
    assert cooking["DTSTART"].dt == dt.datetime(2027, 1, 12, 14, 0, tzinfo=cooking["DTSTART"].dt.tzinfo)
    assert "Wijkcentrum Lopes Dias" in str(cooking["LOCATION"])


def test_organisation_feed_and_whole_feed(client, hilversum):
    heikracht = Organisation.objects.get(gemeente=hilversum, name="Heikracht")
    events = _events(client.get(reverse("kwaliteit:feed_organisation", kwargs={"pk": heikracht.pk})))
    public = catalogue.public_activities(hilversum)
    assert set(events) == set(public.filter(organisation=heikracht).values_list("title", flat=True))
    assert "Maandelijkse maaltijd in de Bethlehemkerk" in events
    assert events["Maandelijkse maaltijd in de Bethlehemkerk"]["RRULE"]["BYDAY"] == ["3WE"]
    everything = _events(client.get(reverse("kwaliteit:feed")))
    assert len(everything) == len(set(public.values_list("title", flat=True)))


def test_feeds_of_unknown_wijk_or_organisation_are_not_found(client):
    assert client.get(reverse("kwaliteit:feed_wijk", kwargs={"code": "WK999999"})).status_code == 404
    assert client.get(reverse("kwaliteit:feed_organisation", kwargs={"pk": 999999})).status_code == 404


# --- the import screen and the command -----------------------------------------------------------------


def test_regisseur_uploads_a_file_on_the_import_screen(client_as):
    client = client_as("regisseur")
    page = client.get(reverse("kwaliteit:import"))
    assert page.status_code == 200 and "herhaling" in page.content.decode()
    upload = SimpleUploadedFile("voorbeeld.csv", EXAMPLE, content_type="text/csv")
    preview = client.post(reverse("kwaliteit:import"), {"file": upload}, follow=True)
    assert preview.status_code == 200 and "5 nieuwe" in preview.content.decode()
    assert not Activity.objects.filter(title="Online spelletjesavond").exists()  # nothing before confirming
    response = client.post(reverse("kwaliteit:import_confirm"), {"token": preview.context["token"], "confirm": "1"},
                           follow=True)
    assert "5 nieuwe" in response.content.decode()
    assert Activity.objects.filter(title="Online spelletjesavond").exists()


def test_the_import_screen_shows_the_report_and_stores_nothing(client_as):
    client = client_as("regisseur")
    before = counts()
    upload = SimpleUploadedFile("a.csv", csv_file(row(herhaling="elke dinsdag")), content_type="text/csv")
    response = client.post(reverse("kwaliteit:import"), {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Er is niets veranderd" in body and "rij 2, kolom herhaling" in body
    assert counts() == before


def test_the_import_screen_checks_without_storing(client_as):
    client = client_as("regisseur")
    before = counts()
    upload = SimpleUploadedFile("voorbeeld.csv", EXAMPLE, content_type="text/csv")
    response = client.post(reverse("kwaliteit:import"), {"file": upload}, follow=True)
    assert response.status_code == 200 and "Er is nog niets opgeslagen" in response.content.decode()
    assert counts() == before
    client.post(reverse("kwaliteit:import_confirm"), {"token": response.context["token"], "cancel": "1"})
    assert counts() == before


def test_command_imports_and_exports(tmp_path, hilversum):
    source = tmp_path / "activiteiten.csv"
    source.write_bytes(EXAMPLE)
    out = io.StringIO()
    call_command("catalogue", "import", str(source), "--user", "regisseur", "--dry-run", stdout=out)
    assert "Would import: 5 new" in out.getvalue() and not Activity.objects.filter(title="Schaakclub").exists()
    with pytest.raises(CommandError, match="--yes"):  # no terminal: refuse without --yes
        call_command("catalogue", "import", str(source), "--user", "regisseur", stdout=out)
    assert not Activity.objects.filter(title="Schaakclub").exists()
    call_command("catalogue", "import", str(source), "--user", "regisseur", "--yes", stdout=out)
    assert Activity.objects.filter(title="Online spelletjesavond", status="published").exists()
    call_command("catalogue", "export", "--format", "csv", str(tmp_path / "export.csv"), stdout=out)
    call_command("catalogue", "export", "--format", "ical", str(tmp_path / "agenda.ics"), stdout=out)
    assert (tmp_path / "export.csv").read_text(encoding="utf-8-sig").startswith("id;organisatie")
    calendar = Calendar.from_ical((tmp_path / "agenda.ics").read_bytes())
    assert len(calendar.walk("VEVENT")) == catalogue.public_activities(hilversum).count()


def test_command_refuses_a_bad_file_and_names_the_problem(tmp_path):
    source = tmp_path / "fout.csv"
    source.write_bytes(csv_file(row(postcode="9999ZZ")))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("catalogue", "import", str(source), "--user", "regisseur", stderr=err)
    assert "rij 2, kolom postcode" in err.getvalue()
    with pytest.raises(CommandError, match="no user"):
        call_command("catalogue", "import", str(source), "--user", "niemand")
    assert not User.objects.filter(username="niemand").exists()



def test_a_providers_import_sends_one_summary_to_the_regisseurs(demo_user, sent_mail,
                                                                django_capture_on_commit_callbacks):
    provider = demo_user("aanbieder")  # Heikracht
    User.objects.filter(username="regisseur").update(email="regisseur@example.invalid")
    rows = [row(organisatie="Heikracht", titel=f"Wandeling {n}") for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        report = transfer.import_activities(provider, csv_file(*rows), "a.csv")
    assert report.ok and report.pending == 3
    assert len(sent_mail()) == 1 and "3 activiteiten" in sent_mail()[0].subject
    assert "regisseur@example.invalid" in sent_mail()[0].to


def test_a_catalogue_changed_since_the_preview_is_not_imported(client_as, hilversum):
    client = client_as("regisseur")
    before = counts()
    preview = client.post(reverse("kwaliteit:import"), {"file": SimpleUploadedFile("v.csv", EXAMPLE)}, follow=True)
    Activity.objects.filter(gemeente=hilversum, status=Activity.Status.PUBLISHED,
                            referrals__isnull=True).order_by("pk").first().delete()
    after_delete = counts()
    response = client.post(reverse("kwaliteit:import_confirm"), {"token": preview.context["token"], "confirm": "1"},
                           follow=True)
    assert "De gegevens zijn veranderd sinds het bestand werd ingelezen" in response.content.decode()
    assert counts() == after_delete != before
