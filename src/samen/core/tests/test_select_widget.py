"""``core.forms.Select`` writes a select box in Python; its HTML is Django's own ``select.html``, for any
choices, groups, selection and attributes (a property test), so a form may use either."""

from __future__ import annotations

from django import forms
from hypothesis import given, settings
from hypothesis import strategies as st

from samen.core.forms import Select

text = st.text(alphabet=st.sampled_from(list("abZ 09&<>\"'éß-")), max_size=6)
choice = st.tuples(text, text)
choices = st.lists(st.one_of(choice, st.tuples(text, st.lists(choice, min_size=1, max_size=3))), max_size=6)
attrs = st.dictionaries(st.sampled_from(["class", "aria-describedby", "required", "disabled", "data-x"]),
                        st.one_of(text, st.booleans()), max_size=3)


@settings(max_examples=60, deadline=None)
@given(choices=choices, value=st.one_of(st.none(), text, st.lists(text, max_size=2)), attrs=attrs, name=text)
def test_the_python_select_writes_what_djangos_template_writes(choices, value, attrs, name):
    assert Select(attrs=attrs, choices=choices).render(name, value, {"id": "id_x"}) == \
        forms.Select(attrs=attrs, choices=choices).render(name, value, {"id": "id_x"})


def test_a_model_choice_field_renders_the_same():
    from samen.core.models import Wijk

    class Form(forms.Form):
        fast = forms.ModelChoiceField(queryset=Wijk.objects.none(), widget=Select, empty_label="Kies")
        slow = forms.ModelChoiceField(queryset=Wijk.objects.none(), empty_label="Kies")

    form = Form(initial={"fast": "", "slow": ""})
    assert str(form["fast"]).replace("fast", "x") == str(form["slow"]).replace("slow", "x")
    assert '<option value="" selected>Kies</option>' in str(form["fast"])
