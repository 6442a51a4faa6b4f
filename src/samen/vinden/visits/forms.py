"""The forms of the 75+ home visit screens (visits.views)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen.core import policy
from samen.core.forms import RADIO_CSS, UploadField, UtrechtFormMixin
from samen.core.models import Wijk
from samen.vinden.visits.models import MAX_WISHES, VisitStatus
from samen.weten.questionnaire import ANSWER_CHOICES, DJG6_QUESTIONS


class RegisterImportForm(UtrechtFormMixin, forms.Form):
    file = UploadField(label=gettext_lazy("Bestand uit de basisregistratie (CSV of Excel)"),
                       help_text=gettext_lazy("Kolommen: naam, postcode, huisnummer, geboortedatum; "
                                              "optioneel toevoeging en adres."))
    scope = forms.ChoiceField(label=gettext_lazy("Dit bestand bevat"), required=False,
                              help_text=gettext_lazy("Bevat het bestand één wijk, dan verandert alleen het register "
                                                     "van die wijk; de andere wijken blijven zoals ze zijn."))

    def __init__(self, *args, gemeente, **kwargs):
        super().__init__(*args, **kwargs)
        self.wijken = {w.code: w for w in Wijk.objects.filter(gemeente=gemeente).order_by("code")}
        self.fields["scope"].choices = [("", _("de hele gemeente"))] + [
            (code, _("alleen wijk %(wijk)s") % {"wijk": wijk.display_name}) for code, wijk in self.wijken.items()]

    def clean_scope(self):
        return self.wijken.get(self.cleaned_data.get("scope") or "")


class RoundForm(UtrechtFormMixin, forms.Form):
    wijk = forms.ModelChoiceField(label=gettext_lazy("Wijk"), queryset=Wijk.objects.none())
    year = forms.IntegerField(label=gettext_lazy("Jaar"), min_value=2000, max_value=2100)
    starts_on = forms.DateField(label=gettext_lazy("Begint op"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=gettext_lazy("Eindigt op"), widget=forms.DateInput(attrs={"type": "date"}),
                              help_text=gettext_lazy("Een bezoek dat na deze datum nog open staat, is te laat."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        wijken = policy.visible(user, Wijk)
        if policy.scope(user) != "gemeente":
            wijken = wijken.filter(pk__in=user.wijken.all())
        self.fields["wijk"].queryset = wijken


class CapacityForm(UtrechtFormMixin, forms.Form):
    volunteer = forms.IntegerField(widget=forms.HiddenInput)
    visits_per_round = forms.IntegerField(label=gettext_lazy("Bezoeken per ronde"), min_value=0, max_value=200)


# The six items of the short De Jong Gierveld scale (numbered as in the 11-item scale); the statements
# and answers are shared with the public self-check.
class ReportForm(UtrechtFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Hoe ging het?"), widget=forms.RadioSelect,
        choices=[(VisitStatus.VISITED, gettext_lazy("Bezocht")), (VisitStatus.NOT_HOME, gettext_lazy("Niet thuis")),
                 (VisitStatus.DECLINED, gettext_lazy("Wil geen bezoek"))],
        error_messages={"required": gettext_lazy("Kies hoe het bezoek ging.")})
    wishes = forms.CharField(label=gettext_lazy("Wat zou de inwoner graag willen?"), required=False,
                             max_length=MAX_WISHES, widget=forms.Textarea(attrs={"rows": 3}))
    wants_contact = forms.ChoiceField(
        label=gettext_lazy("Wil de inwoner contact met sociaal werk?"), widget=forms.RadioSelect, required=False,
        choices=[("ja", gettext_lazy("Ja, geef een signaal door")), ("nee", gettext_lazy("Nee"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item, question in DJG6_QUESTIONS.items():
            self.fields[f"djg_{item}"] = forms.ChoiceField(label=question, choices=ANSWER_CHOICES, required=False,
                                                           widget=forms.RadioSelect)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = RADIO_CSS
        self.fields["wishes"].widget.attrs["class"] = "utrecht-textarea utrecht-textarea--html-textarea"

    def djg_fields(self):
        return [self[f"djg_{item}"] for item in DJG6_QUESTIONS]


class RoundVisitFilterForm(UtrechtFormMixin, forms.Form):
    """Search, filter and sort the visits of a round (GET)."""

    is_search = True  # every field is optional: no "(niet verplicht)" on each label

    q = forms.CharField(label=gettext_lazy("Zoeken op naam of postcode"), required=False, max_length=100)
    status = forms.ChoiceField(label=gettext_lazy("Stand"), required=False)
    volunteer = forms.ChoiceField(label=gettext_lazy("Vrijwilliger"), required=False)
    sort = forms.ChoiceField(label=gettext_lazy("Volgorde"), required=False,
                             choices=[("", gettext_lazy("adres")), ("naam", gettext_lazy("naam")),
                                      ("stand", gettext_lazy("stand")), ("vrijwilliger", gettext_lazy("vrijwilliger"))])

    def __init__(self, *args, volunteers=(), **kwargs):
        from samen.core.accesslog import person_name

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("alle")), *VisitStatus.choices]
        self.fields["volunteer"].choices = [("", _("alle")), ("geen", _("nog zonder vrijwilliger"))] + [
            (str(v.pk), person_name(v)) for v in volunteers]
