"""Forms of the trajectory screens (part traject). Thin: the services check the rules and say why in Dutch."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.core.forms import ModelChoiceField, Select, UtrechtFormMixin
from samen.kwaliteit.vocabulary import Interest, Language, LonelinessKind, PartOfDay
from samen.ondersteunen.matching_weights import FACTORS, MAX_WEIGHT
from samen.ondersteunen.models import (
    NOTE_MAX,
    SHORT_MAX,
    Barrier,
    ConsentEvent,
    ConsentPurpose,
    ContactAttempt,
    HealthDimension,
    Measurement,
)
from samen.ondersteunen.workflow import ClosingReason

WEEKDAYS = [_("maandag"), _("dinsdag"), _("woensdag"), _("donderdag"), _("vrijdag"), _("zaterdag"), _("zondag")]


class StepForm(UtrechtFormMixin, forms.Form):
    decision = forms.CharField(label=_("Stap"), widget=forms.HiddenInput,
                               error_messages={"required": _("Kies een stap.")})
    reason = forms.CharField(label=_("Reden of toelichting"), required=False, max_length=NOTE_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))
    closing_reason = forms.ChoiceField(label=_("Reden van afsluiten"), required=False,
                                       choices=[("", "—"), *ClosingReason.choices])


class ReassignForm(UtrechtFormMixin, forms.Form):
    worker = ModelChoiceField(label=_("Nieuwe verantwoordelijke"), queryset=None, widget=Select,
                                    empty_label=_("Kies een sociaal werker"),
                                    error_messages={"required": _("Kies een sociaal werker."),
                                                    "invalid_choice": _("Kies een sociaal werker uit de lijst.")})
    reason = forms.CharField(label=_("Reden van de overdracht"), max_length=SHORT_MAX,
                             error_messages={"required": _("Geef een reden voor de overdracht.")})

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class StartForm(UtrechtFormMixin, forms.Form):
    worker = ModelChoiceField(label=_("Verantwoordelijke sociaal werker"), queryset=None, widget=Select,
                                    error_messages={"required": _("Kies een sociaal werker."),
                                                    "invalid_choice": _("Kies een sociaal werker uit de lijst.")})
    goal = forms.CharField(label=_("Wat de inwoner wil bereiken"), required=False, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class ContactAttemptForm(UtrechtFormMixin, forms.Form):
    method = forms.ChoiceField(label=_("Hoe"), choices=ContactAttempt.Method.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("Kies hoe u contact zocht.")})
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=ContactAttempt.Outcome.choices,
                                widget=forms.RadioSelect, error_messages={"required": _("Kies de uitkomst.")})
    at = forms.DateTimeField(label=_("Wanneer"), required=False, help_text=_("Leeg: nu."),
                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                             input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
                             error_messages={"invalid": _("Geef een datum en tijd, bijvoorbeeld 2026-03-02 10:30.")})
    note = forms.CharField(label=_("Korte notitie"), required=False, max_length=SHORT_MAX,
                           error_messages={"max_length": _("Houd de notitie kort: hoogstens %(limit_value)d tekens.")})


class NoteForm(UtrechtFormMixin, forms.Form):
    text = forms.CharField(label=_("Notitie"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Schrijf een notitie."),
                                           "max_length": _("Houd de notitie kort: hoogstens %(limit_value)d tekens.")})


class ConsentForm(UtrechtFormMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Waarvoor"), choices=ConsentPurpose.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("Kies waarvoor de toestemming geldt.")})
    given = forms.TypedChoiceField(label=_("Toestemming"), coerce=lambda v: v == "ja", widget=forms.RadioSelect,
                                   choices=[("ja", _("gegeven")), ("nee", _("ingetrokken of geweigerd"))],
                                   error_messages={"required": _("Kies gegeven of ingetrokken.")})
    how = forms.ChoiceField(label=_("Hoe"), choices=ConsentEvent.How.choices,
                            error_messages={"required": _("Kies hoe de inwoner de toestemming gaf of introk.")})
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=SHORT_MAX)


def availability_choices():
    return [(f"{day}:{part}", f"{WEEKDAYS[day]} {label}") for day in range(7) for part, label in PartOfDay.choices]


class ProfileForm(UtrechtFormMixin, forms.Form):
    good_at = forms.CharField(label=_("Waar de inwoner goed in is"), required=False, max_length=NOTE_MAX,
                              widget=forms.Textarea(attrs={"rows": 2}))
    enjoys = forms.CharField(label=_("Wat de inwoner graag doet"), required=False, max_length=NOTE_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))
    would_like_to_give = forms.CharField(label=_("Wat de inwoner wil geven"), required=False, max_length=NOTE_MAX,
                                         widget=forms.Textarea(attrs={"rows": 2}))
    wants_to_volunteer = forms.BooleanField(label=_("Wil graag vrijwilligerswerk doen"), required=False)
    interests = forms.MultipleChoiceField(label=_("Interesses"), required=False, choices=Interest.choices,
                                          widget=forms.CheckboxSelectMultiple)
    barriers = forms.MultipleChoiceField(label=_("Wat in de weg staat"), required=False, choices=Barrier.choices,
                                         widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("Talen die de inwoner spreekt"), required=False,
                                          choices=Language.choices, widget=forms.CheckboxSelectMultiple)
    availability = forms.MultipleChoiceField(label=_("Beschikbaar"), required=False,
                                             choices=availability_choices, widget=forms.CheckboxSelectMultiple)
    loneliness_kinds = forms.MultipleChoiceField(label=_("Soort eenzaamheid (zoals u die ziet)"), required=False,
                                                 choices=LonelinessKind.choices, widget=forms.CheckboxSelectMultiple)
    online_ok = forms.BooleanField(label=_("Online meedoen kan"), required=False)
    free_only = forms.BooleanField(label=_("Alleen gratis activiteiten"), required=False,
                                   help_text=_("Dan stelt de matching niets voor waar de inwoner voor moet betalen."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for dimension, label in HealthDimension.choices:
            self.fields[f"health_{dimension}"] = forms.IntegerField(
                label=_("%(dimension)s (0-10)") % {"dimension": str(label).capitalize()}, required=False,
                min_value=0, max_value=10, widget=forms.NumberInput(attrs={"min": 0, "max": 10}),
                error_messages={"min_value": _("Geef een score van 0 tot en met 10."),
                                "max_value": _("Geef een score van 0 tot en met 10."),
                                "invalid": _("Geef een heel getal van 0 tot en met 10.")})

    def health_fields(self):
        return [self[f"health_{dimension}"] for dimension in HealthDimension.values]

    def main_fields(self):
        return [self[name] for name in ("good_at", "enjoys", "would_like_to_give", "wants_to_volunteer",
                                        "interests", "barriers", "languages", "loneliness_kinds", "online_ok",
                                        "free_only")]

    def profile_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in (
            "good_at", "enjoys", "would_like_to_give", "wants_to_volunteer", "interests", "barriers", "languages",
            "availability", "loneliness_kinds", "online_ok", "free_only")}
        data["health"] = {d: self.cleaned_data[f"health_{d}"] for d in HealthDimension.values
                          if self.cleaned_data.get(f"health_{d}") is not None}
        return data


DJG11_QUESTIONS = {
    1: _("Er is altijd wel iemand in mijn omgeving bij wie ik met mijn dagelijkse probleempjes terecht kan."),
    2: _("Ik mis een echt goede vriend of vriendin."),
    3: _("Ik ervaar een leegte om me heen."),
    4: _("Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen."),
    5: _("Ik mis gezelligheid om me heen."),
    6: _("Ik vind mijn kring van kennissen te beperkt."),
    7: _("Er zijn veel mensen op wie ik volledig kan vertrouwen."),
    8: _("Er zijn voldoende mensen met wie ik me nauw verbonden voel."),
    9: _("Ik mis mensen om me heen."),
    10: _("Vaak voel ik me in de steek gelaten."),
    11: _("Wanneer ik daar behoefte aan heb, kan ik altijd bij mijn vrienden terecht."),
}
UCLA3_QUESTIONS = {
    1: _("Hoe vaak heeft u het gevoel dat u gezelschap mist?"),
    2: _("Hoe vaak heeft u het gevoel dat u buitengesloten wordt?"),
    3: _("Hoe vaak heeft u het gevoel dat u geïsoleerd bent van anderen?"),
}
DJG_ANSWERS = [("ja", _("ja")), ("min of meer", _("min of meer")), ("nee", _("nee"))]
UCLA_ANSWERS = [("nooit of zelden", _("nooit of zelden")), ("soms", _("soms")), ("vaak", _("vaak"))]


def scale_items(scale: str) -> list[tuple[int, str]]:
    from samen.ondersteunen.services.measurements import ITEMS

    questions = UCLA3_QUESTIONS if scale == "ucla3" else DJG11_QUESTIONS
    return [(item, questions[item]) for item in ITEMS[scale]]


class MeasurementForm(UtrechtFormMixin, forms.Form):
    """One question per item of the chosen scale; an item may stay open (the scale's missing rule decides)."""

    moment = forms.ChoiceField(label=_("Moment"), choices=Measurement.Moment.choices,
                               error_messages={"required": _("Kies het moment van de meting.")})
    measured_on = forms.DateField(label=_("Datum"), required=False, help_text=_("Leeg: vandaag."),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  input_formats=["%Y-%m-%d", "%d-%m-%Y"],
                                  error_messages={"invalid": _("Geef een datum, bijvoorbeeld 2026-03-02.")})

    def __init__(self, *args, scale: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale = scale
        answers = UCLA_ANSWERS if scale == "ucla3" else DJG_ANSWERS
        for item, question in scale_items(scale):
            self.fields[f"item_{item}"] = forms.ChoiceField(label=question, choices=answers, required=False,
                                                            widget=forms.RadioSelect)

    def answers(self) -> list:
        return [self.cleaned_data.get(f"item_{item}") or None for item, _question in scale_items(self.scale)]

    def clean_measured_on(self):
        value = self.cleaned_data.get("measured_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Een meting ligt niet in de toekomst."))
        return value


class SettingsForm(UtrechtFormMixin, forms.Form):
    """Every SupportSettings field; the matching weights one number each (0 switches a factor off)."""

    NUMBER_FIELDS = ("contact_attempts", "contact_attempt_days", "first_contact_working_days",
                     "provider_nudge_working_days", "provider_return_working_days", "caseload_max",
                     "no_contact_days", "retention_months", "provider_link_days")

    aftercare_days = forms.CharField(
        label=_("Nazorg: dagen na de eerste keer"),
        help_text=_("Oplopend, gescheiden door komma's, bijv. 14, 42, 91, 182."),
        error_messages={"required": _("Geef minstens één nazorgmoment.")})

    def __init__(self, *args, model_fields, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.NUMBER_FIELDS:
            field = model_fields[name]
            limits = {type(v).__name__: v.limit_value for v in field.validators if hasattr(v, "limit_value")}
            self.fields[name] = forms.IntegerField(
                label=str(field.verbose_name).capitalize(), min_value=limits.get("MinValueValidator", 0),
                max_value=limits.get("MaxValueValidator", 32767),
                error_messages={"required": _("Vul een aantal in."), "invalid": _("Geef een heel getal."),
                                "min_value": _("Geef een getal van %(limit_value)s of meer."),
                                "max_value": _("Geef een getal van hoogstens %(limit_value)s.")})
        for factor, (_default, label) in FACTORS.items():
            self.fields[f"weight_{factor}"] = forms.DecimalField(
                label=_("Gewicht: %(factor)s") % {"factor": label}, min_value=0, max_value=MAX_WEIGHT,
                decimal_places=1, widget=forms.NumberInput(attrs={"step": "0.5", "min": 0, "max": MAX_WEIGHT}),
                error_messages={"required": _("Vul een gewicht in (0 zet de factor uit)."),
                                "invalid": _("Geef een getal, bijvoorbeeld 1,5."),
                                "min_value": _("Een gewicht is 0 of meer."),
                                "max_value": _("Een gewicht is hoogstens %(limit_value)s."),
                                "max_decimal_places": _("Geef een gewicht met hoogstens één decimaal.")},
                localize=True)

    def clean_aftercare_days(self):
        raw = self.cleaned_data["aftercare_days"]
        try:
            return [int(part) for part in raw.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Geef hele aantallen dagen, gescheiden door komma's.")) from None

    def weight_fields(self):
        return [self[f"weight_{factor}"] for factor in FACTORS]

    def number_fields(self):
        return [self[name] for name in (*self.NUMBER_FIELDS, "aftercare_days")]
