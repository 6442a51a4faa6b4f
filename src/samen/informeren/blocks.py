"""What informeren brings to Samen (registered from ``InformerenConfig.ready()``): the public site's
pages (its menu and the start page a visitor's logo leads to) and its URLs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samen.core import registry

registry.public_page("informeren:*")  # the whole public site needs no login
registry.public_page("informeren:index", _("Start"), order=10, home=True)
registry.public_page("informeren:finder", _("Activiteiten"), order=20)
registry.public_page("informeren:theme_week", _("Samen-week"), order=30)
registry.public_page("informeren:selfcheck", _("Hoe gaat het met u?"), order=40)
registry.public_page("informeren:approach", _("Zo werkt het"), order=50)

# First: the public start page is the site's root.
registry.url_include("informeren", "", "samen.informeren.urls", order=0)
