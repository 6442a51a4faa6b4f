"""The public self-check: the short De Jong Gierveld scale, scored by the monitor's scale module, explained
kindly, and nothing stored."""

from __future__ import annotations

import itertools
import logging

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samen.informeren import selfcheck
from samen.weten import scales
from samen.weten.questionnaire import DJG6_QUESTIONS

pytestmark = pytest.mark.django_db

URL = "/hoe-gaat-het/"
ANSWERS = [answer.value for answer in scales.Answer]  # ja, min of meer, nee


def post_data(answers: dict[int, str | None]) -> dict[str, str]:
    return {f"djg_{item}": value for item, value in answers.items() if value is not None}


def test_the_self_check_lives_at_its_public_address():
    assert reverse("informeren:selfcheck") == URL


def test_the_form_asks_the_scale_items_with_the_scale_answers():
    form = selfcheck.SelfCheckForm()
    assert list(form.fields) == [f"djg_{item}" for item in scales.DJG6_ITEMS]
    for item in scales.DJG6_ITEMS:
        field = form.fields[f"djg_{item}"]
        assert field.label == DJG6_QUESTIONS[item]
        assert [value for value, _label in field.choices] == ANSWERS


def test_every_band_of_the_short_scale_is_explained():
    assert {name for _lowest, name in scales.DJG6.bands} == set(selfcheck.OUTCOMES)


def test_every_complete_answer_pattern_is_scored_by_the_scale_module():
    """All 3^6 patterns: the self-check's result is the scale module's score, neutral answers included."""
    for pattern in itertools.product(ANSWERS, repeat=len(scales.DJG6_ITEMS)):
        result = selfcheck.evaluate(dict(zip(scales.DJG6_ITEMS, pattern, strict=True)))
        assert result.score == scales.score_djg6(list(pattern))
        assert result.title and result.explanation and result.emotional_text and result.social_text


def test_the_neutral_answer_counts():
    only_neutral = dict.fromkeys(scales.DJG6_ITEMS, "min of meer")
    result = selfcheck.evaluate(only_neutral)
    assert result.score.total == 6 and result.score.category == scales.ERNSTIG and result.serious


answer_patterns = st.fixed_dictionaries({item: st.sampled_from([*ANSWERS, None]) for item in scales.DJG6_ITEMS})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=answer_patterns)
def test_the_page_agrees_with_the_scale_module_for_every_answer_pattern(hilversum, answers):
    response = Client().post(URL, post_data(answers))
    html = response.content.decode()
    missing = [number for number, item in enumerate(scales.DJG6_ITEMS, start=1) if answers[item] is None]
    if missing:
        assert response.status_code == 400
        assert "result" not in response.context
        for number, item in enumerate(scales.DJG6_ITEMS, start=1):
            message = f"Kies bij vraag {number} een antwoord"
            assert (message in html) == (number in missing)
            assert (f'href="#id_djg_{item}"' in html) == (number in missing)
        return
    expected = scales.score_djg6([answers[item] for item in scales.DJG6_ITEMS])
    assert response.status_code == 200
    result = response.context["result"]
    assert result.score == expected
    assert str(selfcheck.OUTCOMES[expected.category][0]) in html
    assert f"Uw score is {expected.total} van de 6." in html
    assert f"Score {expected.emotional} van de 3." in html and f"Score {expected.social} van de 3." in html


def test_an_answer_that_is_not_an_option_is_refused_naming_the_question(hilversum):
    answers = dict.fromkeys(scales.DJG6_ITEMS, "nee")
    answers[scales.DJG6_ITEMS[0]] = "misschien"
    response = Client().post(URL, post_data(answers))
    assert response.status_code == 400
    assert "Kies bij vraag 1 een antwoord: ja, min of meer of nee." in response.content.decode()


def test_the_form_page_is_accessible_markup(hilversum):
    response = Client().get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == 6 and html.count("<legend") == 6
    assert html.count('type="radio"') == 18
    assert "Vraag 1 van 6" in html and str(DJG6_QUESTIONS[3]) in html
    assert "niet bewaard" in html


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy}


def test_nothing_is_stored_not_in_the_database_nor_the_session_nor_the_log(hilversum, caplog):
    client = Client()
    before = _row_counts()
    answers = {3: "ja", 4: "nee", 7: "min of meer", 8: "nee", 9: "ja", 10: "min of meer"}
    with caplog.at_level(logging.DEBUG):
        pages = [client.get(URL), client.post(URL, post_data(answers)), client.post(URL, post_data({3: "ja"}))]
    assert [page.status_code for page in pages] == [200, 200, 400]
    assert _row_counts() == before
    assert not any("sessionid" in page.cookies for page in pages)  # no session was started
    assert dict(client.session.items()) == {}
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "djg_" not in logged and "min of meer" not in logged
    assert not any(str(question) in logged for question in DJG6_QUESTIONS.values())
    for page in pages:
        assert "no-store" in page["Cache-Control"]


def test_a_severe_result_puts_a_conversation_first_and_shows_whom_to_call(hilversum):
    response = Client().post(URL, post_data(dict.fromkeys(scales.DJG6_ITEMS, "min of meer")))
    html = response.content.decode()
    paths = html[html.index('class="samen-paths"'):]
    assert paths.index(reverse("vinden:self")) < paths.index(reverse("informeren:finder"))
    assert "0800-0113" in html and "112" in html and "huisarts" in html
    assert f'{reverse("informeren:finder")}?interest=eating' in html
    assert f'{reverse("informeren:finder")}?interest=conversation' in html
    assert "Uw antwoorden zijn niet bewaard." in html


def test_a_result_without_loneliness_suggests_helping_others_and_still_offers_contact(hilversum):
    connected = {3: "nee", 4: "ja", 7: "ja", 8: "ja", 9: "nee", 10: "nee"}
    response = Client().post(URL, post_data(connected))
    html = response.content.decode()
    assert response.context["result"].score.category == scales.NIET
    assert "U voelt zich op dit moment niet eenzaam" in html
    assert f'{reverse("informeren:finder")}?interest=volunteering' in html
    assert "interest=eating" not in html
    paths = html[html.index('class="samen-paths"'):]
    assert paths.index(reverse("informeren:finder")) < paths.index(reverse("vinden:self"))


def test_the_sub_scores_are_explained_in_plain_words(hilversum):
    # a close bond missed (items 3, 9, 10 unfavourable), a wider circle present (4, 7, 8 favourable)
    answers = {3: "ja", 4: "ja", 7: "ja", 8: "ja", 9: "ja", 10: "ja"}
    html = Client().post(URL, post_data(answers)).content.decode()
    assert str(selfcheck.EMOTIONAL[True]) in html and str(selfcheck.SOCIAL[False]) in html


def test_the_self_check_speaks_english_too(hilversum):
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get(URL).content.decode()
    assert "How are you?" in html and "Question 1 of 6" in html
