"""Template context: the navigation a user's role gives access to."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samen.core import policy

# (capability, url name, label): shown when the user holds the capability.
NAVIGATION = (
    (None, "core:home", _("Mijn overzicht")),
    ("signal.view", "vinden:signal_list", _("Signalen")),
    ("signal.central_queue", "vinden:central_queue", _("Centrale wachtrij")),
    ("signal.report", "vinden:my_reports", _("Mijn meldingen")),
    ("signal.stats", "vinden:signal_stats", _("Signalen in cijfers")),
    ("visit.report", "vinden:volunteer_intake", _("Zorg melden")),
    ("visit.report", "visits:visit_list", _("Huisbezoeken")),
    ("visit.import", "visits:register_import", _("Register 75+")),
    ("visit.manage", "visits:round_list", _("Bezoekrondes")),
    ("visit.stats", "visits:coverage", _("Huisbezoeken per wijk")),
    ("resident.view", "core:resident_list", _("Inwoners")),
    ("monitor.view", "weten:dashboard", _("Monitor")),
    ("catalogue.view", "kwaliteit:activity_list", _("Activiteiten")),
    ("catalogue.review", "kwaliteit:review_queue", _("Beoordelen")),
    ("catalogue.view", "kwaliteit:intervention_list", _("Interventies")),
    ("themeweek.change", "kwaliteit:themeweek_list", _("Themaweken")),
    ("catalogue.import", "kwaliteit:import", _("Activiteiten inlezen")),
    ("geography.view", "core:wijk_list", _("Wijken")),
    ("zorgnetwerk.view", "samenwerken:network_list", _("Zorgnetwerken")),
    ("organisation.view", "core:organisation_list", _("Organisaties")),
    ("accesslog.view", "core:accesslog", _("Toegangslog")),
    ("monitor.import", "weten:waves", _("Metingen")),
    ("monitor.change", "weten:targets", _("Doelen")),
    ("postcode.import", "core:postcode_import", _("Postcodes")),
    ("user.manage", "core:user_list", _("Gebruikers")),
    ("gemeente.change", "core:gemeente_settings", _("Instellingen")),
)


# The public site's menu, for visitors who are not logged in.
PUBLIC_NAVIGATION = (
    ("informeren:index", _("Start")),
    ("informeren:finder", _("Activiteiten")),
    ("informeren:theme_week", _("Samen-week")),
    ("informeren:selfcheck", _("Hoe gaat het met u?")),
    ("informeren:approach", _("Zo werkt het")),
)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return {"navigation": [{"url": reverse(name), "label": label, "current": request.path == reverse(name)}
                               for name, label in PUBLIC_NAVIGATION]}
    if not policy.is_fully_authenticated(user):
        return {"navigation": []}
    capabilities = policy.capabilities_of(user)
    items = [
        {"url": reverse(name), "label": label, "current": request.path == reverse(name)}
        for capability, name, label in NAVIGATION
        if capability is None or capability in capabilities
    ]
    return {"navigation": items}
