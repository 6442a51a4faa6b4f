"""Public pages (no login): the home page, the self-check and how the approach works (HTML and an A4 PDF).

Every page here speaks of *samen*; only the self-check names loneliness. The self-check stores nothing
(see ``informeren.selfcheck``) and is never cached.
"""

from __future__ import annotations

import re

from django.core.cache import cache
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from samen.core.models import Gemeente, Organisation, Wijk
from samen.core.public import public_gemeente
from samen.informeren import selfcheck
from samen.vinden import checklist
from samen.vinden.services.signals import acute_guidance

PDF_CACHE_SECONDS = 600
# Organisations a resident may call about themselves or someone else, when they have a public phone number.
CONTACT_TYPES = (Organisation.Type.WELZIJN, Organisation.Type.GEMEENTE)


def _gemeente(request) -> Gemeente | None:
    """The municipality of the public site; None when it cannot be told (the pages then stay general)."""
    try:
        return public_gemeente(request)
    except Http404:
        return None


def contacts(gemeente: Gemeente | None) -> list[dict]:
    """Welfare and municipal desks with a phone number, for 'who to call'."""
    if gemeente is None:
        return []
    rows = (Organisation.objects.filter(gemeente=gemeente, type__in=CONTACT_TYPES).exclude(phone="")
            .order_by("type", "name").values("name", "phone"))
    return [{**row, "tel": re.sub(r"[^\d+]", "", row["phone"])} for row in rows]


def call_context(gemeente: Gemeente | None) -> dict:
    from samen.core.site import site_details

    return {"acute": acute_guidance(), "contacts": contacts(gemeente), "site": site_details(gemeente)}


class HomeView(TemplateView):
    """The public home page: search, the wijken, the samen-week, the self-check, the forms, who to call."""

    template_name = "informeren/index.html"

    def get_context_data(self, **kwargs):
        from samen.kwaliteit.models import ThemeWeek
        from samen.kwaliteit.services.catalogue import public_activities

        context = super().get_context_data(**kwargs)
        gemeente = _gemeente(self.request)
        context.update(call_context(gemeente), gemeente=gemeente)
        if gemeente is None:
            return context
        counts = dict(public_activities(gemeente).values_list("wijk").annotate(n=Count("pk")).order_by())
        context["wijken"] = [{"code": wijk.code, "name": wijk.policy_name or wijk.official_name,
                              "activities": counts.get(wijk.pk, 0)}
                             for wijk in Wijk.objects.filter(gemeente=gemeente).order_by("code")]
        context["theme_week"] = (ThemeWeek.objects.filter(gemeente=gemeente, ends_on__gte=timezone.localdate())
                                 .order_by("starts_on").first())
        return context


@method_decorator(never_cache, name="dispatch")
class SelfCheckView(View):
    """The self-check: GET shows the six statements, POST shows what the answers say. Nothing is kept."""

    http_method_names = ["get", "post"]

    def get(self, request):
        return render(request, "informeren/selfcheck.html", {"form": selfcheck.SelfCheckForm()})

    def post(self, request):
        form = selfcheck.SelfCheckForm(request.POST)
        if not form.is_valid():
            return render(request, "informeren/selfcheck.html", {"form": form}, status=400)
        result = selfcheck.evaluate(form.answers())
        return render(request, "informeren/selfcheck_result.html", {
            "result": result, "finder_paths": finder_paths(result), **call_context(_gemeente(request))})


def finder_paths(result: selfcheck.Result) -> list[dict]:
    finder = reverse("informeren:finder")
    paths = [{"label": capfirst(interest.label), "url": f"{finder}?interest={interest.value}",
              "text": _("Activiteiten in de buurt om samen te doen.")} for interest in selfcheck.interests(result)]
    return [*paths, {"label": _("Alles wat er te doen is"), "url": finder, "text": ""}]


def approach_context(gemeente: Gemeente | None) -> dict:
    return {"gemeente_name": gemeente.name if gemeente else _("uw gemeente"),
            "triage_days": gemeente.triage_working_days if gemeente else Gemeente._meta.get_field(
                "triage_working_days").default,
            "signs": list(checklist.SIGNS.values()), "risk_factors": list(checklist.RISK_FACTORS.values()),
            **call_context(gemeente)}


class ApproachView(TemplateView):
    """How the approach works: the route of a signal, what to notice, who to call."""

    template_name = "informeren/approach.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **approach_context(_gemeente(self.request))}


def approach_pdf(request, gemeente: Gemeente | None) -> bytes:
    """The approach on A4 (WeasyPrint), real text; cached a few minutes per municipality and language."""
    from django.template.loader import render_to_string

    from samen.core.pdf import write_pdf

    key = f"samen-approach-pdf-{gemeente.pk if gemeente else 0}-{translation.get_language()}-{request.get_host()}"
    content = cache.get(key)
    if content is None:
        html = render_to_string("informeren/approach_pdf.html", {
            **approach_context(gemeente), "concern_url": request.build_absolute_uri(reverse("vinden:concern")),
            "self_url": request.build_absolute_uri(reverse("vinden:self"))})
        content = write_pdf(html)  # tagged (PDF/UA-1)
        cache.set(key, content, PDF_CACHE_SECONDS)
    return content


class ApproachPdfView(View):
    http_method_names = ["get"]

    def get(self, request):
        response = HttpResponse(approach_pdf(request, _gemeente(request)), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="zo-werkt-samen.pdf"'
        return response
