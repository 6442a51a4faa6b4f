"""The care network (zorgnetwerk) of each wijk, the city-wide netwerkgroep, who takes part in them,
and their meetings with decisions and action points.

The city-wide *netwerkgroep Samen is leuker* is a ``Zorgnetwerk`` of kind ``stad`` without a wijk; a
wijk network (kind ``wijk``) always has one (a check constraint). Code that follows ``network.wijk``
(routing a signal to its wijk's network) only ever meets wijk networks."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samen.core.models import Gemeente, Organisation, User, Wijk


class Zorgnetwerk(models.Model):
    class Status(models.TextChoices):
        ACTIEF = "actief", _("actief")
        IN_OPBOUW = "in_opbouw", _("in opbouw")

    class Kind(models.TextChoices):
        WIJK = "wijk", _("zorgnetwerk van een wijk")
        STAD = "stad", _("netwerkgroep voor de hele stad")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="zorgnetwerken")
    kind = models.CharField(_("soort netwerk"), max_length=4, choices=Kind.choices, default=Kind.WIJK)
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, related_name="zorgnetwerken", null=True, blank=True)
    name = models.CharField(_("naam"), max_length=150)
    status = models.CharField(_("stand"), max_length=12, choices=Status.choices, default=Status.ACTIEF)
    description = models.TextField(_("omschrijving"), blank=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("zorgnetwerk")
        verbose_name_plural = _("zorgnetwerken")
        ordering = ["wijk__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["wijk", "name"], name="zorgnetwerk_unique_name"),
            models.UniqueConstraint(fields=["gemeente", "name"], condition=Q(wijk__isnull=True),
                                    name="zorgnetwerk_unique_city_name"),
            models.CheckConstraint(condition=(Q(kind="wijk") & Q(wijk__isnull=False)) | (Q(kind="stad") & Q(
                wijk__isnull=True)), name="zorgnetwerk_wijk_for_kind"),
        ]

    def __str__(self):
        return self.name

    def core_organisations(self) -> list[str]:
        """Names of the core (kern) members, from prefetched members where available."""
        return [m.organisation.name for m in self.members.all() if m.part == ZorgnetwerkMember.Part.KERN]

    def clean(self):
        if self.wijk_id and self.gemeente_id and self.wijk.gemeente_id != self.gemeente_id:
            raise ValidationError({"wijk": _("Deze wijk hoort bij een andere gemeente.")})
        if self.kind == self.Kind.WIJK and not self.wijk_id:
            raise ValidationError({"wijk": _("Een zorgnetwerk van een wijk heeft een wijk.")})
        if self.kind == self.Kind.STAD and self.wijk_id:
            raise ValidationError({"wijk": _("De netwerkgroep voor de hele stad hoort niet bij één wijk.")})

    @property
    def is_city_wide(self) -> bool:
        return self.kind == self.Kind.STAD

class ZorgnetwerkMember(models.Model):
    """An organisation in a network, and where known the person (a user) who represents it."""

    class Part(models.TextChoices):
        KERN = "kern", _("kern")
        DEELNEMER = "deelnemer", _("deelnemer")
        AANGEHAAKT = "aangehaakt", _("aangehaakt")

    network = models.ForeignKey(Zorgnetwerk, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="network_memberships")
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="network_memberships")
    function = models.CharField(_("functie in het netwerk"), max_length=100, blank=True)
    part = models.CharField(_("rol in het netwerk"), max_length=12, choices=Part.choices, default=Part.DEELNEMER)
    gemeente_path = "network__gemeente"

    class Meta:
        verbose_name = _("deelnemer zorgnetwerk")
        verbose_name_plural = _("deelnemers zorgnetwerk")
        ordering = ["network", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["network", "organisation", "function"],
                                               name="zorgnetwerkmember_unique")]

    def __str__(self):
        return f"{self.organisation} ({self.function or self.get_part_display()})"


def _member_networks(user):
    return Zorgnetwerk.objects.filter(members__user=user)


class Meeting(models.Model):
    """A meeting of a network: date, place, agenda, who attended, minutes and decisions. Other building
    blocks add to its page (``registry.meeting_section``: the casusoverleg of a wijk network)."""

    network = models.ForeignKey(Zorgnetwerk, on_delete=models.CASCADE, related_name="meetings",
                                verbose_name=_("netwerk"))
    date = models.DateField(_("datum"))
    place = models.CharField(_("plaats"), max_length=200)
    agenda = models.TextField(_("agenda"), max_length=5000, blank=True)
    attendees = models.ManyToManyField(ZorgnetwerkMember, blank=True, related_name="meetings_attended",
                                       verbose_name=_("aanwezig"))
    minutes = models.TextField(_("verslag"), max_length=20000, blank=True)
    decisions = models.TextField(_("besluiten"), max_length=5000, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    gemeente_path = "network__gemeente"

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["-date", "network__name"]

    def __str__(self):
        return f"{self.network} {self.date:%d-%m-%Y}"

    @classmethod
    def visible_to(cls, user, queryset):
        """Who runs the agenda sees every meeting; a network's members only their own networks' meetings."""
        from samen.core import policy

        if policy.can(user, "meeting.manage"):
            return queryset
        return queryset.filter(network__in=_member_networks(user))


class ActionPoint(models.Model):
    """An action point of a meeting: what, who (a user: it shows on their home page), when, done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_points",
                                verbose_name=_("bijeenkomst"))
    title = models.CharField(_("actiepunt"), max_length=300)
    owner = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_points",
                              verbose_name=_("eigenaar"))
    due_on = models.DateField(_("uiterlijk op"))
    done_on = models.DateField(_("afgerond op"), null=True, blank=True)
    gemeente_path = "meeting__network__gemeente"

    class Meta:
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")
        ordering = ["done_on", "due_on", "pk"]

    def __str__(self):
        return self.title

    @classmethod
    def visible_to(cls, user, queryset):
        from samen.core import policy

        if policy.can(user, "meeting.manage"):
            return queryset
        return queryset.filter(Q(meeting__network__in=_member_networks(user)) | Q(owner=user)).distinct()
