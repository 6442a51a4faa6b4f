"""Forms of the referral part: thin; the services check every rule and give the Dutch messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.core.forms import UtrechtFormMixin
from samen.kwaliteit.vocabulary import Interest
from samen.ondersteunen.models import CheckIn, Referral
from samen.ondersteunen.workflow import RejectReason
from samen.weten.questionnaire import ANSWER_CHOICES, DJG6_QUESTIONS


class ReferralForm(UtrechtFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=Referral.Kind.choices)
    activity = forms.ModelChoiceField(label=_("Activiteit"), queryset=None, required=False)
    intervention = forms.ModelChoiceField(label=_("Interventie"), queryset=None, required=False)
    organisation = forms.ModelChoiceField(label=_("Organisatie"), queryset=None, required=False,
                                          help_text=_("Bij een interventie of andere organisatie: wie antwoordt."))
    note_for_provider = forms.CharField(label=_("Toelichting voor de aanbieder"), required=False, max_length=500,
                                        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}))
    with_maatje = forms.BooleanField(label=_("Een maatje gaat de eerste keer mee"), required=False)

    def __init__(self, *args, activities, interventions, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["intervention"].queryset = interventions
        self.fields["organisation"].queryset = organisations
        for name in ("kind", "activity", "intervention", "organisation"):
            self.fields[name].widget.attrs["class"] = "utrecht-select utrecht-select--html-select"


class AnswerForm(UtrechtFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Uw antwoord"), widget=forms.RadioSelect, choices=[
        ("confirm", _("Ja, de inwoner is welkom")), ("reject", _("Nee, het kan niet"))])
    reason = forms.ChoiceField(label=_("Waarom niet?"), required=False, widget=forms.RadioSelect,
                               choices=RejectReason.choices)
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2, "class": "utrecht-textarea"}))


class MaatjeAskForm(UtrechtFormMixin, forms.Form):
    volunteer = forms.TypedChoiceField(label=_("Maatje"), coerce=int, choices=())
    meet_at = forms.DateTimeField(label=_("Afspraak (datum en tijd)"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local", "class": "utrecht-textbox"}, format="%Y-%m-%dT%H:%M"))
    meet_place = forms.CharField(label=_("Waar jullie afspreken"), max_length=200,
                                 widget=forms.TextInput(attrs={"class": "utrecht-textbox"}))

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].choices = volunteers
        self.fields["volunteer"].widget.attrs["class"] = "utrecht-select utrecht-select--html-select"


class MaatjeReportForm(UtrechtFormMixin, forms.Form):
    went = forms.TypedChoiceField(label=_("Zijn jullie samen gegaan?"), widget=forms.RadioSelect,
                                  coerce=lambda v: v == "yes", choices=[("yes", _("ja")), ("no", _("nee"))])
    how_it_went = forms.TypedChoiceField(label=_("Hoe ging het? (1 = slecht, 5 = heel goed)"), required=False,
                                         widget=forms.RadioSelect, coerce=int, empty_value=None,
                                         choices=[(str(n), str(n)) for n in range(1, 6)])
    worry = forms.BooleanField(label=_("Ik maak me zorgen om de inwoner"), required=False)
    report_note = forms.CharField(label=_("Korte toelichting"), required=False, max_length=500,
                                  widget=forms.Textarea(attrs={"rows": 2, "class": "utrecht-textarea"}))


class MaatjeProfileForm(UtrechtFormMixin, forms.Form):
    active = forms.BooleanField(label=_("Ik ben beschikbaar als maatje"), required=False)
    interests = forms.MultipleChoiceField(label=_("Interesses"), required=False, choices=Interest.choices,
                                          widget=forms.CheckboxSelectMultiple)
    availability = forms.MultipleChoiceField(label=_("Wanneer ik kan"), required=False, choices=(),
                                             widget=forms.CheckboxSelectMultiple)
    max_per_month = forms.IntegerField(label=_("Hoogstens zoveel keer per maand"), min_value=1, max_value=31,
                                       widget=forms.NumberInput(attrs={"class": "utrecht-textbox"}))

    def __init__(self, *args, **kwargs):
        from samen.ondersteunen.services.maatje import availability_choices

        super().__init__(*args, **kwargs)
        self.fields["availability"].choices = availability_choices()


class CheckInForm(UtrechtFormMixin, forms.Form):
    still_going = forms.ChoiceField(label=_("Gaat de inwoner er nog heen?"), widget=forms.RadioSelect,
                                    choices=CheckIn.Going.choices)
    how_is_it = forms.TypedChoiceField(label=_("Hoe gaat het? (1 = slecht, 5 = heel goed)"), widget=forms.RadioSelect,
                                       coerce=int, choices=[(str(n), str(n)) for n in range(1, 6)])
    worry = forms.BooleanField(label=_("Er is een zorg"), required=False)
    worry_text = forms.CharField(label=_("Welke zorg"), required=False, max_length=500,
                                 widget=forms.Textarea(attrs={"rows": 2, "class": "utrecht-textarea"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item, question in DJG6_QUESTIONS.items():
            self.fields[f"djg_{item}"] = forms.ChoiceField(label=question, required=False, widget=forms.RadioSelect,
                                                           choices=ANSWER_CHOICES)

    def answers(self) -> list:
        return [self.cleaned_data.get(f"djg_{item}") or None for item in DJG6_QUESTIONS]
