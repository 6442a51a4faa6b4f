"""What the core itself registers: its capabilities, models, menu groups "Algemeen" and "Beheer",
its home panels and its permission-matrix samples. The building blocks register theirs in their
own ``blocks.py`` (see ``samen.core.registry``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.core import policy, registry
from samen.core.roles import Role

R = Role
_STAFF_READ = (R.BELEIDSADVISEUR, R.REGISSEUR, R.SOCIAAL_WERKER, R.PARTNER, R.BEHEERDER)

for name, roles, personal in (
    ("resident.view", (R.REGISSEUR, R.SOCIAAL_WERKER, R.PARTNER), True),
    ("resident.create", (R.REGISSEUR, R.SOCIAAL_WERKER), True),
    ("resident.change", (R.REGISSEUR, R.SOCIAAL_WERKER), True),
    ("resident.delete", (R.REGISSEUR,), True),
    ("resident.export", (R.REGISSEUR,), True),
    ("accesslog.view", (R.REGISSEUR, R.BEHEERDER), True),
    ("geography.view", (*_STAFF_READ, R.VRIJWILLIGER, R.AANBIEDER), False),
    ("geography.change", (R.BEHEERDER,), False),
    ("organisation.view", (*_STAFF_READ, R.AANBIEDER), False),
    ("organisation.change", (R.BEHEERDER,), False),
    ("user.view", (R.BEHEERDER,), False),
    ("user.manage", (R.BEHEERDER,), False),
    ("postcode.import", (R.BEHEERDER,), False),
    ("gemeente.change", (R.BEHEERDER,), False),
    # Not a permission but a rule of the account: these roles work in a wijk, so an account needs one.
    ("wijk.member", (R.PARTNER, R.VRIJWILLIGER), False),
):
    registry.capability(name, roles, personal_data=personal, app="core")

for label, capability in (("core.gemeente", "geography.view"), ("core.wijk", "geography.view"),
                          ("core.buurt", "geography.view"), ("core.postcoderange", "geography.view"),
                          ("core.organisation", "organisation.view"), ("core.user", "user.view"),
                          ("core.accesslogentry", "accesslog.view")):
    registry.model(label, capability)
registry.model("core.resident", "resident.view", policy.scope_residents)

# The municipality's statements, linked from every page's footer, need no login.
registry.public_page("core:privacy")
registry.public_page("core:accessibility")
for _name in ("password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"):
    registry.public_page(f"core:{_name}")

registry.menu_group("algemeen", _("Algemeen"), order=0)
registry.menu_group("beheer", _("Beheer"), order=90)
for group, url_name, label, capability in (
    ("algemeen", "core:home", _("Mijn overzicht"), None),
    ("algemeen", "core:resident_list", _("Inwoners"), "resident.view"),
    ("algemeen", "core:wijk_list", _("Wijken"), "geography.view"),
    ("algemeen", "core:organisation_list", _("Organisaties"), "organisation.view"),
    ("beheer", "core:accesslog", _("Toegangslog"), "accesslog.view"),
    ("beheer", "core:postcode_import", _("Postcodes"), "postcode.import"),
    ("beheer", "core:user_list", _("Gebruikers"), "user.manage"),
    ("beheer", "core:gemeente_settings", _("Instellingen"), "gemeente.change"),
):
    registry.menu_entry(group, url_name, label, capability)


def _residents_panel(user):
    from samen.core.models import Resident

    return {"count": policy.visible(user, Resident).count()}


def _wijken_panel(user):
    from samen.core.models import Wijk

    count = policy.visible(user, Wijk).count()
    return {"count": count} if count else None


def _accesslog_panel(user):
    from samen.core.models import AccessLogEntry

    return {"count": policy.visible(user, AccessLogEntry).filter(at__date=timezone.localdate()).count()}


registry.home_panel("core.residents", "core/panels/residents.html", _residents_panel, "resident.view", order=30)
registry.home_panel("core.wijken", "core/panels/wijken.html", _wijken_panel, "geography.view", order=50)
registry.home_panel("core.accesslog", "core/panels/accesslog.html", _accesslog_panel, "accesslog.view", order=60)


def _a_resident(gemeente):
    from samen.core.models import Resident

    return Resident.objects.filter(gemeente=gemeente, buurt__wijk__code="WK040207").order_by("pk").first().pk


def _an_organisation(gemeente):
    from samen.core.models import Organisation

    return Organisation.objects.get(gemeente=gemeente, name="Versa Welzijn").pk


def _an_access_log_entry(gemeente):
    from samen.core.models import AccessLogEntry, User

    return AccessLogEntry.objects.create(
        gemeente=gemeente, actor=User.objects.get(username="regisseur"), actor_label="regisseur",
        action="view", record_type="core.resident", record_id=str(_a_resident(gemeente)), purpose="regie").pk


def _a_user(gemeente):
    from samen.core.models import User

    return User.objects.get(username="vrijwilliger").pk


registry.matrix_sample("resident", _a_resident)
registry.matrix_sample("organisation", _an_organisation)
registry.matrix_sample("accesslog", _an_access_log_entry)
registry.matrix_sample("user", _a_user)

registry.url_include("core", "", "samen.core.urls", order=10)
