"""Re-importing a survey wave: the beleidsadviseur sees what the file replaces (respondents now and after,
per wijk, the targets recalculated) and nothing changes until she confirms; the confirmation replaces the
wave in one transaction and is refused, in Dutch, when it is someone else's, expired or stale. The import
screen keeps the mapping of each wave's last import and offers a template to fill in."""

from __future__ import annotations

import datetime

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from samen.core.models import PendingImport, Wijk
from samen.core.roles import Role
from samen.core.services.pending_imports import PendingImportError
from samen.core.tests.clients import verified_client
from samen.core.tests.factories import GemeenteFactory, UserFactory
from samen.weten.models import Respondent, Wave
from samen.weten.services import survey_import, survey_preview
from samen.weten.services.survey_import import CANONICAL_MAPPING, SurveyMapping
from samen.weten.tests.factories import TargetFactory
from samen.weten.tests.test_survey_import import MAPPING, run, source_frame

pytestmark = pytest.mark.django_db


def csv(rows: int) -> bytes:
    return source_frame(rows).to_csv(index=False).encode()


def upload(client, content: bytes, mapping: str = MAPPING, year: int = 2024):
    return client.post(reverse("weten:waves"), {
        "source": "burgerpeiling", "year": year, "file": SimpleUploadedFile("peiling.csv", content),
        "mapping": SimpleUploadedFile("koppeling.yaml", mapping.encode())})


def wave_state():
    return sorted(Respondent.objects.filter(wave__source="burgerpeiling").values_list("wave_id", "respondent_id",
                                                                                       "wijk_id", "weight"))


@pytest.fixture
def wave(hilversum):
    """Burgerpeiling 2024 with 6 respondents, 3 in Centrum and 3 in Noord-Oost."""
    report, wave = run(hilversum, csv(6), "oud.csv")
    assert report.ok, report.problems
    return wave


def test_the_preview_shows_what_is_replaced_and_nothing_changes_before_confirm(wave, client_as, hilversum):
    TargetFactory(gemeente=hilversum, baseline_year=2024)
    client = client_as("beleidsadviseur")
    before = wave_state()
    response = upload(client, csv(8))
    assert response.status_code == 302 and "token=" in response["Location"]
    assert wave_state() == before  # the upload alone changes nothing
    page = client.get(response["Location"]).content.decode()
    assert "U vervangt de 6 respondenten van meting ‘Burgerpeiling 2024’ door 8." in page
    centrum, noord_oost = Wijk.objects.get(code="WK040201"), Wijk.objects.get(code="WK040207")
    assert centrum.display_name in page and noord_oost.display_name in page
    summary = PendingImport.objects.get(kind="survey").summary
    assert [(w["code"], w["current"], w["new"]) for w in summary["wijken"]] == [
        ("WK040201", 3, 4), ("WK040207", 3, 4)]
    assert "De cijfers van deze meting worden opnieuw berekend" in page
    assert "De voortgang van deze doelen wordt opnieuw berekend" in page and "heel de gemeente" in page
    assert wave_state() == before  # looking at the preview neither


def test_confirming_replaces_the_wave_and_keeps_its_mapping(wave, client_as):
    client = client_as("beleidsadviseur")
    mapping = MAPPING + "# eigen opmerking van het bureau\n"
    upload(client, csv(4), mapping=mapping)
    token = PendingImport.objects.get(kind="survey").token
    done = client.post(reverse("weten:wave_confirm"), {"token": token, "confirm": "1"}, follow=True)
    assert "Burgerpeiling 2024: 4 respondenten ingelezen." in done.content.decode()
    wave.refresh_from_db()
    assert wave.respondent_count == 4 and wave.respondents.count() == 4 and wave.file_name == "peiling.csv"
    assert wave.mapping == mapping and wave.imported_by.username == "beleidsadviseur"
    assert not PendingImport.objects.exists()
    again = client.post(reverse("weten:wave_confirm"), {"token": token, "confirm": "1"}, follow=True)
    assert "bestaat niet (meer)" in again.content.decode()  # a used token applies nothing twice
    assert wave.respondents.count() == 4


def test_a_new_wave_is_previewed_too_and_stored_on_confirm(hilversum, client_as):
    client = client_as("beleidsadviseur")
    response = upload(client, csv(6), year=2031)
    page = client.get(response["Location"]).content.decode()
    assert "Nieuwe meting ‘Burgerpeiling 2031’ met 6 respondenten; er wordt niets vervangen." in page
    assert not Wave.objects.filter(source="burgerpeiling", year=2031).exists()
    client.post(reverse("weten:wave_confirm"), {"token": PendingImport.objects.get().token, "confirm": "1"})
    assert Wave.objects.get(source="burgerpeiling", year=2031).respondents.count() == 6


def test_cancelling_changes_nothing(wave, client_as):
    client = client_as("beleidsadviseur")
    before = wave_state()
    upload(client, csv(4))
    done = client.post(reverse("weten:wave_confirm"), {"token": PendingImport.objects.get().token, "cancel": "1"},
                       follow=True)
    assert "Afgebroken: er is niets veranderd." in done.content.decode()
    assert wave_state() == before and not PendingImport.objects.exists()


def test_a_bad_file_is_refused_with_the_problem_and_nothing_is_staged(wave, client_as):
    before = wave_state()
    response = upload(client_as("beleidsadviseur"), source_frame(6).assign(WEGING=[1, -2, 1, 1, 1, 1])
                      .to_csv(index=False).encode())
    assert response.status_code == 400
    assert "rij 3, kolom WEGING" in response.content.decode()
    assert wave_state() == before and not PendingImport.objects.exists()


@pytest.mark.parametrize("trouble", ["other user", "other gemeente", "expired", "stale", "unknown"])
def test_a_confirmation_that_cannot_hold_is_refused_in_dutch_and_changes_nothing(wave, client_as, demo_user,
                                                                                 hilversum, trouble):
    upload(client_as("beleidsadviseur"), csv(4))
    pending = PendingImport.objects.get()
    token, user = pending.token, demo_user("beleidsadviseur")
    if trouble == "other user":
        user = UserFactory(gemeente=hilversum, role=Role.BELEIDSADVISEUR, username="tweede_adviseur")
    elif trouble == "other gemeente":  # the same account, moved to another municipality since the upload
        user.gemeente = GemeenteFactory()
        user.save()
    elif trouble == "expired":
        PendingImport.objects.filter(pk=pending.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif trouble == "stale":  # the wave was imported again after the preview was made
        run(hilversum, csv(10), "tussendoor.csv")
    else:
        token = "geen-bestaand-overzicht"
    before = wave_state()
    with pytest.raises(PendingImportError) as refused:
        survey_preview.confirm_survey_import(user, token)
    expected = {"other user": "andere gebruiker", "other gemeente": "andere gebruiker", "expired": "verlopen",
                "stale": "veranderd sinds", "unknown": "bestaat niet"}[trouble]
    assert expected in str(refused.value)
    assert wave_state() == before


def test_a_foreign_token_is_refused_on_the_screen(wave, client_as, hilversum):
    upload(client_as("beleidsadviseur"), csv(4))
    token = PendingImport.objects.get().token
    other = verified_client(UserFactory(gemeente=hilversum, role=Role.BELEIDSADVISEUR, username="adviseur2",
                                        totp=True))
    page = other.get(reverse("weten:wave_confirm") + f"?token={token}", follow=True).content.decode()
    assert "andere gebruiker" in page and "U vervangt" not in page
    done = other.post(reverse("weten:wave_confirm"), {"token": token, "confirm": "1"}, follow=True)
    assert "andere gebruiker" in done.content.decode()
    assert wave.respondents.count() == 6


def test_the_replacement_is_one_transaction(wave, client_as, demo_user, monkeypatch):
    upload(client_as("beleidsadviseur"), csv(4))
    token = PendingImport.objects.get().token
    before = wave_state()

    def broken_insert(*args, **kwargs):
        raise RuntimeError("de schijf is vol")

    monkeypatch.setattr(survey_import, "_insert", broken_insert)
    with pytest.raises(RuntimeError):
        survey_preview.confirm_survey_import(demo_user("beleidsadviseur"), token)
    assert wave_state() == before  # the old respondents are still there
    wave.refresh_from_db()
    assert wave.respondent_count == 6 and wave.file_name == "oud.csv"
    assert PendingImport.objects.filter(token=token).exists()  # rolled back with the rest: try again


def test_the_command_refuses_to_replace_without_yes_and_replaces_with_it(wave, tmp_path, capsys):
    data, mapping = tmp_path / "peiling.csv", tmp_path / "koppeling.yaml"
    data.write_bytes(csv(4))
    mapping.write_text(MAPPING)
    args = [str(data), "--mapping", str(mapping), "--year", "2024", "--source", "burgerpeiling"]
    before = wave_state()
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_survey", *args)
    out = capsys.readouterr().out
    assert "replace the 6 respondents of wave 'Burgerpeiling 2024'" in out and "-> 2" in out
    assert wave_state() == before
    call_command("import_survey", *args, "--yes")
    assert "4 respondents imported" in capsys.readouterr().out
    wave.refresh_from_db()
    assert wave.respondents.count() == 4 and wave.mapping == MAPPING


def test_the_import_screen_shows_the_mapping_of_the_last_import(wave, client_as):
    client = client_as("beleidsadviseur")
    page = client.get(reverse("weten:waves")).content.decode()
    assert "Koppelbestanden van de laatste import" in page
    assert "respondent_id: RESPNR" in page  # the demo waves' and this wave's mapping, as stored
    download = client.get(reverse("weten:wave_mapping", args=[wave.pk]))
    assert download.status_code == 200 and download["Content-Type"].startswith("application/yaml")
    assert SurveyMapping.from_yaml(download.content.decode()) == SurveyMapping.from_yaml(MAPPING)


def test_a_wave_of_another_municipality_has_no_mapping_to_download(client_as):
    from samen.weten.tests.factories import WaveFactory

    foreign = WaveFactory(mapping="columns: {}")
    assert client_as("beleidsadviseur").get(reverse("weten:wave_mapping", args=[foreign.pk])).status_code == 404


def test_the_mapping_template_is_a_valid_mapping_with_dutch_comments_and_the_wijken(client_as, hilversum):
    response = client_as("beleidsadviseur").get(reverse("weten:mapping_template"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    mapping = SurveyMapping.from_yaml(text)
    assert (mapping.respondent_id, mapping.area, mapping.weight) == ("RESPNR", "WIJK", "WEEGF")
    assert len(mapping.djg) == 11 and len(mapping.factors) == 7
    assert "# Verplicht" in text and "Haal de regels weg van variabelen die uw bestand niet heeft" in text
    wijken = list(Wijk.objects.filter(gemeente=hilversum).order_by("code"))
    assert set(yaml.safe_load(text)["area_codes"].values()) == {w.code for w in wijken}
    assert f"# {wijken[0].display_name}" in text


def test_a_mapping_written_out_reads_back_the_same():
    for mapping in (CANONICAL_MAPPING, SurveyMapping.from_yaml(MAPPING)):
        assert SurveyMapping.from_yaml(mapping.to_yaml()) == mapping
