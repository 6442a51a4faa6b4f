"""Campaign moments of *Samen is leuker!* (seed 003): posters, cards, videos on screens, pavement texts,
social media and press, with date, wijk, materials and reach; a moment may belong to an agenda action
(the publiekscampagne, the Week tegen Eenzaamheid)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.models import Gemeente, Wijk
from samen.samenwerken.models.agenda import Action


class CampaignMoment(models.Model):
    class Kind(models.TextChoices):
        POSTERS = "posters", _("campagneposters")
        CARDS = "kaarten", _("kaartenactie")
        VIDEO = "filmpjes", _("filmpjes op schermen")
        PAVEMENT = "stoepteksten", _("stoepteksten")
        SOCIAL = "social", _("social media")
        PRESS = "pers", _("pers en nieuwsberichten")
        EVENT = "bijeenkomst", _("activiteit of bijeenkomst")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="campaign_moments")
    action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="campaign",
                               verbose_name=_("actie"))
    date = models.DateField(_("datum"))
    kind = models.CharField(_("middel"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("omschrijving"), max_length=200)
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("wijk"))
    materials = models.CharField(_("materialen"), max_length=300, blank=True)
    reach = models.PositiveIntegerField(_("bereik"), null=True, blank=True)
    theme_week = models.BooleanField(_("in de Week tegen Eenzaamheid"), default=False)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("campagnemoment")
        verbose_name_plural = _("campagnemomenten")
        ordering = ["-date", "pk"]

    def __str__(self):
        return self.title
