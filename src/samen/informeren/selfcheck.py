"""The public self-check: the six statements of the short De Jong Gierveld scale, scored by the monitor's
scale module (``samen.weten.scales``) and explained in plain, kind words.

Nothing is stored: the answers are read from the request, scored and forgotten. No model is written, nothing
goes into the session or the log. The wording of the statements is the one the 75+ home visits read out
(``weten.questionnaire.DJG6_QUESTIONS``), so a resident and a volunteer answer the very same questions.

All six statements must be answered: the result explains both parts of the scale (a close bond and a wider
circle), and the scale computes a part only when all three of its statements are answered
(``scales.DJG6_SUBSCALE_MAX_MISSING = 0``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.core.forms import RADIO_CSS
from samen.kwaliteit.vocabulary import Interest
from samen.weten import scales
from samen.weten.questionnaire import ANSWER_CHOICES, DJG6_QUESTIONS

SCALE = scales.DJG6
ITEMS = SCALE.items  # items 3, 4, 7, 8, 9, 10 of the 11-item scale, in the order the scale module scores them


def field_name(item: int) -> str:
    return f"djg_{item}"


class SelfCheckForm(forms.Form):
    """One radio group per statement, numbered 1-6 for the resident; every statement needs an answer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, item in enumerate(ITEMS, start=1):
            message = _("Kies bij vraag %(number)s een antwoord: ja, min of meer of nee.") % {"number": number}
            field = forms.ChoiceField(label=DJG6_QUESTIONS[item], choices=ANSWER_CHOICES, widget=forms.RadioSelect,
                                      error_messages={"required": message, "invalid_choice": message})
            field.widget.attrs["class"] = RADIO_CSS
            field.number = number
            self.fields[field_name(item)] = field

    def questions(self):
        return [self[field_name(item)] for item in ITEMS]

    def answers(self) -> dict[int, str]:
        """The answers by item number; only after is_valid()."""
        return {item: self.cleaned_data[field_name(item)] for item in ITEMS}


# What each band of the scale means, said kindly. Keyed by the scale module's own category names.
OUTCOMES: Mapping[str, tuple[str, str]] = {
    scales.NIET: (
        _("U voelt zich op dit moment niet eenzaam"),
        _("Fijn dat u mensen om u heen heeft. Heeft u zin om iets nieuws te doen of anderen te ontmoeten? "
          "In elke wijk gebeurt van alles."),
    ),
    scales.MATIG: (
        _("U mist op dit moment soms contact met anderen"),
        _("De vragenlijst noemt dit 'matig eenzaam'. Dat overkomt veel mensen: ongeveer vier op de tien "
          "volwassenen voelen zich weleens zo. Het hoeft niet zo te blijven. Iets samen doen in de buurt, "
          "of een gesprek met iemand, kan al helpen."),
    ),
    scales.ERNSTIG: (
        _("U mist op dit moment veel contact met anderen"),
        _("De vragenlijst noemt dit 'ernstig eenzaam'. Dat is zwaar, en u bent niet de enige: ongeveer één op "
          "de tien volwassenen voelt zich zo. U hoeft het niet alleen op te lossen. Een sociaal werker in uw "
          "wijk denkt graag met u mee, gratis en zonder verplichtingen."),
    ),
}

EMOTIONAL = {
    False: _("U mist op dit moment geen hechte band: er is iemand bij wie u zich echt verbonden voelt."),
    True: _("U mist soms een hechte band: iemand bij wie u zich echt thuis voelt en die u door en door kent. "
            "Dat heet emotionele eenzaamheid. Meer mensen om u heen lost dat niet altijd op; een goed gesprek, "
            "of iets doen met een vaste groep, kan wel helpen."),
}
SOCIAL = {
    False: _("U heeft genoeg mensen om u heen op wie u kunt terugvallen."),
    True: _("U mist soms een bredere kring: mensen om u heen om dingen mee te doen of op terug te vallen. "
            "Dat heet sociale eenzaamheid. Samen iets doen in de buurt is een goede manier om mensen te leren "
            "kennen."),
}


@dataclass(frozen=True)
class Result:
    """The score of the scale module and the words that go with it."""

    score: scales.DJGScore

    @property
    def title(self) -> str:
        return OUTCOMES[self.score.category][0]

    @property
    def explanation(self) -> str:
        return OUTCOMES[self.score.category][1]

    @property
    def maximum(self) -> int:
        return len(ITEMS)

    @property
    def emotional_text(self) -> str:
        return EMOTIONAL[self.score.emotionally_lonely]

    @property
    def social_text(self) -> str:
        return SOCIAL[self.score.socially_lonely]

    @property
    def serious(self) -> bool:
        """The scale's 'ernstig eenzaam': the result page puts the way to a social worker first."""
        return self.score.severely_lonely


def interests(result: Result) -> list[Interest]:
    """Which interests of the activity finder to suggest. A wider circle grows by doing things together;
    a close bond by talking with people you see again and again; and who feels connected may like helping."""
    score = result.score
    chosen = []
    if score.socially_lonely:
        chosen += [Interest.EATING, Interest.CONVERSATION]
    if score.emotionally_lonely:
        chosen += [Interest.CONVERSATION]
    if not score.lonely:
        chosen += [Interest.VOLUNTEERING]
    return list(dict.fromkeys(chosen))


def evaluate(answers: Mapping[int, str]) -> Result:
    """Scores complete answers {item: 'ja' | 'min of meer' | 'nee'} with the scale module."""
    score = scales.score_djg6([answers[item] for item in ITEMS])
    if score is None or score.emotional is None or score.social is None:  # the form asks every statement
        raise ValueError("the self-check needs an answer to every statement")
    return Result(score)
