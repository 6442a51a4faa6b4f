"""The five pillars of the national benchmark (Eén tegen eenzaamheid) with the questions of Samen's
self-assessment, and the national shares of the 2024 benchmark.

Source: Kamerbrief voortgang Eén tegen eenzaamheid (seed 004), "Hieronder staan per pijler de resultaten
van 2024": 157 participating gemeenten. Kept as data here, never in templates."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

BENCHMARK_YEAR = 2024
BENCHMARK_GEMEENTEN = 157
SOURCE = _("Benchmark Eén tegen eenzaamheid 2024 (157 gemeenten), uit de Kamerbrief over de voortgang "
           "van het actieprogramma")


@dataclass(frozen=True)
class Question:
    key: str
    pillar: str
    text: object
    national_share: float | None  # the share of gemeenten answering yes in the benchmark, where published
    national_text: object = ""


PILLARS = {
    "commitment": _("Bestuurlijk commitment"),
    "network": _("Een sterk netwerk"),
    "involve": _("Mensen met gevoelens van eenzaamheid zelf betrekken"),
    "durable": _("Een duurzame aanpak"),
    "monitoring": _("Monitoren en evalueren"),
}

QUESTIONS = (
    Question("wethouder", "commitment", _("De wethouder zet zich actief in om eenzaamheid te verminderen en te "
                                          "voorkomen."), 0.37, _("wethouder actief betrokken")),
    Question("structural_budget", "commitment", _("Er is een structureel budget voor de aanpak van eenzaamheid."),
             0.24, _("structureel budget")),
    Question("coalition", "network", _("Er is een lokale coalitie of een netwerk voor de aanpak van eenzaamheid."),
             0.81, _("lokale coalitie")),
    Question("involve_lonely", "involve", _("Mensen met gevoelens van eenzaamheid worden betrokken bij het beleid."),
             0.55, _("eenzame mensen betrokken")),
    Question("best_practices", "durable", _("De aanpak maakt gebruik van best practices."), 0.91,
             _("gebruikt best practices")),
    Question("monitor_evaluate", "monitoring", _("De aanpak wordt gemonitord en geëvalueerd."), 0.70,
             _("monitort en evalueert")),
)
QUESTION_KEYS = tuple(q.key for q in QUESTIONS)
