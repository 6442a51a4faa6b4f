"""The import toolkit on its own: encodings, delimiters, headers, cell checks, Excel, the formula guard."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from samen.core import tabular
from samen.core.tabular import TableProblem

COLUMNS = {"postcode": ("pc",), "huisnummer_van": ("van",), "straat": ()}


@pytest.mark.parametrize("encoded", [
    "postcode;straat\n1211AB;Één\n".encode(),
    "\ufeffpostcode;straat\n1211AB;Één\n".encode(),  # Excel's "CSV UTF-8" has a byte-order mark
    "postcode;straat\n1211AB;Één\n".encode("cp1252"),  # older Dutch Excel: Windows-1252
])
def test_dutch_files_in_every_encoding_read_the_same(encoded):
    assert tabular.read_rows(encoded) == [["postcode", "straat"], ["1211AB", "Één"]]


@pytest.mark.parametrize(("text", "delimiter"), [
    ("a;b;c\n", ";"), ("a,b,c\n", ","), ("a\tb\tc\n", "\t"), ('"x;y",b,c\n', ","), ("a\n", ","),
])
def test_the_delimiter_is_found_in_the_header(text, delimiter):
    assert tabular.sniff_delimiter(text) == delimiter


def test_header_names_match_case_and_space_insensitively_with_aliases():
    header = tabular.map_header(["  PostCode ", "Huisnummer Van", "extra", "straat", "pc"], COLUMNS,
                                ["postcode", "huisnummer_van"])
    assert header.positions == {"postcode": 0, "huisnummer_van": 1, "straat": 3}
    assert (header.unknown, header.doubled, header.missing) == (["extra"], ["postcode"], [])
    problem = header.problem()
    assert (problem.row, problem.column) == (1, "kopregel")
    assert "kennen we niet: extra" in problem.message and "twee keer in: postcode" in problem.message
    assert "ontbreken: huisnummer_van" in tabular.map_header(["pc"], COLUMNS, ["huisnummer_van"]).problem().message
    assert tabular.map_header(["pc", "extra"], COLUMNS, []).problem(unknown_is_error=False) is None


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\x7f"])
def test_control_characters_are_refused_with_row_and_column(bad):
    with pytest.raises(TableProblem) as exc:
        tabular.read_rows(f"postcode;straat\n1211AB;ok\n1211AC;Lange{bad}weg\n")
    assert (exc.value.row, exc.value.column) == (3, "straat")
    assert str(exc.value).startswith("rij 3, kolom straat: ")


def test_tabs_and_line_breaks_inside_a_quoted_cell_are_allowed():
    assert tabular.read_rows('a;b\n"een\tcel";"twee\nregels"\n')[1] == ["een\tcel", "twee\nregels"]


@pytest.mark.parametrize("word", ["ja", "J", "yes", "1", "waar", "x", "X ", "true"])
def test_yes_words(word):
    assert tabular.parse_bool(word) is True


@pytest.mark.parametrize("word", ["nee", "N", "no", "0", "onwaar", "", "false"])
def test_no_words(word):
    assert tabular.parse_bool(word) is False


def test_a_word_that_is_neither_is_named():
    with pytest.raises(ValueError, match="'misschien' is geen ja of nee"):
        tabular.parse_bool("misschien")


def test_numbers_are_checked_against_the_range():
    assert tabular.parse_int(" 12 ", minimum=1, maximum=99999) == 12
    with pytest.raises(ValueError, match="ligt niet tussen 1 en 99999"):
        tabular.parse_int("99999999999999999999", minimum=1, maximum=99999)
    with pytest.raises(ValueError, match="geen huisnummer"):
        tabular.parse_int("12a", what="huisnummer")
    with pytest.raises(ValueError, match="te groot"):
        tabular.parse_int("3000000000", maximum=2**31 - 1)


@override_settings(SAMEN_MAX_UPLOAD_BYTES=100)
def test_every_upload_has_a_size_limit():
    with pytest.raises(TableProblem, match="groter dan"):
        tabular.read_rows(b"a;b\n" + b"1;2\n" * 50)


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_excel_files_read_as_text_like_a_csv():
    content = _xlsx([["postcode", "huisnummer", "datum", "tijd", "bedrag", "actief"],
                     ["1211AB", 12.0, dt.datetime(2027, 1, 31), dt.time(14, 30), 4.5, True]])
    assert tabular.read_rows(content, "lijst.xlsx") == [
        ["postcode", "huisnummer", "datum", "tijd", "bedrag", "actief"],
        ["1211AB", "12", "2027-01-31", "14:30", "4.5", "ja"]]


def test_damaged_and_old_excel_files_are_refused_with_a_message():
    with pytest.raises(TableProblem, match="Excel"):
        tabular.read_rows(b"PK\x03\x04rubbish", "a.xlsx")
    with pytest.raises(TableProblem, match=".xlsx of CSV"):
        tabular.read_rows(b"\xd0\xcf\x11\xe0", "a.xls")


def test_column_letters_name_a_cell_without_a_header():
    assert [tabular.column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


@given(st.text(max_size=30))
def test_the_guard_is_taken_off_exactly(text):
    guarded = tabular.guard(text)
    assert tabular.unguard(guarded) == text
    assert guarded[:1] not in tabular.FORMULA_STARTS or tabular.NUMBER_RE.match(guarded)


@given(st.one_of(st.integers(), st.floats(allow_nan=False)))
def test_numbers_are_never_quoted(number):
    assert tabular.guard(number) == number


def test_an_export_can_write_a_formula_it_means_and_decimals_stay_numbers():
    import io
    from decimal import Decimal

    from openpyxl import load_workbook

    data = tabular.write_xlsx([["a", Decimal("1800.00")], ["b", Decimal("0.01")],
                               ["Totaal", tabular.Formula("=SUM(B1:B2)")], ["=HYPERLINK(1)", 1]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["B3"].value == "=SUM(B1:B2)" and sheet["B3"].data_type == "f"
    assert sheet["B1"].value == 1800 and sheet["B1"].data_type == "n"
    assert sheet["A4"].data_type == "s" and sheet["A4"].value.startswith("'")
