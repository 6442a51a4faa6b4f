"""The forms of interventions and theme weeks, and putting a service's ValidationError on a form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from samen.core.forms import UtrechtFormMixin
from samen.kwaliteit.vocabulary import Recognition, TargetGroup


class InterventionForm(UtrechtFormMixin, forms.Form):
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


class ThemeWeekForm(UtrechtFormMixin, forms.Form):
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
