from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from samen.core.models import AccessAction, Gemeente, Organisation, Purpose, Resident, Wijk
from samen.core.roles import Role
from samen.core.validators import split_house_number, validate_dutch_phone
from samen.core.widgets import attributes

# The Utrecht design system's classes for a radio input (forms with radio choices, staff and public).
RADIO_CSS = "utrecht-radio-button utrecht-radio-button--html-input"


def widget_css(widget: forms.Widget) -> str:
    """The NL Design System (Utrecht) classes for a widget: select boxes look like select boxes, text areas
    like text areas, and checkboxes and radio buttons like theirs."""
    if isinstance(widget, forms.RadioSelect):
        return RADIO_CSS
    if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
        return "utrecht-checkbox utrecht-checkbox--html-input"
    if isinstance(widget, forms.Select):
        return "utrecht-select utrecht-select--html-select"
    if isinstance(widget, forms.FileInput):
        return "utrecht-file-input"
    if isinstance(widget, forms.Textarea):
        return "utrecht-textarea utrecht-textarea--html-textarea"
    return "utrecht-textbox utrecht-textbox--html-input"


class Select(forms.Select):
    """A select box written out in Python, the same HTML as Django's ``select.html``: Django renders every
    option through a template of its own (about 0.15 ms an option), so a list of thirty social workers cost
    several milliseconds of a page (the trajectory page's reassignment). Used where the choices are many."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            parts += [f'\n  <option value="{conditional_escape(str(option["value"]))}"{attributes(option["attrs"])}>'
                      f'{conditional_escape(option["label"])}</option>\n' for option in options]
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


class _ListedChoices(forms.models.ModelChoiceIterator):
    """The choices read with the queryset itself (one ordinary query, then its result cache), not with
    Django's ``queryset.iterator()``, which on PostgreSQL opens a server-side cursor: three round trips
    (DECLARE, FETCH, CLOSE) for a list of a few dozen."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for short lists (the workers of a team): choices without a server-side cursor."""

    iterator = _ListedChoices


def style_field(bound: forms.BoundField) -> forms.BoundField:
    """Gives a field's widget its Utrecht classes and points ``aria-describedby`` at the help text and
    error messages that ``core/_field.html`` draws (ids ``<auto_id>_help`` and ``<auto_id>_error``).
    A group of radio buttons or checkboxes is described on its fieldset, not on every input."""
    widget = bound.field.widget
    widget.attrs.setdefault("class", widget_css(widget))
    # The errors as far as the form was validated (bound.errors would validate a form the view has not yet).
    errors = (bound.form._errors or {}).get(bound.name) if bound.form.is_bound else None
    widget.attrs.pop("aria-describedby", None)
    if not bound.auto_id or bound.use_fieldset:
        return bound
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}_help")
    if errors:
        described.append(f"{bound.auto_id}_error")
        widget.attrs["aria-invalid"] = "true"
    if described:  # with a help text always set, so Django does not add its "<id>_helptext", which no template draws
        widget.attrs["aria-describedby"] = " ".join(described)
    return bound


class UtrechtFormMixin:
    """Every field rendered with the NL Design System classes and with its help and errors linked for
    screen readers (``style_field``), also fields a form adds after its ``__init__``."""

    def __getitem__(self, name):
        return style_field(super().__getitem__(name))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput) and widget.input_type == "date" or \
                    widget.attrs.get("type") == "date":
                widget.format = "%Y-%m-%d"  # what <input type="date"> shows; a Dutch 01-03-2026 it leaves empty


class LoginForm(UtrechtFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Deze combinatie van gebruikersnaam en wachtwoord kennen we niet. "
                           "Na herhaalde pogingen wordt het account tijdelijk geblokkeerd."),
        "inactive": _("Dit account is niet actief."),
    }


class TokenForm(UtrechtFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code uit uw authenticator-app"), min_length=6, max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9]*", "autofocus": True}),
    )


class ResidentForm(UtrechtFormMixin, forms.Form):
    """Parses the fields; core.services.residents validates the address and stores."""

    name = forms.CharField(label=_("Naam of initialen"), max_length=150, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=8,
                               widget=forms.TextInput(attrs={"autocomplete": "off"}))
    house_number = forms.CharField(label=_("Huisnummer"), max_length=16, required=False,
                                   help_text=_("Met toevoeging mag: 12a, 12-2 of 12 bis."))
    house_number_addition = forms.CharField(label=_("Toevoeging"), max_length=10, required=False)

    def clean_house_number(self):
        """'12a' -> 12 (and the addition 'A', unless one is given in its own field)."""
        number, addition = split_house_number(self.cleaned_data.get("house_number"))
        self._addition = addition
        return number

    def clean(self):
        data = super().clean()
        if getattr(self, "_addition", "") and not data.get("house_number_addition"):
            data["house_number_addition"] = self._addition
        return data
    birth_year = forms.IntegerField(label=_("Geboortejaar"), min_value=1900, max_value=2100, required=False)
    phone = forms.CharField(label=_("Telefoon"), max_length=30, required=False, validators=[validate_dutch_phone])
    email = forms.EmailField(label=_("E-mail"), required=False)

    @classmethod
    def for_resident(cls, resident: Resident) -> "ResidentForm":
        return cls(initial={name: getattr(resident, name) for name in cls.base_fields})


class AccessLogFilterForm(UtrechtFormMixin, forms.Form):
    is_search = True  # every field is optional: no "(niet verplicht)" on each label
    actor = forms.CharField(label=_("Wie (naam of gebruikersnaam)"), required=False)
    record_id = forms.CharField(label=_("Nummer van het gegeven"), required=False,
                                help_text=_("Bijvoorbeeld 28 voor inwoner #28."))
    action = forms.ChoiceField(label=_("Handeling"), required=False,
                               choices=[("", _("alle"))] + list(AccessAction.choices))
    purpose = forms.ChoiceField(label=_("Doel"), required=False, choices=[("", _("alle"))] + list(Purpose.choices))
    sort = forms.ChoiceField(label=_("Volgorde"), required=False,
                             choices=[("", _("nieuwste eerst")), ("oudste", _("oudste eerst"))])
    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ResidentFilterForm(UtrechtFormMixin, forms.Form):
    """Search and sort the residents list (GET)."""

    is_search = True  # every field is optional: no "(niet verplicht)" on each label

    SORT = {"": ("name", "pk"), "postcode": ("postcode", "house_number", "pk"), "nieuwste": ("-created_at", "-pk")}

    q = forms.CharField(label=_("Zoeken op naam of postcode"), required=False, max_length=100)
    wijk = forms.ChoiceField(label=_("Wijk"), required=False)
    sort = forms.ChoiceField(label=_("Volgorde"), required=False,
                             choices=[("", _("naam")), ("postcode", _("adres")), ("nieuwste", _("nieuwste eerst"))])

    def __init__(self, *args, wijken=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijk"].choices = [("", _("alle"))] + [(w.code, w.display_name) for w in wijken]


class UploadField(forms.FileField):
    """A file upload within the size limit of every upload (core.tabular.max_upload_bytes)."""

    def clean(self, *args, **kwargs):
        from django.utils.translation import gettext

        from samen.core import tabular

        upload = super().clean(*args, **kwargs)
        if upload and upload.size > tabular.max_upload_bytes():
            raise forms.ValidationError(gettext("Het bestand is groter dan %(mb)s MB; splits het of laat overbodige "
                                                "kolommen weg.") % {"mb": f"{tabular.max_upload_bytes() / 2**20:g}"})
        return upload


class PostcodeImportForm(UtrechtFormMixin, forms.Form):
    file = UploadField(label=_("CSV- of Excel-bestand"),
                           help_text=_("Kolommen: postcode, huisnummer_van, huisnummer_tot, buurtcode; "
                                       "optioneel pariteit (alle/even/oneven) en straat."))


class UserForm(UtrechtFormMixin, forms.Form):
    """A user account; organisation and wijken are limited to the beheerder's municipality."""

    username = forms.RegexField(label=_("Gebruikersnaam"), max_length=150, regex=r"^[\w.@+-]+$",
                                error_messages={"invalid": _("Alleen letters, cijfers en . @ + - _")})
    first_name = forms.CharField(label=_("Voornaam"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
    organisation = forms.ModelChoiceField(label=_("Organisatie"), queryset=Organisation.objects.none(),
                                          required=False)
    function = forms.CharField(label=_("Functie"), max_length=100, required=False)
    wijken = forms.ModelMultipleChoiceField(label=_("Wijken"), queryset=Wijk.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple,
                                            help_text=_("De wijken waarin een sociaal werker, partner of "
                                                        "vrijwilliger werkt."))
    is_active = forms.BooleanField(label=_("Actief"), required=False, initial=True)

    def __init__(self, *args, gemeente, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(gemeente=gemeente)
        self.fields["wijken"].queryset = Wijk.objects.filter(gemeente=gemeente)
        self.fields["wijken"].widget.attrs["class"] = "utrecht-checkbox utrecht-checkbox--html-input"
        self.fields["is_active"].widget.attrs["class"] = "utrecht-checkbox utrecht-checkbox--html-input"
        if editing:
            self.fields["username"].disabled = True

    def clean(self):
        from django.utils.translation import gettext

        from samen.core import policy

        data = super().clean()
        role = data.get("role")
        if role in policy.roles_with("wijk.member") and not data.get("wijken") and "wijken" not in self.errors:
            self.add_error("wijken", gettext("Kies minstens één wijk: een %(role)s werkt in een wijk.")
                           % {"role": Role(role).label.lower()})
        return data


PUBLIC_SITE_FIELDS = ["logo_url", "contact_phone", "contact_hours", "contact_email", "contact_address",
                      "privacy_statement", "accessibility_status", "accessibility_scope", "accessibility_date",
                      "accessibility_notes"]


class GemeenteSettingsForm(UtrechtFormMixin, forms.ModelForm):
    """The municipality's own settings; the model's limits are the form's (core.services.gemeente saves)."""

    logo_url = forms.URLField(label=_("Adres van het logo"), required=False, assume_scheme="https",
                              help_text=Gemeente._meta.get_field("logo_url").help_text)

    class Meta:
        model = Gemeente
        fields = ["min_cell_size", "min_effective_n", "ci_method", "triage_working_days", "catalogue_stale_months",
                  "catalogue_hide_months", "province", "public_host", *PUBLIC_SITE_FIELDS]
        widgets = {"accessibility_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "contact_address": forms.Textarea(attrs={"rows": 3}),
                   "accessibility_scope": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "min_cell_size": _("Cijfers uit de enquête over minder respondenten worden nergens getoond. "
                               "Minstens 10."),
            "min_effective_n": _("Ook niet als de weging de cel minder waard maakt dan zoveel respondenten: "
                                 "het effectieve aantal (Σw)² / Σw² (Kish). Minstens 10."),
            "ci_method": _("Korn-Graubard houdt ook bij kleine aandelen en kleine cellen zijn 95%; Wald (p ± 1,96 × "
                           "se) is smaller maar dekt dan slecht. Grenzen liggen altijd tussen 0% en 100%."),
            "triage_working_days": _("Zoveel werkdagen heeft het zorgnetwerk om een nieuw signaal op te pakken. "
                                     "Geldt voor signalen die vanaf nu binnenkomen."),
            "catalogue_stale_months": _("Zo lang na de laatste bevestiging door de aanbieder is een activiteit "
                                        "verouderd: ze wordt gemarkeerd en de aanbieder krijgt een herinnering."),
            "catalogue_hide_months": _("Zo lang na de laatste bevestiging gaat een activiteit van de publieke "
                                       "site. Meer maanden dan bij 'verouderd na'."),
        }

    def _post_clean(self):
        """Checks are the service's (one place); the form only turns the text into numbers."""


class SamenPasswordChangeForm(UtrechtFormMixin, PasswordChangeForm):
    pass


class SamenPasswordResetForm(UtrechtFormMixin, PasswordResetForm):
    """"Wachtwoord vergeten": the e-mail goes through the outbox (core.outbox), never straight to the mail
    server; the view gives the same answer whether or not the address belongs to an account."""

    email = forms.EmailField(label=_("Uw e-mailadres"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        from django.template.loader import render_to_string

        from samen.core import outbox

        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        user = context["user"]
        outbox.enqueue(kind="core.password_reset", subject=subject, body=body, recipients=[user],
                       gemeente=user.gemeente_id, about=user)


class SamenSetPasswordForm(UtrechtFormMixin, SetPasswordForm):
    pass
