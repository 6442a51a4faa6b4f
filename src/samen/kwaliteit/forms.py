"""The one validator of an activity's content: used by the provider's form, the CSV/Excel import and
the API alike, so a rule (a valid RRULE, an end after the start, a known postcode, no negative cost)
holds on every way in."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samen.core.services import geography
from samen.core.validators import validate_dutch_phone
from samen.kwaliteit import schedule
from samen.kwaliteit.models import Intervention
from samen.kwaliteit.vocabulary import CostType, Interest, Language, LonelinessKind, TargetGroup

LOCATION_FIELDS = ("location_name", "location_street", "location_house_number", "location_addition",
                   "location_postcode", "location_city")


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(label=_("Omschrijving"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))

    online = forms.BooleanField(label=_("Online activiteit"), required=False)
    online_url = forms.URLField(label=_("Link voor online deelnemen"), required=False, assume_scheme="https")
    location_name = forms.CharField(label=_("Naam van de plek"), max_length=150, required=False,
                                    help_text=_("Bijvoorbeeld: Wijkcentrum Lopes Dias"))
    location_street = forms.CharField(label=_("Straat"), max_length=120, required=False)
    location_house_number = forms.IntegerField(label=_("Huisnummer"), min_value=1, required=False)
    location_addition = forms.CharField(label=_("Toevoeging"), max_length=10, required=False)
    location_postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    location_city = forms.CharField(label=_("Plaats"), max_length=80, required=False)

    start_date = forms.DateField(label=_("(Eerste) datum"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Begintijd"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Eindtijd"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    rrule = forms.CharField(
        label=_("Herhaling"), max_length=300, required=False,
        help_text=_("Leeg voor een eenmalige activiteit. Een iCalendar-regel, bijvoorbeeld FREQ=WEEKLY;BYDAY=TU "
                    "(elke dinsdag) of FREQ=MONTHLY;BYDAY=2TU (elke tweede dinsdag van de maand)."))
    valid_until = forms.DateField(label=_("Geldig tot en met"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))

    cost_type = forms.ChoiceField(label=_("Kosten"), choices=CostType.choices, initial=CostType.FREE)
    cost_amount = forms.DecimalField(label=_("Bedrag in euro"), max_digits=7, decimal_places=2, required=False)
    registration_required = forms.BooleanField(label=_("Aanmelden nodig"), required=False)
    how_to_join = forms.CharField(label=_("Zo doet u mee"), max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    capacity = forms.IntegerField(label=_("Aantal plaatsen"), min_value=1, required=False)

    wheelchair_accessible = forms.BooleanField(label=_("Rolstoeltoegankelijk"), required=False)
    hearing_loop = forms.BooleanField(label=_("Ringleiding"), required=False)
    near_public_transport = forms.BooleanField(label=_("Dicht bij openbaar vervoer"), required=False)

    target_groups = forms.MultipleChoiceField(label=_("Voor wie"), choices=TargetGroup.choices,
                                              widget=forms.CheckboxSelectMultiple)
    loneliness_kinds = forms.MultipleChoiceField(label=_("Wat het biedt"), choices=LonelinessKind.choices,
                                                 required=False, widget=forms.CheckboxSelectMultiple)
    interests = forms.MultipleChoiceField(label=_("Interesses"), choices=Interest.choices,
                                          widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("Talen"), choices=Language.choices, initial=["nl"],
                                          widget=forms.CheckboxSelectMultiple)
    theme_week = forms.BooleanField(label=_("Onderdeel van de Week tegen Eenzaamheid"), required=False)
    interventions = forms.ModelMultipleChoiceField(label=_("Werkt volgens de interventie"), required=False,
                                                   queryset=Intervention.objects.none(),
                                                   widget=forms.CheckboxSelectMultiple)

    contact_name = forms.CharField(label=_("Contactpersoon"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("Telefoon"), max_length=30, required=False,
                                    validators=[validate_dutch_phone])
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def __init__(self, *args, gemeente, **kwargs):
        super().__init__(*args, **kwargs)
        self.gemeente = gemeente
        self.fields["interventions"].queryset = Intervention.objects.filter(gemeente=gemeente)
        self.buurt = None

    def clean_rrule(self):
        try:
            return schedule.clean_rrule(self.cleaned_data.get("rrule", ""))
        except schedule.ScheduleError as exc:
            raise ValidationError(exc.message) from exc

    def clean_location_postcode(self):
        value = self.cleaned_data.get("location_postcode", "").strip()
        if not value:
            return ""
        try:
            return geography.clean_postcode(value)
        except geography.InvalidPostcode as exc:
            raise ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        start_date, start_time = data.get("start_date"), data.get("start_time")
        if start_date and start_time and "rrule" not in self.errors:
            try:
                schedule.check(start_date, start_time, data.get("end_time"), data.get("rrule", ""),
                               data.get("valid_until"))
            except schedule.ScheduleError as exc:
                self.add_error(exc.field, exc.message)
        cost_type, amount = data.get("cost_type"), data.get("cost_amount")
        if amount is not None and amount < 0:
            self.add_error("cost_amount", _("Het bedrag kan niet negatief zijn."))
        elif cost_type == CostType.AMOUNT and amount is None:
            self.add_error("cost_amount", _("Vul het bedrag in, of kies 'gratis' of 'vrijwillige bijdrage'."))
        elif cost_type != CostType.AMOUNT and amount:
            self.add_error("cost_amount", _("Alleen bij 'vast bedrag' hoort een bedrag."))
        self._clean_place(data)
        return data

    def _clean_place(self, data):
        if data.get("online"):
            if not data.get("online_url") and not data.get("how_to_join"):
                self.add_error("online_url", _("Geef de link, of leg bij 'zo doet u mee' uit hoe mensen meedoen."))
            if not data.get("location_postcode"):
                return
        if "location_postcode" in self.errors:
            return
        if not data.get("location_postcode"):
            self.add_error("location_postcode",
                           _("Vul de postcode van de plek in (of kies 'online activiteit')."))
            return
        if not data.get("location_name"):
            self.add_error("location_name", _("Geef de plek een naam, bijvoorbeeld 'Wijkcentrum Lopes Dias'."))
        try:
            self.buurt = geography.locate(self.gemeente, data["location_postcode"], data.get("location_house_number"))
        except geography.UnknownAddress:
            self.add_error("location_postcode",
                           _("Postcode %(postcode)s ligt niet in %(gemeente)s (of staat niet in de postcodetabel).")
                           % {"postcode": data["location_postcode"], "gemeente": self.gemeente.name})

    def content(self) -> dict:
        """The cleaned content as JSON-ready data (stored in ActivityVersion.data)."""
        data = dict(self.cleaned_data)
        for key, value in list(data.items()):
            if hasattr(value, "isoformat"):
                data[key] = value.isoformat()
        if data.get("cost_amount") is not None:
            data["cost_amount"] = str(data["cost_amount"])
        data["interventions"] = sorted(i.pk for i in data.get("interventions") or [])
        return data


def initial_from(activity) -> dict:
    """The form's starting values from an activity's live content."""
    location = activity.location
    values = {name: getattr(activity, name) for name in (
        "title", "description", "online", "online_url", "start_date", "start_time", "end_time", "rrule",
        "valid_until", "cost_type", "cost_amount", "registration_required", "how_to_join", "capacity",
        "wheelchair_accessible", "hearing_loop", "near_public_transport", "target_groups", "loneliness_kinds",
        "interests", "languages", "theme_week", "contact_name", "contact_phone", "contact_email", "website")}
    values["interventions"] = list(activity.interventions.values_list("pk", flat=True)) if activity.pk else []
    if location:
        values.update(location_name=location.name, location_street=location.street,
                      location_house_number=location.house_number, location_addition=location.house_number_addition,
                      location_postcode=location.postcode, location_city=location.city)
    return values
