"""Offer quality: the catalogue of activities and interventions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KwaliteitConfig(AppConfig):
    name = "samen.kwaliteit"
    label = "kwaliteit"
    verbose_name = _("Kwaliteit bieden: activiteiten en interventies")
