"""``core.widgets.FormRenderer`` writes inputs, text areas and single options in Python; its HTML is what
Django's own widget templates write, for any value, name and attributes (property tests), and whatever it
does not write itself it leaves to those templates."""

from __future__ import annotations

import datetime

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from samen.core import widgets
from samen.core.widgets import FormRenderer

text = st.text(alphabet=st.sampled_from(list("abZ 09&<>\"'éß-\n")), max_size=6)
attrs = st.dictionaries(st.sampled_from(["class", "aria-describedby", "required", "disabled", "data-x", "id",
                                         "maxlength", "placeholder"]),
                        st.one_of(text, st.booleans(), st.integers(-5, 500), text.map(mark_safe)), max_size=4)
values = st.one_of(st.none(), text, st.integers(-5, 500), st.dates(datetime.date(1900, 1, 1)), st.booleans())
WIDGETS = [forms.TextInput, forms.EmailInput, forms.NumberInput, forms.DateInput, forms.PasswordInput,
           forms.HiddenInput, forms.URLInput, forms.CheckboxInput, forms.Textarea, forms.TimeInput,
           forms.DateTimeInput]
FAST, DJANGO = FormRenderer(), DjangoTemplates()


@settings(max_examples=150, deadline=None)
@given(widget=st.sampled_from(WIDGETS), value=values, attrs=attrs, name=text)
def test_a_widget_is_written_as_djangos_template_writes_it(widget, value, attrs, name):
    w = widget(attrs=attrs)
    assert w.render(name, value, {"id": "id_x"}, renderer=FAST) == w.render(name, value, {"id": "id_x"},
                                                                          renderer=DJANGO)


@settings(max_examples=80, deadline=None)
@given(widget=st.sampled_from([forms.RadioSelect, forms.CheckboxSelectMultiple]),
       choices=st.lists(st.tuples(text, text), max_size=4), value=st.one_of(text, st.lists(text, max_size=2)),
       attrs=attrs, name=text)
def test_an_option_of_a_group_is_written_as_djangos_template_writes_it(widget, choices, value, attrs, name):
    w = widget(attrs=attrs, choices=choices)
    for option in w.subwidgets(name, value, {"id": "id_x"}):
        for wrap_label in (False, True):
            context = {"widget": {**option, "wrap_label": wrap_label}}
            assert FAST.render(option["template_name"], context) == DJANGO.render(option["template_name"], context)
    # The whole group (radio.html, with its labels) goes through Django's templates, the same either way.
    assert w.render(name, value, renderer=FAST) == w.render(name, value, renderer=DJANGO)


def test_it_is_the_projects_form_renderer_and_a_form_renders_the_same():
    class Form(forms.Form):
        name = forms.CharField(max_length=20, help_text="<b>kort</b>")
        note = forms.CharField(widget=forms.Textarea, required=False)
        day = forms.DateField()
        kind = forms.ChoiceField(choices=[("a", "A&B"), ("b", "<b>")], widget=forms.RadioSelect)
        ok = forms.BooleanField(required=False)

    assert isinstance(forms.Form().renderer or forms.forms.get_default_renderer(), FormRenderer)
    data = {"name": "Jan <script>", "note": "regel 1\n<regel 2>", "day": "2026-13-01", "kind": "b", "ok": "on"}
    fast, django = Form(data, renderer=FAST), Form(data, renderer=DJANGO, error_class=ErrorList)
    assert not fast.is_valid() and not django.is_valid()
    for name in Form.base_fields:
        assert str(fast[name]) == str(django[name])
        for option in fast[name].subwidgets if name == "kind" else ():
            assert option.tag() == next(o for o in django[name].subwidgets if o.data == option.data).tag()


def test_what_it_does_not_write_itself_goes_to_the_template():
    select = forms.Select(choices=[("1", "een")])
    assert select.render("x", "1", renderer=FAST) == select.render("x", "1", renderer=DJANGO)
    assert "django/forms/widgets/select.html" not in widgets.INPUTS | widgets.OPTIONS


def test_the_plain_widgets_do_not_go_through_a_template(monkeypatch):
    def refuse(self, template_name, context, request=None):
        raise AssertionError(f"rendered through {template_name}")

    monkeypatch.setattr(DjangoTemplates, "render", refuse)
    assert FAST.render("django/forms/widgets/text.html", {"widget": forms.TextInput().get_context(
        "x", "y", {})["widget"]}).startswith('<input type="text" name="x" value="y"')
    radio = forms.RadioSelect(choices=[("a", "A")])
    option = next(iter(radio.subwidgets("x", "a", {"id": "id_x"})))
    assert FAST.render(option["template_name"], {"widget": {**option, "wrap_label": False}}) == \
        '<input type="radio" name="x" value="a" id="id_x_0" checked>'
    assert forms.Textarea().render("x", "a", renderer=FAST).startswith("<textarea")
