"""The postcode table is replaced only after the beheerder has seen what changes and confirmed it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from samen.core.models import PendingImport, PostcodeRange
from samen.core.services import geography
from samen.core.services.pending_imports import PendingImportError

CSV = "postcode;huisnummer_van;huisnummer_tot;pariteit;buurtcode;straat\n"


def table(gemeente):
    return sorted(PostcodeRange.objects.filter(buurt__wijk__gemeente=gemeente)
                  .values_list("postcode", "number_from", "number_to", "parity", "buurt__code", "street"))


def current_csv(gemeente, drop: int = 0, extra: str = "") -> bytes:
    words = {"all": "alle", "even": "even", "odd": "oneven"}
    rows = [f"{p};{a};{b};{words[parity]};{code};{street}\n"
            for p, a, b, parity, code, street in table(gemeente)[drop:]]
    return (CSV + "".join(rows) + extra).encode()


def test_beheerder_previews_the_new_table_then_confirms(hilversum, client_as):
    client = client_as("beheerder")
    before = table(hilversum)
    content = current_csv(hilversum, drop=2, extra="1299ZZ;1;9;alle;BU04020101;Nieuwe straat\n")
    response = client.post(reverse("core:postcode_import"), {"file": SimpleUploadedFile("pc.csv", content)})
    assert response.status_code == 302 and table(hilversum) == before
    page = client.get(response["Location"]).content.decode()
    assert "1 komen erbij of veranderen, 2 verdwijnen" in page and "1299 ZZ 1-9" in page
    done = client.post(reverse("core:postcode_confirm"),
                       {"token": PendingImport.objects.get().token, "confirm": "1"}, follow=True)
    assert "postcodereeksen ingelezen" in done.content.decode()
    after = table(hilversum)
    assert len(after) == len(before) - 1 and ("1299ZZ", 1, 9, "all", "BU04020101", "Nieuwe straat") in after


def test_a_table_changed_since_the_upload_is_not_replaced(hilversum, client_as, demo_user):
    client = client_as("beheerder")
    client.post(reverse("core:postcode_import"), {"file": SimpleUploadedFile("pc.csv", current_csv(hilversum, 1))})
    PostcodeRange.objects.filter(buurt__wijk__gemeente=hilversum).order_by("pk").last().delete()
    before = table(hilversum)
    with pytest.raises(PendingImportError, match="veranderd"):
        geography.confirm_postcode_import(demo_user("beheerder"), PendingImport.objects.get().token)
    assert table(hilversum) == before


def test_a_range_beyond_the_column_is_refused_with_row_and_column(hilversum):
    report = geography.import_postcodes(hilversum, CSV + "1234AB;1;99999999999999999999;alle;BU04020101;x\n")
    assert [(p.row, p.column) for p in report.problems] == [(2, "huisnummer_tot")]
    assert "ligt niet tussen 1 en 99999" in report.problems[0].message


def test_a_nul_byte_in_a_cell_is_refused_with_row_and_column(hilversum):
    report = geography.import_postcodes(hilversum, CSV + "1234AB;1;9;alle;BU04020101;Straat\x00\n")
    assert str(report.problems[0]).startswith("rij 2, kolom straat:") and "NUL" in report.problems[0].message


def test_the_command_prints_the_summary_and_needs_yes_without_a_terminal(hilversum, tmp_path):
    path = tmp_path / "pc.csv"
    path.write_bytes(current_csv(hilversum, drop=1))
    before = table(hilversum)
    out = io.StringIO()
    with pytest.raises(CommandError, match="--yes"):
        call_command("import_postcodes", "GM0402", str(path), stdout=out, stdin=io.StringIO())
    assert "1 removed from the current table" in out.getvalue() and table(hilversum) == before
    call_command("import_postcodes", "GM0402", str(path), "--yes", stdout=out)
    assert len(table(hilversum)) == len(before) - 1
