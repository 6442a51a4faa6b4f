from django import forms
from django.utils.translation import gettext_lazy as _

from samen.core.forms import UtrechtFormMixin
from samen.weten.models import Source


class SurveyImportForm(UtrechtFormMixin, forms.Form):
    source = forms.ChoiceField(label=_("Bron"), choices=Source.choices)
    year = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_("Bestand met microdata"),
                           help_text=_("CSV (UTF-8), Excel (.xlsx) of SPSS (.sav)."))
    mapping = forms.FileField(label=_("Koppelbestand (YAML)"),
                              help_text=_("Welke kolommen en codes van de bron bij welke variabelen horen."))
