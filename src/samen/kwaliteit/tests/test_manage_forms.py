"""The repeat helper (RRULE composed on the server and read back) and the readable diff of content."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samen.kwaliteit import schedule
from samen.kwaliteit.forms import ActivityForm
from samen.kwaliteit.manage_forms import (
    DAY_CODES,
    FIELDSETS,
    ORDINALS,
    ManageActivityForm,
    Repeat,
    RepeatChoice,
    changes,
    compose,
    content_rows,
    decompose,
    display,
    helper_initial,
    live_content,
    repeat_text,
    when_text,
)

days = st.lists(st.sampled_from(DAY_CODES), min_size=1, max_size=7, unique=True).map(tuple)
choices = st.one_of(
    st.just(RepeatChoice(Repeat.NONE)),
    days.map(lambda d: RepeatChoice(Repeat.WEEKLY, days=d)),
    st.builds(lambda d, n: RepeatChoice(Repeat.WEEKS, days=d, interval=n), days, st.integers(2, 52)),
    st.builds(lambda o, w: RepeatChoice(Repeat.MONTHLY, ordinal=o, weekday=w), st.sampled_from(ORDINALS),
              st.sampled_from(DAY_CODES)),
)


def _canonical(choice: RepeatChoice) -> RepeatChoice:
    return RepeatChoice(choice.kind, tuple(c for c in DAY_CODES if c in choice.days), choice.interval,
                        choice.ordinal, choice.weekday)


@given(choices)
def test_every_helper_choice_is_a_valid_rule_that_reads_back(choice):
    rule = compose(choice)
    assert schedule.clean_rrule(rule) == rule  # valid, and already in its normal form
    assert decompose(rule) == _canonical(choice)


@given(choices, st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)))
def test_the_composed_rule_falls_on_the_chosen_days(choice, start):
    rule = compose(choice)
    found = schedule.dates(start, dt.time(10), rule, None, start, start + dt.timedelta(days=400))
    if choice.kind == Repeat.NONE:
        assert found == [start]
        return
    assert found, rule
    allowed = set(choice.days) if choice.days else {choice.weekday}
    assert {DAY_CODES[day.weekday()] for day in found} <= allowed
    if choice.kind == Repeat.MONTHLY:
        assert len({(day.year, day.month) for day in found}) == len(found)  # once a month
        if choice.ordinal > 0:
            assert all((day.day - 1) // 7 + 1 == choice.ordinal for day in found)
        else:
            assert all((day + dt.timedelta(days=7)).month != day.month for day in found)


@pytest.mark.parametrize("rule", [
    "FREQ=DAILY", "FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=TU;COUNT=4", "FREQ=MONTHLY;BYDAY=5TU", "FREQ=MONTHLY;BYMONTHDAY=3",
    "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", "FREQ=MONTHLY;BYDAY=2TU,4TU", "FREQ=WEEKLY;BYDAY=TU,MO", "rubbish"])
def test_other_rules_stay_as_typed(rule):
    assert decompose(rule) is None
    assert helper_initial(rule) == {"repeat": Repeat.CUSTOM, "rrule": rule}
    assert repeat_text(rule) == schedule.describe_rule(rule)  # the one describer, also for "other"
    assert rule in display("rrule", rule)  # the review screen shows such a rule as typed too


def test_the_time_of_an_activity_reads_as_dutch():
    from types import SimpleNamespace

    activity = SimpleNamespace(rrule="FREQ=MONTHLY;BYDAY=-1FR", start_time=dt.time(17), end_time=dt.time(19),
                               start_date=dt.date(2026, 12, 1))
    assert when_text(activity) == "elke laatste vrijdag van de maand, 17:00-19:00"
    activity.rrule = ""
    assert when_text(activity) == "dinsdag 1 december 2026, 17:00-19:00"


def test_rules_read_as_dutch():
    assert repeat_text("") == "eenmalig"
    assert repeat_text("FREQ=WEEKLY;BYDAY=TU,TH") == "elke week op dinsdag en donderdag"
    assert repeat_text("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR") == "om de 2 weken op maandag, woensdag en vrijdag"
    assert repeat_text("FREQ=MONTHLY;BYDAY=2TU") == "elke tweede dinsdag van de maand"
    assert repeat_text("FREQ=MONTHLY;BYDAY=-1FR") == "elke laatste vrijdag van de maand"


def test_the_fieldsets_hold_every_field_once(hilversum):
    form = ManageActivityForm(gemeente=hilversum, organisations=hilversum.organisations.all())
    names = [name for _legend, fields in FIELDSETS for name in fields]
    assert len(names) == len(set(names))
    assert set(names) == set(form.fields)
    assert set(ActivityForm.base_fields) <= set(names)


def test_a_live_activity_equals_its_approved_version(hilversum):
    from samen.kwaliteit.models import Activity

    for activity in Activity.objects.filter(gemeente=hilversum, status=Activity.Status.PUBLISHED)[:40]:
        approved = activity.versions.filter(status="approved").order_by("-number").first()
        assert changes(live_content(activity), approved.data) == [], activity.title


def test_changes_name_the_field_with_old_and_new():
    old = {"title": "Koffie", "cost_type": "free", "cost_amount": None, "interests": ["games", "eating"],
           "start_time": "10:00:00", "wheelchair_accessible": False, "rrule": "FREQ=WEEKLY;BYDAY=TU"}
    new = {**old, "cost_type": "amount", "cost_amount": "2.5", "interests": ["eating", "games"],
           "start_time": "10:00", "wheelchair_accessible": True, "rrule": "FREQ=MONTHLY;BYDAY=1TU"}
    found = {change.label: (change.old, change.new) for change in changes(old, new)}
    assert found == {
        "Kosten": ("gratis", "vast bedrag"),
        "Bedrag in euro": ("—", "2.50"),
        "Rolstoeltoegankelijk": ("nee", "ja"),
        "Herhaling": ("elke week op dinsdag (FREQ=WEEKLY;BYDAY=TU)",
                      "elke eerste dinsdag van de maand (FREQ=MONTHLY;BYDAY=1TU)"),
    }


def test_content_rows_show_labels_and_readable_values():
    groups = content_rows({"title": "Koffie", "start_date": "2026-12-01", "target_groups": ["65plus", "youth"],
                           "languages": ["nl"], "interventions": []})
    assert [legend for legend, _rows in groups] == ["Wat", "Waar", "Wanneer", "Kosten en aanmelden",
                                                    "Toegankelijkheid", "Voor wie", "Contact"]
    rows = {label: value for _legend, items in groups for label, value in items}
    assert rows["Titel"] == "Koffie" and rows["(Eerste) datum"] == "01-12-2026"
    assert rows["Voor wie"] == "65-plussers, jongeren 16-25" and rows["Werkt volgens de interventie"] == "—"
    assert rows["Herhaling"] == "eenmalig"
