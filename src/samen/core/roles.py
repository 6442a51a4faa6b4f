"""The roles of Samen's users (see docs/glossary.md). What each role may do is in policy.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BELEIDSADVISEUR = "beleidsadviseur", _("Beleidsadviseur gemeente")
    REGISSEUR = "regisseur", _("Regisseur welzijn")
    SOCIAAL_WERKER = "sociaalwerker", _("Sociaal werker")
    PARTNER = "partner", _("Zorgnetwerk-partner")
    VRIJWILLIGER = "vrijwilliger", _("Vrijwilliger / buurtmaker")
    AANBIEDER = "aanbieder", _("Aanbieder van activiteiten")
    BEHEERDER = "beheerder", _("Beheerder")


ALL_ROLES = tuple(Role)
