"""Hilversum's wijken and buurten, and placing an address through the postcode table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samen.core.models import Buurt, PostcodeRange, Wijk
from samen.core.services import geography
from samen.core.tests.factories import BuurtFactory, GemeenteFactory, PostcodeRangeFactory

pytestmark = pytest.mark.django_db


def test_hilversum_has_nine_wijken_and_43_buurten_with_cbs_codes(hilversum):
    wijken = Wijk.objects.filter(gemeente=hilversum)
    assert wijken.count() == 9
    assert Buurt.objects.filter(wijk__gemeente=hilversum).count() == 43
    assert all(w.code.startswith("WK0402") for w in wijken)
    assert all(w.boundary and w.boundary["type"] in {"Polygon", "MultiPolygon"} for w in wijken)


def test_policy_names_stand_beside_the_official_ones(hilversum):
    noordwest = Wijk.objects.get(code="WK040202")
    assert noordwest.official_name == "Noordwest"
    assert noordwest.display_name == "Noord-West (Noordwest)"
    assert Wijk.objects.get(code="WK040201").display_name == "Centrum"


def test_an_address_is_placed_in_its_buurt_and_wijk(hilversum):
    buurt = geography.locate(hilversum, "1211 ab", 12)
    assert buurt.code == "BU04020101"
    assert buurt.wijk.official_name == "Centrum"


def test_even_and_odd_numbers_can_lie_in_different_ranges(hilversum):
    odd = PostcodeRange.objects.filter(buurt__wijk__gemeente=hilversum, parity="odd").first()
    assert geography.locate(hilversum, odd.postcode, odd.number_from) == odd.buurt
    even_range = PostcodeRange.objects.get(postcode=odd.postcode, parity="even")
    assert geography.locate(hilversum, odd.postcode, even_range.number_from) == even_range.buurt


def test_an_unknown_postcode_gives_a_clear_message(hilversum):
    with pytest.raises(geography.UnknownAddress, match="Postcode 9999ZZ is niet bekend in Hilversum"):
        geography.locate(hilversum, "9999ZZ")


def test_a_number_outside_every_range_is_unknown(hilversum):
    with pytest.raises(geography.UnknownAddress, match="huisnummer 999"):
        geography.locate(hilversum, "1211AB", 999)


def test_a_malformed_postcode_is_refused(hilversum):
    with pytest.raises(geography.InvalidPostcode, match="geen geldige postcode"):
        geography.locate(hilversum, "12 11")


def test_another_municipality_does_not_place_hilversum_addresses(hilversum):
    other = GemeenteFactory()
    with pytest.raises(geography.UnknownAddress):
        geography.locate(other, "1211AB", 12)


CSV_HEADER = "postcode,huisnummer_van,huisnummer_tot,pariteit,buurtcode,straat\n"


def test_postcode_import_replaces_the_table_in_one_step(hilversum):
    report = geography.import_postcodes(hilversum, CSV_HEADER + "1234AB,1,20,alle,BU04020101,Teststraat\n"
                                                                "1234AB,21,40,,BU04020102,Teststraat\n")
    assert report.ok and report.imported == 2
    assert PostcodeRange.objects.filter(buurt__wijk__gemeente=hilversum).count() == 2
    assert geography.locate(hilversum, "1234AB", 30).code == "BU04020102"


@pytest.mark.parametrize(("row", "column", "message"), [
    ("12AB,1,20,alle,BU04020101,x", "postcode", "geen geldige postcode"),
    ("1234AB,nul,20,alle,BU04020101,x", "huisnummer_van", "geen huisnummer"),
    ("1234AB,30,20,alle,BU04020101,x", "huisnummer_tot", "vóór het eerste"),
    ("1234AB,1,20,soms,BU04020101,x", "pariteit", "alle, even of oneven"),
    ("1234AB,1,20,alle,BU99999999,x", "buurtcode", "hoort niet bij deze gemeente"),
])
def test_a_bad_postcode_row_is_reported_and_nothing_is_stored(hilversum, row, column, message):
    before = list(PostcodeRange.objects.values_list("pk", flat=True))
    report = geography.import_postcodes(hilversum, CSV_HEADER + "1234AC,1,9,alle,BU04020101,ok\n" + row + "\n")
    assert not report.ok
    problem = report.problems[0]
    assert (problem.row, problem.column) == (3, column)
    assert message in problem.message
    assert f"rij 3, kolom {column}" in str(problem)
    assert list(PostcodeRange.objects.values_list("pk", flat=True)) == before


def test_overlapping_ranges_are_refused(hilversum):
    report = geography.import_postcodes(hilversum, CSV_HEADER + "1234AB,1,20,alle,BU04020101,a\n"
                                                                "1234AB,10,30,even,BU04020102,a\n")
    assert not report.ok
    assert report.problems[0].row == 3 and "overlappen" in report.problems[0].message


def test_missing_columns_are_reported_and_a_windows_1252_file_is_read(hilversum):
    assert "ontbreken" in geography.import_postcodes(hilversum, "postcode,buurt\n1234AB,x\n").problems[0].message
    report = geography.import_postcodes(hilversum, (CSV_HEADER + "1234AB,1,20,alle,BU04020101,Één straat\n")
                                        .encode("cp1252"))
    assert report.ok, report.problems
    assert PostcodeRange.objects.get(postcode="1234AB").street == "Één straat"


def test_the_import_reads_semicolon_separated_files(hilversum):
    report = geography.import_postcodes(hilversum, "postcode;huisnummer_van;huisnummer_tot;buurtcode\n"
                                                   "1234AB;1;9;BU04020101\n")
    assert report.ok, report.problems


@given(number_from=st.integers(1, 500), length=st.integers(0, 500), number=st.integers(1, 1200),
       parity=st.sampled_from(["all", "even", "odd"]))
def test_a_range_contains_exactly_its_numbers_of_its_parity(number_from, length, number, parity):
    item = PostcodeRange(postcode="1234AB", number_from=number_from, number_to=number_from + length, parity=parity)
    in_range = number_from <= number <= number_from + length
    right_parity = parity == "all" or (number % 2 == 0) == (parity == "even")
    assert item.contains(number) == (in_range and right_parity)


def test_factories_make_a_placeable_address():
    pc = PostcodeRangeFactory(buurt=BuurtFactory())
    assert geography.locate(pc.buurt.wijk.gemeente, pc.postcode, 5) == pc.buurt


def test_the_import_command_reports_problems_and_imports_all_or_nothing(hilversum, tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    good = tmp_path / "postcodes.csv"
    good.write_text(CSV_HEADER + "1234AB,1,20,alle,BU04020101,Teststraat\n")
    call_command("import_postcodes", "gm0402", str(good), "--yes")
    assert "1 postcode ranges imported" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_HEADER + "1234AB,1,20,alle,BU99999999,x\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_postcodes", "GM0402", str(bad))
    assert "rij 2, kolom buurtcode" in capsys.readouterr().err
    with pytest.raises(CommandError, match="no municipality"):
        call_command("import_postcodes", "GM9999", str(good))
