"""Find: early signals from every channel and the yearly 75+ home visits."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VindenConfig(AppConfig):
    name = "samen.vinden"
    label = "vinden"
    verbose_name = _("Vinden: signalen en huisbezoeken 75+")
