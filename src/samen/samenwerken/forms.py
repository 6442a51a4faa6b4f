"""Forms of the agenda, budget, meetings, self-assessment and report screens; the rules are in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.core.forms import UtrechtFormMixin
from samen.core.models import Organisation, User, Wijk
from samen.samenwerken import benchmark
from samen.samenwerken.models import (
    Action,
    BudgetEntry,
    CampaignMoment,
    CouncilReport,
    SelfAssessmentAnswer,
    ZorgnetwerkMember,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = ["bouwsteen", "title", "what", "goal", "trekker", "uitvoering", "executors", "wijk", "starts_on",
                  "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "what": forms.Textarea(attrs={"rows": 4}),
                   "goal": forms.Textarea(attrs={"rows": 4}), "executors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, gemeente=None, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(gemeente=gemeente).order_by("name")
        self.fields["trekker"].queryset = organisations
        self.fields["executors"].queryset = organisations
        self.fields["wijk"].queryset = self.fields["wijk"].queryset.filter(gemeente=gemeente)


class MilestoneForm(UtrechtFormMixin, forms.Form):
    milestone = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Mijlpaal"), max_length=200)
    due_on = forms.DateField(label=_("Datum"), widget=DATE)
    description = forms.CharField(label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reached_on = forms.DateField(label=_("Bereikt op"), required=False, widget=DATE)


class NoteForm(UtrechtFormMixin, forms.Form):
    text = forms.CharField(label=_("Wat is er gebeurd?"), widget=forms.Textarea(attrs={"rows": 3}))


def _percent(value: str, field: str) -> float:
    try:
        number = float(str(value).replace(",", ".").replace("%", "").strip())
    except ValueError:
        raise forms.ValidationError(_("Vul een percentage in, bijvoorbeeld 12,5."), code=field) from None
    if not 0 <= number <= 100:
        raise forms.ValidationError(_("Een percentage ligt tussen 0 en 100."), code=field)
    return number / 100


class IndicatorForm(UtrechtFormMixin, forms.Form):
    """Link an action to an indicator another block offers (registry.indicator_source)."""

    indicator = forms.ChoiceField(label=_("Indicator"))
    baseline = forms.CharField(label=_("Nulmeting (%)"), max_length=10)
    baseline_year = forms.IntegerField(label=_("Jaar nulmeting"), min_value=2000, max_value=2100)
    target = forms.CharField(label=_("Streefwaarde (%)"), max_length=10)
    target_year = forms.IntegerField(label=_("Streefjaar"), min_value=2000, max_value=2100)

    def __init__(self, *args, gemeente=None, **kwargs):
        from samen.core import registry

        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [
            (f"{source.key}|{code}", f"{source.label}: {label}")
            for source in registry.indicator_sources for code, label in source.list_fn(gemeente)]

    def clean_baseline(self):
        return _percent(self.cleaned_data["baseline"], "baseline")

    def clean_target(self):
        return _percent(self.cleaned_data["target"], "target")


class StepForm(UtrechtFormMixin, forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reden"), required=False, max_length=500)


class BookingForm(UtrechtFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=BudgetEntry.Kind.choices)
    booked_on = forms.DateField(label=_("Datum"), widget=DATE)
    amount = forms.CharField(label=_("Bedrag (euro)"), max_length=20)
    note = forms.CharField(label=_("Toelichting"), max_length=300)
    confirm_over_budget = forms.BooleanField(label=_("Ik wil het budget van deze regel overschrijden"),
                                             required=False)


class BudgetYearForm(UtrechtFormMixin, forms.Form):
    available = forms.CharField(label=_("Beschikbaar budget (euro)"), max_length=20)
    closed = forms.BooleanField(label=_("Dit jaar is afgesloten"), required=False)


class ChangeBudgetForm(UtrechtFormMixin, forms.Form):
    changed_amount = forms.CharField(label=_("Gewijzigd budget (euro)"), max_length=20,
                                     help_text=_("Leeg laten: het oorspronkelijke budget geldt."), required=False)


class BudgetLineForm(UtrechtFormMixin, forms.Form):
    action = forms.ModelChoiceField(label=_("Actie"), queryset=Action.objects.none())
    year = forms.IntegerField(label=_("Jaar"))
    funding_source = forms.CharField(label=_("Dekking"), max_length=200)
    initial_amount = forms.CharField(label=_("Budget (euro)"), max_length=20)

    def __init__(self, *args, actions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions if actions is not None else Action.objects.none()


class MeetingForm(UtrechtFormMixin, forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DATE)
    place = forms.CharField(label=_("Plaats"), max_length=200)
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class MinutesForm(UtrechtFormMixin, forms.Form):
    attendees = forms.ModelMultipleChoiceField(label=_("Aanwezig"), queryset=ZorgnetwerkMember.objects.none(),
                                               required=False, widget=forms.CheckboxSelectMultiple)
    minutes = forms.CharField(label=_("Verslag"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    decisions = forms.CharField(label=_("Besluiten"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, network=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = network.members.select_related("organisation") if network else \
            ZorgnetwerkMember.objects.none()


class ActionPointForm(UtrechtFormMixin, forms.Form):
    title = forms.CharField(label=_("Actiepunt"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Eigenaar"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(label=_("Uiterlijk op"), widget=DATE)

    def __init__(self, *args, gemeente=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(gemeente=gemeente, is_active=True).select_related(
            "organisation").order_by("first_name")
        self.fields["owner"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username}" + (f" ({user.organisation.name})" if user.organisation else ""))


class AssessmentForm(UtrechtFormMixin, forms.Form):
    share_with_others = forms.BooleanField(
        label=_("Andere gemeenten in deze installatie mogen onze antwoorden zien"), required=False)

    def __init__(self, *args, proposals=None, **kwargs):
        super().__init__(*args, **kwargs)
        proposals = proposals or {}
        for q in benchmark.QUESTIONS:
            proposal = proposals.get(q.key)
            help_text = _("Voorstel van Samen: %(a)s. %(e)s") % {"a": proposal[0], "e": proposal[1]} if proposal else ""
            self.fields[f"q_{q.key}"] = forms.ChoiceField(
                label=q.text, choices=SelfAssessmentAnswer.Answer.choices, required=False, widget=forms.RadioSelect,
                help_text=help_text, initial=proposal[0] if proposal else None)
            self.fields[f"n_{q.key}"] = forms.CharField(label=_("Toelichting"), required=False, max_length=2000)


class ReportForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:  # noqa: D106
        model = CouncilReport
        fields = ["onderwerp", "kernboodschap", "aanleiding", "consequenties", "vervolgtraject", "priorities"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in
                   ("kernboodschap", "aanleiding", "consequenties", "vervolgtraject", "priorities")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class CampaignMomentForm(UtrechtFormMixin, forms.Form):
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("Middel"), choices=CampaignMoment.Kind.choices)
    title = forms.CharField(label=_("Omschrijving"), max_length=200)
    wijk = forms.ModelChoiceField(label=_("Wijk"), queryset=Wijk.objects.none(), required=False,
                                  help_text=_("Leeg voor de hele gemeente."))
    materials = forms.CharField(label=_("Materialen"), max_length=300, required=False,
                                help_text=_("Bijvoorbeeld: 120 posters, 3 filmpjes."))
    reach = forms.IntegerField(label=_("Bereik (aantal mensen)"), min_value=0, required=False)
    action = forms.ModelChoiceField(label=_("Bij actie"), queryset=Action.objects.none(), required=False)
    theme_week = forms.BooleanField(label=_("Hoort bij de Week tegen Eenzaamheid"), required=False,
                                    help_text=_("Een moment in de dagen van de themaweek van de catalogus krijgt dit "
                                                "vanzelf."))

    def __init__(self, *args, wijken=None, actions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijk"].queryset = wijken if wijken is not None else Wijk.objects.none()
        self.fields["action"].queryset = actions if actions is not None else Action.objects.none()
