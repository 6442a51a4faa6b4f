"""The wording of the 6-item De Jong Gierveld scale as residents read it: the same statements and
answers in the 75+ home-visit report (vinden) and the public self-check (informeren), scored by
``weten.scales.score_djg6``. Item numbers are those of the 11-item scale (see docs/scales.md)."""

from django.utils.translation import gettext_lazy

DJG6_QUESTIONS = {
    3: gettext_lazy("Ik ervaar een leegte om me heen."),
    4: gettext_lazy("Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen."),
    7: gettext_lazy("Er zijn veel mensen op wie ik volledig kan vertrouwen."),
    8: gettext_lazy("Er zijn voldoende mensen met wie ik me nauw verbonden voel."),
    9: gettext_lazy("Ik mis mensen om me heen."),
    10: gettext_lazy("Vaak voel ik me in de steek gelaten."),
}
ANSWER_CHOICES = [("ja", gettext_lazy("ja")), ("min of meer", gettext_lazy("min of meer")),
                  ("nee", gettext_lazy("nee"))]
