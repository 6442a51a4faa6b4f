"""The staff screens' forms for the catalogue, and how an entry's content is shown and compared.

``ManageActivityForm`` is the one validator (kwaliteit.forms.ActivityForm) plus a friendly "repeat"
helper: none / every week on some days / every N weeks / the Nth weekday of the month. The helper
composes the iCalendar RRULE on the server (``compose``); power users choose "other" and type a rule.
``decompose`` reads a rule back into the helper, so an edit starts where the provider left off.

``content_rows`` and ``changes`` turn stored content (ActivityVersion.data, or the live activity through
``live_content``) into readable rows: field label, old → new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen.kwaliteit import schedule
from samen.kwaliteit.forms import ActivityForm, initial_from
from samen.kwaliteit.models import Intervention
from samen.kwaliteit.review import ReviewDecision
from samen.kwaliteit.vocabulary import WEEKDAYS, Recognition, TargetGroup

# --- the repeat helper ----------------------------------------------------------------------------

DAY_CODES = schedule.DAY_CODES
ORDINALS = (1, 2, 3, 4, -1)


class Repeat(models.TextChoices):
    NONE = "none", gettext_lazy("niet: het is één keer")
    WEEKLY = "weekly", gettext_lazy("elke week, op de gekozen dagen")
    WEEKS = "weeks", gettext_lazy("om de zoveel weken, op de gekozen dagen")
    MONTHLY = "monthly", gettext_lazy("elke maand op een vaste weekdag, bijvoorbeeld de tweede dinsdag")
    CUSTOM = "custom", gettext_lazy("anders: ik typ zelf een iCalendar-regel")


ORDINAL_CHOICES = [("1", gettext_lazy("eerste")), ("2", gettext_lazy("tweede")), ("3", gettext_lazy("derde")),
                   ("4", gettext_lazy("vierde")), ("-1", gettext_lazy("laatste"))]
DAY_CHOICES = [(code, WEEKDAYS[index]) for index, code in enumerate(DAY_CODES)]


@dataclass(frozen=True)
class RepeatChoice:
    """What the helper asks: a kind, and per kind the days, the interval or the Nth weekday."""

    kind: str
    days: tuple[str, ...] = ()
    interval: int = 1
    ordinal: int = 1
    weekday: str = ""


def compose(choice: RepeatChoice) -> str:
    """The RRULE for a helper choice ('' for a one-off). Days are written in week order."""
    days = ",".join(code for code in DAY_CODES if code in choice.days)
    if choice.kind == Repeat.WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={days}"
    if choice.kind == Repeat.WEEKS:
        return f"FREQ=WEEKLY;INTERVAL={choice.interval};BYDAY={days}"
    if choice.kind == Repeat.MONTHLY:
        return f"FREQ=MONTHLY;BYDAY={choice.ordinal}{choice.weekday}"
    return ""


def decompose(rule: str) -> RepeatChoice | None:
    """The helper choice that composes exactly this rule, or None when only 'other' can hold it.

    The rule is read by the schedule module (``schedule.parse``); this only maps its parts onto the helper."""
    rule = (rule or "").strip().upper()
    if not rule:
        return RepeatChoice(Repeat.NONE)
    parsed = schedule.parse(rule)
    if parsed is None or not parsed.days or parsed.month_days or parsed.months or parsed.count or parsed.other:
        return None
    if parsed.freq == "WEEKLY":
        days = tuple(day for _ordinal, day in parsed.days)
        if any(ordinal is not None for ordinal, _day in parsed.days) or len(set(days)) != len(days):
            return None
        if not parsed.interval_given:
            choice = RepeatChoice(Repeat.WEEKLY, days=days)
        elif 2 <= parsed.interval <= 52:
            choice = RepeatChoice(Repeat.WEEKS, days=days, interval=parsed.interval)
        else:
            return None
    elif parsed.freq == "MONTHLY" and not parsed.interval_given and len(parsed.days) == 1:
        ordinal, weekday = parsed.days[0]
        if ordinal not in ORDINALS:
            return None
        choice = RepeatChoice(Repeat.MONTHLY, ordinal=ordinal, weekday=weekday)
    else:
        return None
    return choice if compose(choice) == rule else None


def repeat_text(rule: str) -> str:
    """'elke week op dinsdag en donderdag', 'elke tweede dinsdag van de maand': the schedule module's words."""
    return schedule.describe_rule(rule)


def when_text(activity) -> str:
    """The schedule as the public site says it too (schedule.describe): one describer for every screen."""
    return schedule.describe(activity)


# --- the activity form ----------------------------------------------------------------------------

# The screen's fieldsets, in order: (legend, fields). Every field of the form is in exactly one.
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


class ManageActivityForm(ActivityForm):
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


# --- showing and comparing content ----------------------------------------------------------------

CONTENT_FIELDS = tuple(name for _legend, names in FIELDSETS for name in names
                       if name in ActivityForm.base_fields)


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def live_content(activity) -> dict:
    """The live activity's content in the same shape as ActivityVersion.data."""
    return normalise(initial_from(activity))


def normalise(content: dict) -> dict:
    """Content with one spelling per value, so that equal content compares equal."""
    return {name: _normal(name, content.get(name)) for name in CONTENT_FIELDS}


def _normal(name: str, value):
    if isinstance(ActivityForm.base_fields[name], forms.BooleanField):
        return bool(value)
    if value in (None, "", [], ()):
        return None
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if name in ("start_time", "end_time"):
        return str(value)[:5]
    if name == "cost_amount":
        try:
            return f"{Decimal(str(value)):.2f}"
        except InvalidOperation:
            return str(value)
    if isinstance(value, list | tuple):
        return sorted(int(v) if name == "interventions" else str(v) for v in value)
    if name == "location_postcode":
        return str(value).replace(" ", "").upper()
    return value


def display(name: str, value, interventions: dict[int, str] | None = None) -> str:
    """A stored value as the screen shows it."""
    value = _normal(name, value)
    field = ActivityForm.base_fields[name]
    if isinstance(field, forms.BooleanField):
        return _("ja") if value else _("nee")
    if name == "rrule":
        value = value or ""
        text = repeat_text(value)
        return text if not value or value in text else f"{text} ({value})"
    if value is None:
        return "—"
    if name == "interventions":
        names = interventions or {}
        return ", ".join(names.get(pk, f"#{pk}") for pk in value)
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)
        return ", ".join(str(labels.get(code, code)) for code in value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(field, forms.DateField):
        return dt.date.fromisoformat(value).strftime("%d-%m-%Y")
    return str(value)


def _intervention_names(*contents: dict) -> dict[int, str]:
    pks = {pk for content in contents for pk in (content.get("interventions") or [])}
    return dict(Intervention.objects.filter(pk__in=pks).values_list("pk", "name")) if pks else {}


def content_rows(content: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every field of the content with its label, grouped as the form's fieldsets, for a read-only view."""
    content = normalise(content)
    names = _intervention_names(content)
    return [(str(legend), [(str(ActivityForm.base_fields[name].label), display(name, content[name], names))
                           for name in fields if name in ActivityForm.base_fields])
            for legend, fields in FIELDSETS]


def changes(old: dict, new: dict) -> list[Change]:
    """The fields that differ between two contents: label, old value → new value."""
    old, new = normalise(old), normalise(new)
    names = _intervention_names(old, new)
    return [Change(str(ActivityForm.base_fields[name].label), display(name, old[name], names),
                   display(name, new[name], names))
            for name in CONTENT_FIELDS if old[name] != new[name]]


# --- review, interventions, theme weeks -----------------------------------------------------------

class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Besluit"), widget=forms.RadioSelect,
                                 choices=[(ReviewDecision.APPROVE, ReviewDecision.APPROVE.label),
                                          (ReviewDecision.REJECT, ReviewDecision.REJECT.label)])
    note = forms.CharField(label=gettext_lazy("Toelichting voor de aanbieder"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=gettext_lazy("Verplicht bij afwijzen: wat moet er anders?"))

    def clean(self):
        data = super().clean()
        if data.get("decision") == ReviewDecision.REJECT and not (data.get("note") or "").strip():
            self.add_error("note", _("Schrijf de aanbieder waarom de versie is afgewezen."))
        return data


class InterventionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=150,
                           help_text=gettext_lazy("Bijvoorbeeld: Welzijn op Recept"))
    description = forms.CharField(label=gettext_lazy("Omschrijving"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    recognition = forms.ChoiceField(label=gettext_lazy("Erkenning in de Movisie-databank"), choices=Recognition.choices,
                                    initial=Recognition.NOT_ASSESSED, widget=forms.RadioSelect)
    target_groups = forms.MultipleChoiceField(label=gettext_lazy("Doelgroepen"), choices=TargetGroup.choices,
                                              required=False, widget=forms.CheckboxSelectMultiple)
    target_group_text = forms.CharField(label=gettext_lazy("Doelgroep in eigen woorden"), max_length=200,
                                        required=False)
    databank_url = forms.URLField(label=gettext_lazy("Pagina in de databank"), required=False, assume_scheme="https")


class ThemeWeekForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=100, initial="Week tegen Eenzaamheid")
    starts_on = forms.DateField(label=gettext_lazy("Van"),
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=gettext_lazy("Tot en met"),
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the form when no field matches)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
