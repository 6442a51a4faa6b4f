"""The 75+ home visits: register import, rounds, assignment, reports, letters, coverage, access."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samen.core.models import AccessLogEntry, Resident, User, Wijk
from samen.vinden.models import Signal
from samen.vinden.visits import services as visits
from samen.vinden.visits.demo import RESIDENTS, YEAR, load_visits_demo
from samen.vinden.visits.models import RegisterEntry, Visit, VisitRound, VisitStatus, VolunteerCapacity

TODAY = datetime.date(2026, 1, 10)
HEADER = "naam;adres;postcode;huisnummer;toevoeging;geboortedatum\n"


def extract(*rows: str) -> str:
    return HEADER + "\n".join(rows) + "\n"


@pytest.fixture
def demo(hilversum):
    return load_visits_demo(hilversum)


@pytest.fixture
def zuid(hilversum):
    return Wijk.objects.get(code="WK040204")


def my_open_visit(user) -> Visit:
    return Visit.objects.filter(volunteer=user, status=VisitStatus.PLANNED).order_by("pk").first()


# --- register import ------------------------------------------------------------------------------

def test_import_keeps_birth_year_only_and_places_the_address(hilversum):
    report = visits.import_register(hilversum, extract("Mevrouw Test;Bosweg 3;1214 dj;3;;1940-05-17"), today=TODAY)
    assert report.ok, report.problems
    assert (report.added, report.imported) == (1, RegisterEntry.objects.filter(gemeente=hilversum,
                                                                               active=True).count())
    resident = RegisterEntry.objects.get(resident__name="Mevrouw Test").resident
    assert resident.birth_year == 1940
    assert resident.postcode == "1214DJ" and resident.buurt.wijk.code == "WK040204"
    assert not hasattr(resident, "birth_date")
    assert AccessLogEntry.objects.filter(record_id=str(resident.pk), action="create", purpose="huisbezoek").exists()


def test_import_reports_every_problem_with_row_and_column_and_stores_nothing(hilversum):
    residents_before = Resident.objects.count()
    report = visits.import_register(hilversum, extract(
        "Goed;;1214DJ;3;;1940-05-17",
        ";;1214DJ;4;;1940-05-17",
        "Slechte postcode;;12AB;4;;1940-05-17",
        "Onbekend adres;;9999ZZ;4;;1940-05-17",
        "Geen datum;;1214DJ;6;;gisteren",
        "Geen nummer;;1214DJ;x;;1940-05-17",
        "Goed;;1214DJ;3;;1940-05-17",
    ), today=TODAY)
    assert not report.ok
    found = {(p.row, p.column) for p in report.problems}
    assert {(3, "naam"), (4, "postcode"), (5, "postcode"), (6, "geboortedatum"), (7, "huisnummer"),
            (8, "naam")} <= found
    assert any("rij 6, kolom geboortedatum" in str(p) for p in report.problems)
    assert Resident.objects.count() == residents_before
    assert not RegisterEntry.objects.exists()


def test_import_missing_columns(hilversum):
    report = visits.import_register(hilversum, "naam;postcode\nA;1214DJ\n", today=TODAY)
    assert [(p.row, p.column) for p in report.problems] == [(1, "kopregel")]
    assert "ontbreken: huisnummer, geboortedatum" in report.problems[0].message


def test_import_skips_people_under_75_on_1_january(hilversum):
    report = visits.import_register(hilversum, extract(
        "Net 75;;1214DJ;3;;1951-01-01",   # 75 on 1 January 2026
        "Te jong;;1214DJ;5;;1951-01-02",  # turns 75 on 2 January
    ), today=TODAY)
    assert report.ok and report.added == 1 and report.too_young == 1


def test_movers_and_deceased_leave_the_register_on_the_next_import(hilversum):
    first = extract("Blijft;;1214DJ;3;;1940-05-17", "Verhuist;;1214DJ;5;;1938-01-01",
                    "Heeft signaal;;1214DJ;7;;1939-01-01")
    assert visits.import_register(hilversum, first, today=TODAY).ok
    stays = Resident.objects.get(name="Blijft")
    moves = Resident.objects.get(name="Verhuist")
    with_signal = Resident.objects.get(name="Heeft signaal")
    Signal.objects.create(gemeente=hilversum, channel="staff", resident=with_signal, triage_deadline=TODAY)
    report = visits.import_register(hilversum, extract("Blijft;;1214DJ;3;;1940-05-17"), today=TODAY)
    assert report.ok and (report.kept, report.removed, report.imported) == (1, 2, 1)
    assert Resident.objects.filter(pk=stays.pk).exists()
    assert not Resident.objects.filter(pk=moves.pk).exists()  # erased: the import made it, nothing refers to it
    assert RegisterEntry.objects.get(resident=with_signal).active is False  # kept for the signal, not in register
    assert AccessLogEntry.objects.filter(record_id=str(moves.pk), action="delete").exists()


def test_import_rejects_non_utf8_and_empty(hilversum):
    assert not visits.import_register(hilversum, "naam".encode("utf-16"), today=TODAY).ok
    assert not visits.import_register(hilversum, HEADER, today=TODAY).ok


def test_import_command(hilversum, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "brp.csv"
    path.write_text(extract("Via commando;;1214DJ;3;;1940-05-17"), encoding="utf-8")
    call_command("import_register", "GM0402", str(path), "--yes")
    assert RegisterEntry.objects.filter(resident__name="Via commando", active=True).exists()


def test_import_screen_is_for_the_regisseur(client_as, hilversum):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("visits:register_import")
    assert client_as("sociaalwerker").get(url).status_code == 403
    bad = SimpleUploadedFile("brp.csv", extract("X;;9999ZZ;1;;1940-01-01").encode())
    response = client_as("regisseur").post(url, {"file": bad})
    assert response.status_code == 400 and "rij 2, kolom postcode" in response.content.decode()


# --- rounds and assignment ------------------------------------------------------------------------

def test_round_creation_makes_a_visit_per_register_resident_of_the_wijk(demo, demo_user, zuid):
    round_ = demo["rounds"]["WK040204"]
    in_zuid = RegisterEntry.objects.filter(active=True, resident__buurt__wijk=zuid).count()
    assert round_.visits.count() == in_zuid == sum(1 for r in RESIDENTS if r[1].startswith("1214"))
    with pytest.raises(ValidationError) as exc:
        visits.create_round(demo_user("regisseur"), zuid, YEAR, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 2, 1))
    assert "year" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        visits.create_round(demo_user("regisseur"), zuid, 2027, datetime.date(2027, 3, 1), datetime.date(2027, 2, 1))
    assert "ends_on" in exc.value.message_dict


def test_social_worker_manages_only_own_wijken(demo, client_as, demo_user, zuid):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        visits.create_round(demo_user("sociaalwerker"), zuid, 2027, datetime.date(2027, 3, 1),
                            datetime.date(2027, 6, 1))
    zuid_round = demo["rounds"]["WK040204"]
    assert client_as("sociaalwerker").get(reverse("visits:round_detail", args=[zuid_round.pk])).status_code == 403
    no_round = demo["rounds"]["WK040207"]
    assert client_as("sociaalwerker").get(reverse("visits:round_detail", args=[no_round.pk])).status_code == 200


def test_round_create_screen(client_as, demo, hilversum):
    client = client_as("regisseur")
    wijk = Wijk.objects.get(code="WK040201")
    response = client.post(reverse("visits:round_create"), {"wijk": wijk.pk, "year": 2026, "starts_on": "2026-02-01",
                                                            "ends_on": "2026-01-01"})
    assert response.status_code == 400 and "vóór de begindatum" in response.content.decode()
    response = client.post(reverse("visits:round_create"), {"wijk": wijk.pk, "year": 2026, "starts_on": "2026-02-01",
                                                            "ends_on": "2026-12-01"})
    assert response.status_code == 302
    assert VisitRound.objects.filter(wijk=wijk, year=2026).exists()


def test_assignment_within_capacity_and_only_to_volunteers_of_the_wijk(demo, hilversum, demo_user, zuid):
    round_ = demo["rounds"]["WK040204"]
    volunteer = demo_user("vrijwilliger")
    elsewhere = User.objects.create(username="vrijwilliger_noord", gemeente=hilversum, role="vrijwilliger")
    elsewhere.wijken.set(Wijk.objects.filter(code="WK040207"))
    helper = User.objects.create(username="vrijwilliger_zuid2", gemeente=hilversum, role="vrijwilliger")
    helper.wijken.set([zuid])
    VolunteerCapacity.objects.create(user=helper, visits_per_round=3)
    result = visits.assign(demo_user("regisseur"), round_)
    assert round_.visits.filter(volunteer=volunteer).count() <= visits.capacity_of(volunteer) == 20
    assert round_.visits.filter(volunteer=helper).count() == 3
    assert not round_.visits.filter(volunteer=elsewhere).exists()
    assert result.volunteers == 2
    assert round_.visits.filter(volunteer=None).count() == result.unassigned


def test_capacity_zero_gets_nothing_and_bad_capacity_is_refused(demo, hilversum, demo_user, zuid, client_as):
    round_ = demo["rounds"]["WK040204"]
    helper = User.objects.create(username="vrijwilliger_zuid3", gemeente=hilversum, role="vrijwilliger")
    helper.wijken.set([zuid])
    visits.set_capacity(demo_user("regisseur"), round_, helper, 0)
    visits.assign(demo_user("regisseur"), round_)
    assert not round_.visits.filter(volunteer=helper).exists()
    with pytest.raises(ValidationError):
        visits.set_capacity(demo_user("regisseur"), round_, helper, -1)
    response = client_as("regisseur").post(reverse("visits:round_capacity", args=[round_.pk]),
                                           {"volunteer": helper.pk, "visits_per_round": "veel"}, follow=True)
    assert "Kies een vrijwilliger van deze wijk" in response.content.decode()


# --- reports --------------------------------------------------------------------------------------

def test_report_not_home_then_declined(demo, demo_user):
    volunteer = demo_user("vrijwilliger")
    visit = my_open_visit(volunteer)
    visits.report_visit(volunteer, visit.pk, VisitStatus.NOT_HOME)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.NOT_HOME and visit.is_open
    visits.report_visit(volunteer, visit.pk, VisitStatus.DECLINED, answers=["ja"] * 6)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DECLINED and visit.djg6_total is None
    with pytest.raises(ValidationError):
        visits.report_visit(volunteer, visit.pk, VisitStatus.VISITED)


def test_report_visited_scores_djg6(demo, demo_user):
    volunteer = demo_user("vrijwilliger")
    visit = my_open_visit(volunteer)
    # items 3, 4, 7, 8, 9, 10: emotional 3, 9, 10 count "ja"/"min of meer"; social 4, 7, 8 count "nee"/"min of meer"
    visits.report_visit(volunteer, visit.pk, VisitStatus.VISITED,
                        answers={3: "ja", 4: "nee", 7: "ja", 8: "min of meer", 9: "nee", 10: "nee"},
                        wishes="Samen koken", wants_contact=False)
    visit.refresh_from_db()
    assert (visit.djg6_total, visit.djg6_emotional, visit.djg6_social) == (3, 1, 2)
    assert visit.signal is None and visit.wishes == "Samen koken"


def test_wants_contact_creates_a_home_visit_signal(demo, demo_user):
    volunteer = demo_user("vrijwilliger")
    visit = my_open_visit(volunteer)
    result = visits.report_visit(volunteer, visit.pk, VisitStatus.VISITED, answers=[""] * 6,
                                 wishes="Wil graag naar de eettafel", wants_contact=True)
    assert result.signal_created
    signal = Visit.objects.get(pk=visit.pk).signal
    assert signal.channel == "home_visit" and signal.age_group == "75+" and signal.observations == ["75_plus"]
    assert signal.resident_id == visit.resident_id and signal.reporter == volunteer
    assert "eettafel" in signal.description


def test_bad_report_input(demo, demo_user):
    volunteer = demo_user("vrijwilliger")
    visit = my_open_visit(volunteer)
    with pytest.raises(ValidationError) as exc:
        visits.report_visit(volunteer, visit.pk, VisitStatus.VISITED, answers={3: "misschien"}, wishes="x" * 5001)
    assert {"djg_3", "wishes"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        visits.report_visit(volunteer, visit.pk, "planned")
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED


def test_report_screen_confirms_the_signal(demo, client_as, demo_user):
    volunteer = demo_user("vrijwilliger")
    visit = my_open_visit(volunteer)
    client = client_as("vrijwilliger")
    url = reverse("visits:visit_report", args=[visit.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "visited", "djg_3": "misschien"})
    assert response.status_code == 400
    data = {"status": "visited", "djg_3": "ja", "djg_4": "nee", "djg_7": "nee", "djg_8": "ja", "djg_9": "ja",
            "djg_10": "min of meer", "wishes": "Een maatje", "wants_contact": "ja"}
    response = client.post(url, data, follow=True)
    assert "Er is een signaal doorgegeven aan sociaal werk" in response.content.decode()
    assert Visit.objects.get(pk=visit.pk).signal.channel == "home_visit"


def test_volunteer_sees_only_own_visits(demo, hilversum, client_as, demo_user, zuid):
    other = User.objects.create(username="vrijwilliger_ander", gemeente=hilversum, role="vrijwilliger")
    foreign = Visit.objects.filter(round=demo["rounds"]["WK040204"], volunteer=None).first() or \
        Visit.objects.filter(round=demo["rounds"]["WK040207"]).first()
    foreign.volunteer = other
    foreign.save()
    client = client_as("vrijwilliger")
    assert client.get(reverse("visits:visit_report", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("visits:visit_report", args=[foreign.pk]), {"status": "not_home"}).status_code == 404
    page = client.get(reverse("visits:visit_list")).content.decode()
    assert foreign.resident.name not in page
    own = my_open_visit(demo_user("vrijwilliger"))
    assert own.resident.name in page


def test_the_access_log_records_the_volunteers_reads_and_reports(demo, client_as, demo_user):
    volunteer = demo_user("vrijwilliger")
    visit = my_open_visit(volunteer)
    before = AccessLogEntry.objects.filter(actor=volunteer, purpose="huisbezoek").count()
    client = client_as("vrijwilliger")
    client.get(reverse("visits:visit_list"))
    client.post(reverse("visits:visit_report", args=[visit.pk]), {"status": "not_home"})
    entries = AccessLogEntry.objects.filter(actor=volunteer, purpose="huisbezoek", record_id=str(visit.resident_id))
    assert {e.action for e in entries} >= {"view", "change"}
    assert AccessLogEntry.objects.filter(actor=volunteer, purpose="huisbezoek").count() > before


# --- letters and coverage -------------------------------------------------------------------------

def test_letters_csv_and_pdf(demo, client_as, demo_user):
    from samen.core.pdf import structure

    round_ = demo["rounds"]["WK040204"]
    client = client_as("regisseur")
    open_visits = round_.visits.filter(status__in=("planned", "not_home"))
    assert 0 < open_visits.count() < round_.visits.count()  # the demo has a visited and a declined resident
    csv_text = client.get(reverse("visits:round_letters_csv", args=[round_.pk])).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0] == "naam;adres;postcode;plaats;vrijwilliger"
    assert len(lines) == open_visits.count() + 1
    for done in round_.visits.filter(status__in=("visited", "declined")).select_related("resident"):
        assert not any(line.startswith(done.resident.name + ";") for line in lines)
    visser = open_visits.get(resident__name="De heer P. Visser")
    assert any(line.startswith("De heer P. Visser;") for line in lines)
    response = client.get(reverse("visits:round_letters_pdf", args=[round_.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    text = text.decode()
    assert "Geachte heer Visser," in text and "Gemeente Hilversum" in text and "14 035" in text
    assert "Hoe herkent u de buurtmaker?" in text and "Liever geen bezoek?" in text
    assert visser.volunteer.get_full_name() in text
    assert text.count("\f") == open_visits.count()  # one A4 letter per resident
    tree = structure(response.content)
    if tree is not None:  # a tagged PDF: headings and paragraphs in the structure tree
        assert tree.startswith("Document") and "H1 (block)" in tree and "H2 (block)" in tree and "P (block)" in tree
    exports = AccessLogEntry.objects.filter(actor=demo_user("regisseur"), action="export", purpose="huisbezoek")
    assert exports.count() >= 2 * open_visits.count()


def test_a_letter_greets_by_the_registers_salutation():
    from samen.vinden.visits.salutation import salutation, surname

    assert salutation("Mevrouw G. Bakker") == "Geachte mevrouw Bakker"
    assert salutation("G. Bakker", "mevrouw") == "Geachte mevrouw Bakker"
    assert salutation("De heer W. de Boer") == "Geachte heer De Boer"
    assert salutation("Anna van der Meer", "mevrouw") == "Geachte mevrouw Van der Meer"
    assert salutation("J. Pronk") == "Geachte heer/mevrouw J. Pronk"
    assert salutation("") == "Geachte heer/mevrouw"
    assert surname("Mevrouw T. Jansen-Kok") == "Jansen-Kok"


def test_the_register_import_reads_the_salutation(hilversum):
    extract = ("naam;postcode;huisnummer;geboortedatum;geslacht\n"
               "A. Aanhef;1214CT;3;1940-01-01;V\nB. Aanhef;1214CT;17;1940-01-01;M\nC. Aanhef;1214CT;28;1940-01-01;X\n")
    report = visits.import_register(hilversum, extract, today=datetime.date(YEAR, 1, 2))
    assert report.ok, report.problems
    found = dict(RegisterEntry.objects.filter(resident__name__endswith="Aanhef").values_list("resident__name",
                                                                                              "salutation"))
    assert found == {"A. Aanhef": "mevrouw", "B. Aanhef": "heer", "C. Aanhef": ""}


def coverage_rows(user, **kwargs) -> dict:
    return {r["wijk"].code: r for r in visits.coverage(user, user.gemeente, YEAR, **kwargs)["rows"]}


def test_coverage_counts(demo, demo_user):
    table = visits.coverage(demo_user("regisseur"), demo_user("regisseur").gemeente, YEAR,
                            today=datetime.date(YEAR, 6, 1))
    zuid = {r["wijk"].code: r for r in table["rows"]}["WK040204"]
    assert zuid["residents"] == 24 and zuid["visited"] == 2 and zuid["declined"] == 1
    assert zuid["open"] == 21 and zuid["overdue"] == 0 and zuid["share"] == 8
    assert not table["protected"]
    assert table["totals"]["residents"] == sum(r["residents"] for r in table["rows"])
    late = coverage_rows(demo_user("regisseur"), today=datetime.date(YEAR + 1, 1, 5))
    assert late["WK040204"]["overdue"] == 21 and late["WK040207"]["overdue"] == 16


def test_the_beleidsadviseur_gets_small_counts_hidden(demo, demo_user):
    exact = visits.coverage(demo_user("regisseur"), demo_user("regisseur").gemeente, YEAR)
    shown = visits.coverage(demo_user("beleidsadviseur"), demo_user("beleidsadviseur").gemeente, YEAR)
    assert shown["protected"]
    hidden = 0
    for true_row, row in zip(exact["rows"], shown["rows"], strict=True):
        for key in visits.COVERAGE_COUNTS:
            assert row[key] in (None, true_row[key])
            assert not (row[key] is not None and 0 < row[key] < 5)
            hidden += row[key] is None
        assert row["share"] is None or row["share"] == true_row["share"]
    zuid = {r["wijk"].code: r for r in shown["rows"]}["WK040204"]
    assert zuid["visited"] is None and zuid["declined"] is None and zuid["share"] is None  # 2 and 1 visits
    assert hidden >= 2


def test_beleidsadviseur_sees_coverage_counts_but_no_names(demo, client_as):
    Visit.objects.filter(round__wijk__code="WK040207").update()
    VisitRound.objects.filter(year=YEAR).update(ends_on=datetime.date(YEAR, 3, 2))  # everything open is overdue
    response = client_as("beleidsadviseur").get(reverse("visits:coverage") + f"?jaar={YEAR}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zuid" in page and "Te laat" in page
    for name, *_rest in RESIDENTS:
        assert name not in page
    regisseur_page = client_as("regisseur").get(reverse("visits:coverage") + f"?jaar={YEAR}").content.decode()
    assert "Mevrouw R. Mulder" in regisseur_page or "De heer W. de Boer" in regisseur_page
    assert client_as("partner").get(reverse("visits:coverage")).status_code == 403
    assert client_as("vrijwilliger").get(reverse("visits:coverage")).status_code == 403
