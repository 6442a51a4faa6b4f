"""``ManageActivityForm``: the one validator (kwaliteit.forms.ActivityForm) plus the repeat helper, in
fieldsets."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen.core.forms import UtrechtFormMixin
from samen.kwaliteit.forms import ActivityForm
from samen.kwaliteit.manage_forms.repeat import (
    DAY_CHOICES,
    ORDINAL_CHOICES,
    Repeat,
    RepeatChoice,
    compose,
    decompose,
)

FIELDSETS = (
    (gettext_lazy("Wat"), ("organisation", "title", "description")),
    (gettext_lazy("Waar"), ("online", "online_url", "location_name", "location_street", "location_house_number",
                     "location_addition", "location_postcode", "location_city")),
    (gettext_lazy("Wanneer"), ("start_date", "start_time", "end_time", "repeat", "repeat_days", "repeat_interval",
                        "repeat_ordinal", "repeat_weekday", "rrule", "valid_until")),
    (gettext_lazy("Kosten en aanmelden"), ("cost_type", "cost_amount", "registration_required", "how_to_join",
                                    "capacity")),
    (gettext_lazy("Toegankelijkheid"), ("wheelchair_accessible", "hearing_loop", "near_public_transport")),
    (gettext_lazy("Voor wie"), ("target_groups", "loneliness_kinds", "interests", "languages", "theme_week",
                         "interventions")),
    (gettext_lazy("Contact"), ("contact_name", "contact_phone", "contact_email", "website")),
)
HELPER_FIELDS = ("repeat", "repeat_days", "repeat_interval", "repeat_ordinal", "repeat_weekday")


class ManageActivityForm(UtrechtFormMixin, ActivityForm):
    """ActivityForm with the repeat helper, and (for the regisseur's new entries) the organiser."""

    repeat = forms.ChoiceField(label=gettext_lazy("Herhaalt de activiteit zich?"), choices=Repeat.choices,
                               required=False, initial=Repeat.NONE, widget=forms.RadioSelect)
    repeat_days = forms.MultipleChoiceField(
        label=gettext_lazy("Op welke dagen"), choices=DAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Bij 'elke week' en 'om de zoveel weken'."))
    repeat_interval = forms.IntegerField(
        label=gettext_lazy("Om de hoeveel weken"), min_value=2, max_value=52, required=False,
        help_text=gettext_lazy("Bij 'om de zoveel weken', bijvoorbeeld 2."))
    repeat_ordinal = forms.ChoiceField(
        label=gettext_lazy("Welke in de maand"), choices=[("", "—"), *ORDINAL_CHOICES], required=False,
        help_text=gettext_lazy("Bij 'elke maand', bijvoorbeeld de tweede."))
    repeat_weekday = forms.ChoiceField(
        label=gettext_lazy("Welke weekdag in de maand"), choices=[("", "—"), *DAY_CHOICES], required=False,
        help_text=gettext_lazy("Bij 'elke maand', bijvoorbeeld dinsdag."))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(label=gettext_lazy("Organisator"),
                                                                 queryset=organisations)
        self.fields["target_groups"].label = gettext_lazy("Doelgroepen")  # the fieldset is already called 'Voor wie'
        self.fields["rrule"].label = gettext_lazy("Eigen iCalendar-regel")
        self.fields["rrule"].help_text = gettext_lazy(
            "Alleen bij 'anders'. Bijvoorbeeld FREQ=WEEKLY;BYDAY=TU (elke dinsdag) of FREQ=MONTHLY;BYDAY=2TU "
            "(elke tweede dinsdag van de maand).")
        for name in ("start_date", "valid_until"):  # <input type="date"> needs ISO dates in every language
            self.fields[name].widget.format = "%Y-%m-%d"
        for name in ("start_time", "end_time"):
            self.fields[name].widget.format = "%H:%M"
        # Clean the helper before the rule it composes (fields are cleaned in this order).
        order = [name for _legend, names in FIELDSETS for name in names if name in self.fields]
        self.fields = {name: self.fields[name] for name in order}

    @property
    def fieldsets(self):
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in FIELDSETS]

    # The long repeat options come after the choice "Herhaalt de activiteit zich?", folded away
    # (details/summary) until a repeat is chosen or one of them has an error.
    SCHEDULE_DETAILS = ("repeat_days", "repeat_interval", "repeat_ordinal", "repeat_weekday", "rrule")

    def schedule_details_open(self) -> bool:
        chosen = self["repeat"].value() or (Repeat.CUSTOM if (self["rrule"].value() or "").strip() else Repeat.NONE)
        return chosen != Repeat.NONE or any(name in self.errors for name in self.SCHEDULE_DETAILS)

    def clean_rrule(self):
        typed = self.cleaned_data.get("rrule", "")
        kind = self.cleaned_data.get("repeat") or (Repeat.CUSTOM if typed.strip() else Repeat.NONE)
        if kind == Repeat.CUSTOM:
            return super().clean_rrule()
        if kind == Repeat.NONE:
            return ""
        choice, problem = self._helper_choice(kind)
        if problem:
            field, message = problem
            self.add_error(field, message)
            return "FREQ=WEEKLY"  # the form is invalid anyway; keeps the schedule check from guessing
        self.cleaned_data["rrule"] = compose(choice)
        return super().clean_rrule()

    def _helper_choice(self, kind: str) -> tuple[RepeatChoice | None, tuple[str, str] | None]:
        data = self.cleaned_data
        if kind in (Repeat.WEEKLY, Repeat.WEEKS):
            days = tuple(data.get("repeat_days") or ())
            if not days:
                return None, ("repeat_days", _("Kies op welke dag of dagen de activiteit is."))
            interval = data.get("repeat_interval")
            if kind == Repeat.WEEKS and not interval:
                return None, ("repeat_interval", _("Vul in om de hoeveel weken de activiteit is (2 of meer)."))
            return RepeatChoice(kind, days=days, interval=interval or 1), None
        if not data.get("repeat_ordinal"):
            return None, ("repeat_ordinal", _("Kies welke in de maand: de eerste, tweede, derde, vierde of laatste."))
        if not data.get("repeat_weekday"):
            return None, ("repeat_weekday", _("Kies de weekdag."))
        return RepeatChoice(kind, ordinal=int(data["repeat_ordinal"]), weekday=data["repeat_weekday"]), None

    def service_data(self) -> dict:
        """The cleaned content for catalogue.submit(): the rule composed, the helper's own fields left out."""
        content = self.content()
        for name in (*HELPER_FIELDS, "organisation"):
            content.pop(name, None)
        return content


def helper_initial(rule: str) -> dict:
    """The helper's starting values for a stored rule."""
    choice = decompose(rule)
    if choice is None:
        return {"repeat": Repeat.CUSTOM, "rrule": rule}
    return {"repeat": choice.kind, "repeat_days": list(choice.days),
            "repeat_interval": choice.interval if choice.kind == Repeat.WEEKS else None,
            "repeat_ordinal": str(choice.ordinal) if choice.kind == Repeat.MONTHLY else "",
            "repeat_weekday": choice.weekday, "rrule": rule if choice.kind == Repeat.CUSTOM else ""}


def form_initial(content: dict) -> dict:
    """Starting values of the form for stored content (live or a pending version)."""
    initial = {key: value for key, value in content.items() if value is not None}
    for name in ("start_time", "end_time"):
        if isinstance(initial.get(name), str):
            initial[name] = initial[name][:5]
    return {**initial, **helper_initial(content.get("rrule") or "")}
