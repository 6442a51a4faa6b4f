"""The regisseur's review decision on a version."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen.core.forms import UtrechtFormMixin
from samen.kwaliteit.review import ReviewDecision


class ReviewForm(UtrechtFormMixin, forms.Form):
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
