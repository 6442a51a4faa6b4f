"""Signal forms for every channel. They only parse; services.signals validates and stores."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.core.forms import UtrechtFormMixin
from samen.core.validators import validate_dutch_phone
from samen.vinden import checklist
from samen.vinden.models import AgeGroup, Channel, Consent
from samen.vinden.workflow import Decision, Status

SIGN_CHOICES = list(checklist.SIGNS.items())


class _Address(UtrechtFormMixin, forms.Form):
    postcode = forms.CharField(label=_("Postcode"), max_length=8, required=False)
    house_number = forms.CharField(label=_("Huisnummer"), max_length=12, required=False,
                                   help_text=_("Met toevoeging mag: 12a, 12-2 of 12 bis."))

    def signal_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "website"}


class StaffSignalForm(_Address):
    name = forms.CharField(label=_("Naam (als u die weet)"), max_length=200, required=False)
    house_number_addition = forms.CharField(label=_("Toevoeging"), max_length=10, required=False)
    birth_year = forms.CharField(label=_("Geboortejaar"), max_length=4, required=False)
    age_group = forms.ChoiceField(label=_("Leeftijdsgroep"), choices=AgeGroup.choices, required=False)
    phone = forms.CharField(label=_("Telefoon van de inwoner (alleen als gegeven)"), max_length=30, required=False,
                            validators=[validate_dutch_phone])
    email = forms.CharField(label=_("E-mail van de inwoner (alleen als gegeven)"), max_length=200, required=False)
    observations = forms.MultipleChoiceField(label=_("Wat viel u op?"), choices=SIGN_CHOICES
                                             + list(checklist.RISK_FACTORS.items()), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    consent = forms.ChoiceField(label=_("Weet de inwoner van dit signaal?"), choices=Consent.choices,
                                initial=Consent.UNKNOWN)
    field_order = ["name", "postcode", "house_number", "house_number_addition", "birth_year", "age_group", "phone",
                   "email", "observations", "description", "consent"]


class VolunteerSignalForm(_Address):
    """Short, for a phone: where, what, and whether the person knows."""

    name = forms.CharField(label=_("Naam (als u die weet)"), max_length=200, required=False)
    observations = forms.MultipleChoiceField(label=_("Wat viel u op?"), choices=SIGN_CHOICES, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("In uw eigen woorden"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    consent = forms.ChoiceField(label=_("Weet de inwoner ervan?"), choices=Consent.choices, initial=Consent.UNKNOWN)
    field_order = ["postcode", "house_number", "name", "observations", "description", "consent"]


class Honeypot(forms.Form):
    # Hidden from people (CSS and aria-hidden); bots fill it in.
    website = forms.CharField(required=False, label=_("Laat dit veld leeg"),
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))


class ConcernForm(Honeypot, VolunteerSignalForm):
    """'Ik maak me zorgen om iemand' (public, no login)."""

    field_order = ["postcode", "house_number", "name", "observations", "description", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["consent"]


class SelfForm(Honeypot, _Address):
    """'Ik wil zelf graag meer contact' (public, no login)."""

    name = forms.CharField(label=_("Uw naam"), max_length=200)
    phone = forms.CharField(label=_("Telefoonnummer"), max_length=30, required=False,
                            validators=[validate_dutch_phone])
    email = forms.CharField(label=_("E-mailadres"), max_length=200, required=False)
    age_group = forms.ChoiceField(label=_("Leeftijd"), choices=AgeGroup.choices, required=False)
    description = forms.CharField(label=_("Wat zou u graag willen?"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    field_order = ["name", "phone", "email", "postcode", "house_number", "age_group", "description", "website"]

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email"):
            self.add_error("phone", _("Vul een telefoonnummer of e-mailadres in, zodat we contact kunnen opnemen."))
        return data

    def signal_data(self) -> dict:
        data = super().signal_data()
        data["consent"] = Consent.YES
        data["description"] = data.get("description") or str(_("Wil zelf graag meer contact."))
        return data


class TriageForm(UtrechtFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Besluit"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Waarom"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Verplicht bij maatwerk, geen actie, doorzetten en afsluiten."))
    assign_to = forms.ModelChoiceField(label=_("Sociaal werker"), queryset=None, required=False)
    partner = forms.ModelChoiceField(label=_("Partner voor maatwerk"), queryset=None, required=False)
    look_again_on = forms.DateField(label=_("Opnieuw bekijken op"), required=False,
                                    help_text=_("Verplicht bij maatwerk."),
                                    widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, workers, partners, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assign_to"].queryset = workers
        self.fields["partner"].queryset = partners
        self.fields["decision"].choices = [(d, label) for d, label in Decision.choices if d in decisions]
        self.fields["decision"].widget.attrs["class"] = "utrecht-radio-button"




class SignalFilterForm(UtrechtFormMixin, forms.Form):
    """Search, filter and sort the signals list (GET): wijk, status, channel, dates, signal number."""

    is_search = True  # every field is optional: no "(niet verplicht)" on each label

    SORT = {"": ("triage_deadline", "pk"), "nieuwste": ("-created_at", "-pk"), "oudste": ("created_at", "pk")}

    q = forms.CharField(label=_("Signaalnummer"), required=False, max_length=20)
    wijk = forms.ChoiceField(label=_("Wijk"), required=False)
    stand = forms.ChoiceField(label=_("Stand"), required=False)
    channel = forms.ChoiceField(label=_("Kanaal"), required=False)
    date_from = forms.DateField(label=_("Ontvangen vanaf"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("Ontvangen tot en met"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    sort = forms.ChoiceField(label=_("Volgorde"), required=False,
                             choices=[("", _("oudste termijn eerst")), ("nieuwste", _("nieuwste eerst")),
                                      ("oudste", _("oudste eerst"))])

    def __init__(self, *args, wijken=(), central=False, **kwargs):
        super().__init__(*args, **kwargs)
        if central:
            del self.fields["wijk"]
        else:
            self.fields["wijk"].choices = [("", _("alle"))] + [(w.code, w.display_name) for w in wijken]
        self.fields["stand"].choices = [("", _("open")), ("alle", _("alle")), *Status.choices]
        self.fields["channel"].choices = [("", _("alle")), *Channel.choices]
