"""The yearly five-pillar self-assessment of a municipality (the questions are data:
``samenwerken.benchmark``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.models import Gemeente, User


class SelfAssessment(models.Model):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="self_assessments")
    year = models.PositiveIntegerField(_("jaar"))
    share_with_others = models.BooleanField(
        _("andere gemeenten in deze installatie mogen onze antwoorden zien"), default=False)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("zelfevaluatie")
        verbose_name_plural = _("zelfevaluaties")
        ordering = ["gemeente", "-year"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "year"], name="selfassessment_unique")]

    def __str__(self):
        return f"{self.gemeente} {self.year}"


class SelfAssessmentAnswer(models.Model):
    class Answer(models.TextChoices):
        JA = "ja", _("ja")
        DEELS = "deels", _("deels")
        NEE = "nee", _("nee")

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("vraag"), max_length=40)
    answer = models.CharField(_("antwoord"), max_length=5, choices=Answer.choices)
    note = models.TextField(_("toelichting"), max_length=2000, blank=True)
    evidence = models.TextField(_("onderbouwing uit Samen"), max_length=2000, blank=True)
    gemeente_path = "assessment__gemeente"

    class Meta:
        verbose_name = _("antwoord zelfevaluatie")
        verbose_name_plural = _("antwoorden zelfevaluatie")
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="selfassessmentanswer_unique")]

    def __str__(self):
        return f"{self.question}: {self.answer}"
