"""`samen score`: De Jong Gierveld scores from a CSV file to stdout; bad input gives a clear error and no output."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samen.weten.tests.test_scales import reference_djg6, reference_djg11

HEADER11 = ["respondent_id", *(f"djg_{item}" for item in range(1, 12))]
LONELY = ["nee", "ja", "ja", "nee", "ja", "ja", "nee", "nee", "ja", "ja", "nee"]  # every item unfavourable
FINE = ["ja", "nee", "nee", "ja", "nee", "nee", "ja", "ja", "nee", "nee", "ja"]  # no item unfavourable


def write(tmp_path, rows, delimiter=",", name="answers.csv", encoding="utf-8") -> str:
    path = tmp_path / name
    path.write_text("\n".join(delimiter.join(row) for row in rows) + "\n", encoding=encoding)
    return str(path)


def score(*args, **options) -> str:
    out = io.StringIO()
    call_command("score", *args, stdout=out, **options)
    return out.getvalue()


def fails(*args, **options) -> str:
    """The CommandError's message; asserts that nothing was written to stdout."""
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("score", *args, stdout=out, **options)
    assert out.getvalue() == ""
    return str(caught.value)


def test_djg11_scores_every_respondent_in_input_order(tmp_path):
    mixed = ["min of meer", "JA!", "Nee", " ja ", "min-of-meer", "nee!", "ja", "Ja", "nee", "nee", "NEE"]
    path = write(tmp_path, [HEADER11, ["r3", *LONELY], ["r1", *FINE], ["r2", *mixed]])
    expected = reference_djg11([answer.strip().lower().rstrip("!").replace("-", " ") for answer in mixed])
    assert score(path, scale="djg11") == (
        "respondent_id,total,emotional,social,category\n"
        "r3,11,6,5,zeer ernstig eenzaam\n"
        "r1,0,0,0,niet eenzaam\n"
        f"r2,{expected.total},{expected.emotional},{expected.social},{expected.category}\n"
    )


def test_missing_score_gives_empty_fields(tmp_path):
    path = write(tmp_path, [HEADER11, ["a", "", *LONELY[1:]], ["b", *[""] * 11], ["c", *LONELY]])
    assert score(path, scale="djg11").splitlines()[1:] == ["a,,,,", "b,,,,", "c,11,6,5,zeer ernstig eenzaam"]


def test_semicolons_bom_extra_columns_and_any_column_order(tmp_path):
    header = ["naam", "djg_11", *HEADER11[1:11], "respondent_id", "wijk"]
    row = ["Piet", LONELY[10], *LONELY[:10], "7", "Centrum; Oost"]
    path = tmp_path / "answers.csv"
    text = ";".join(header) + "\r\n" + ";".join(row[:-1]) + ';"Centrum; Oost"\r\n'
    path.write_bytes(text.encode("utf-8-sig"))
    assert score(str(path), scale="djg11").splitlines() == ["respondent_id,total,emotional,social,category",
                                                            "7,11,6,5,zeer ernstig eenzaam"]


def test_djg6_reads_its_six_columns_only(tmp_path):
    header = ["respondent_id", "djg_3", "djg_4", "djg_7", "djg_8", "djg_9", "djg_10", "djg_1"]
    rows = [header,
            ["a", "ja", "nee", "ja", "ja", "nee", "nee", "whatever"],
            ["b", "", "nee", "nee", "min of meer", "ja", "ja", ""],
            ["c", "", "", "nee", "nee", "ja", "ja", ""]]
    out = score(write(tmp_path, rows), scale="djg6")
    b = reference_djg6([None, "nee", "nee", "min of meer", "ja", "ja"])
    assert out.splitlines() == ["respondent_id,total,emotional,social,category",
                                "a,2,1,1,matig eenzaam",
                                f"b,{b.total},,{b.social},{b.category}",
                                "c,,,,"]


@pytest.mark.parametrize(("coding", "lonely", "fine"), [
    ("5pt", ["4", "1", "2", "5", "2", "1", "4", "5", "1", "2", "4"],
     ["1", "5", "4", "2", "5", "4", "1", "2", "4", "5", "1"]),
    ("3pt-ja-minofmeer-nee", ["3", "1", "1", "3", "1", "1", "3", "3", "1", "1", "3"],
     ["1", "3", "3", "1", "3", "3", "1", "1", "3", "3", "1"]),
    ("3pt-nee-minofmeer-ja", ["1", "3", "3", "1", "3", "3", "1", "1", "3", "3", "1"],
     ["3", "1", "1", "3", "1", "1", "3", "3", "1", "1", "3"]),
])
def test_numbers_with_a_coding(tmp_path, coding, lonely, fine):
    path = write(tmp_path, [HEADER11, ["x", *lonely], ["y", *fine], ["z", *["2"] * 11]])
    middle = "z,11,6,5,zeer ernstig eenzaam" if coding != "5pt" else "z,6,6,0,matig eenzaam"
    assert score(path, scale="djg11", coding=coding).splitlines()[1:] == [
        "x,11,6,5,zeer ernstig eenzaam", "y,0,0,0,niet eenzaam", middle]


def test_header_only_gives_header_only(tmp_path):
    assert score(write(tmp_path, [HEADER11]), scale="djg11") == "respondent_id,total,emotional,social,category\n"


# --- bad input: a clear error naming the line and column, nothing on stdout -----------------------------------------


def test_missing_column(tmp_path):
    path = write(tmp_path, [[name for name in HEADER11 if name != "djg_7"], ["a", *FINE[:10]]])
    assert "line 1: column 'djg_7' is missing" in fails(path, scale="djg11")


def test_missing_respondent_id_column(tmp_path):
    path = write(tmp_path, [["id", *HEADER11[1:]], ["a", *FINE]])
    assert "column 'respondent_id' is missing" in fails(path, scale="djg11")


def test_unknown_answer_names_line_and_column(tmp_path):
    bad = list(FINE)
    bad[3] = "misschien"
    path = write(tmp_path, [HEADER11, ["a", *FINE], ["b", *bad]])
    message = fails(path, scale="djg11")
    assert "line 3 (respondent b), column djg_4: Onbekend antwoord 'misschien' bij item djg_4." in message


def test_number_without_coding(tmp_path):
    path = write(tmp_path, [HEADER11, ["a", *FINE[:5], "2", *FINE[6:]]])
    message = fails(path, scale="djg11")
    assert "line 2 (respondent a), column djg_6" in message
    assert "--coding" in message


def test_number_outside_the_coding(tmp_path):
    path = write(tmp_path, [HEADER11, ["a", *["1"] * 10, "6"]])
    assert "line 2 (respondent a), column djg_11" in fails(path, scale="djg11", coding="5pt")


def test_unknown_coding(tmp_path):
    path = write(tmp_path, [HEADER11, ["a", *FINE]])
    message = fails(path, scale="djg11", coding="ggd")
    assert "Unknown --coding 'ggd'" in message and "5pt" in message


def test_file_that_does_not_exist(tmp_path):
    assert "does not exist" in fails(str(tmp_path / "nope.csv"), scale="djg11")


def test_file_that_is_not_utf8(tmp_path):
    path = write(tmp_path, [HEADER11, ["a", *FINE], ["Zoë", *FINE]], encoding="latin-1")
    assert "is not UTF-8 (line 3" in fails(path, scale="djg11")


def test_row_with_too_few_fields(tmp_path):
    path = write(tmp_path, [HEADER11, ["a", *FINE[:9]]])
    assert "line 2: 10 fields, but the header has 12" in fails(path, scale="djg11")


def test_row_without_respondent_id(tmp_path):
    path = write(tmp_path, [HEADER11, ["", *FINE]])
    assert "line 2, column respondent_id" in fails(path, scale="djg11")


def test_unknown_scale(tmp_path):
    path = write(tmp_path, [HEADER11, ["a", *FINE]])
    with pytest.raises(CommandError, match="invalid choice: 'ucla3'"):
        call_command("score", path, scale="ucla3", stdout=io.StringIO())


def test_samen_command_line_exits_non_zero(tmp_path, capsys):
    from samen.cli import main

    bad = write(tmp_path, [HEADER11, ["a", "misschien", *FINE[1:]]])
    with pytest.raises(SystemExit) as caught:
        main(["samen", "score", "--scale", "djg11", bad])
    assert caught.value.code != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "column djg_1: Onbekend antwoord 'misschien'" in captured.err

    good = write(tmp_path, [HEADER11, ["a", *FINE]], name="good.csv")
    assert main(["samen", "score", "--scale", "djg11", good]) == 0
    assert capsys.readouterr().out == "respondent_id,total,emotional,social,category\na,0,0,0,niet eenzaam\n"
