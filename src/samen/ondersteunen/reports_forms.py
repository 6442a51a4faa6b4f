"""Forms of the reports part: an item for the casusoverleg, its advice and actions, the outcomes filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.core.forms import UtrechtFormMixin
from samen.core.models import User, Wijk

DATE = {"type": "date"}


class CaseItemForm(UtrechtFormMixin, forms.Form):
    trajectory = forms.ModelChoiceField(label=_("Traject"), queryset=None, required=False,
                                        error_messages={"invalid_choice": _("Kies een traject uit de lijst.")})
    meeting_date = forms.DateField(label=_("Datum van het overleg"), required=False,
                                   widget=forms.DateInput(attrs=DATE))
    question = forms.CharField(label=_("Vraag aan het netwerk"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("Schrijf geen naam of adres op: de partners zien een schuilnaam."))
    by_name = forms.BooleanField(label=_("Met naam bespreken (alleen met toestemming van de inwoner)"),
                                 required=False)

    def __init__(self, *args, trajectories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trajectory"].queryset = trajectories
        self.fields["trajectory"].label_from_instance = lambda t: (
            f"{t.resident.name if t.resident_id else _('Inwoner onbekend')} — {t.get_status_display()}")


class AdviceForm(UtrechtFormMixin, forms.Form):
    advice = forms.CharField(label=_("Advies van het netwerk"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    description = forms.CharField(label=_("Afspraak"), required=False, max_length=500)
    owner = forms.ModelChoiceField(label=_("Wie voert de afspraak uit"), queryset=User.objects.none(),
                                   required=False)
    due_on = forms.DateField(label=_("Uiterlijk"), required=False, widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, gemeente_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(gemeente_id=gemeente_id, is_active=True).order_by(
            "first_name", "last_name")
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class OutcomesFilterForm(UtrechtFormMixin, forms.Form):
    wijk = forms.ModelChoiceField(label=_("Wijk"), queryset=Wijk.objects.none(), required=False,
                                  empty_label=_("Alle wijken"))
    date_from = forms.DateField(label=_("Gestart vanaf"), required=False, widget=forms.DateInput(attrs=DATE))
    date_to = forms.DateField(label=_("tot en met"), required=False, widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, gemeente=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijk"].queryset = Wijk.objects.filter(gemeente=gemeente).order_by("code")
        self.fields["wijk"].label_from_instance = lambda w: w.display_name

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("De einddatum ligt voor de begindatum."))
        return data
