"""The yearly progress report to the council: the text parts the beleidsadviseur writes, and its frozen
versions, kept unchanged (the rendered HTML, the PDF and the figures as they were)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.models import Gemeente, User
from samen.samenwerken.models.agenda import AppendOnly


class CouncilReport(models.Model):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="council_reports")
    year = models.PositiveIntegerField(_("jaar"))
    onderwerp = models.CharField(_("onderwerp"), max_length=300)
    kernboodschap = models.TextField(_("kernboodschap"), max_length=5000, blank=True)
    aanleiding = models.TextField(_("aanleiding"), max_length=5000, blank=True)
    consequenties = models.TextField(_("consequenties"), max_length=5000, blank=True)
    vervolgtraject = models.TextField(_("vervolgtraject"), max_length=5000, blank=True)
    priorities = models.TextField(_("prioriteiten voor volgend jaar"), max_length=5000, blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("voortgangsrapportage")
        verbose_name_plural = _("voortgangsrapportages")
        ordering = ["gemeente", "-year"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "year"], name="councilreport_unique")]

    def __str__(self):
        return self.onderwerp


class ReportVersion(models.Model):
    report = models.ForeignKey(CouncilReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    html = models.TextField()
    pdf = models.BinaryField()
    figures = models.JSONField(default=dict)
    frozen_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    frozen_at = models.DateTimeField(_("vastgesteld op"), auto_now_add=True)
    gemeente_path = "report__gemeente"

    class Meta:
        verbose_name = _("vastgestelde versie")
        verbose_name_plural = _("vastgestelde versies")
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique")]

    def __str__(self):
        return f"{self.report} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("A frozen report version is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("A frozen report version is never deleted.")
