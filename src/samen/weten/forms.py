from django import forms
from django.utils.translation import gettext_lazy as _

from samen.core.forms import UploadField, UtrechtFormMixin
from samen.weten.models import Source, Target


class SurveyImportForm(UtrechtFormMixin, forms.Form):
    source = forms.ChoiceField(label=_("Bron"), choices=Source.choices)
    year = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2100)
    file = UploadField(label=_("Bestand met microdata"),
                       help_text=_("CSV, Excel (.xlsx) of SPSS (.sav)."))
    mapping = UploadField(label=_("Koppelbestand (YAML)"),
                          help_text=_("Welke kolommen en codes van de bron bij welke variabelen horen."))


class TargetForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "wijk", "source", "baseline_year", "target_value", "direction", "target_year",
                  "description"]
        widgets = {"target_value": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"})}

    def __init__(self, *args, gemeente, **kwargs):
        super().__init__(*args, **kwargs)
        self.gemeente = gemeente
        self.fields["wijk"].queryset = self.fields["wijk"].queryset.filter(gemeente=gemeente)
        self.fields["wijk"].empty_label = _("heel de gemeente")
        self.fields["target_value"].help_text = _("Als fractie: 0,40 is 40%.")

    def clean(self):
        data = super().clean()
        if data.get("baseline_year") and data.get("target_year") and data["target_year"] < data["baseline_year"]:
            self.add_error("target_year", _("Het streefjaar ligt vóór de nulmeting."))
        # The database cannot see two whole-municipality targets as duplicates (NULL wijk): check here.
        same = Target.objects.filter(gemeente=self.gemeente, indicator=data.get("indicator"), wijk=data.get("wijk"),
                                     source=data.get("source")).exclude(pk=self.instance.pk)
        if same.exists():
            self.add_error("indicator", _("Voor deze indicator, wijk en bron is al een doel vastgelegd."))
        return data
