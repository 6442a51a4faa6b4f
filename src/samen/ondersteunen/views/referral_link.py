"""The provider's page behind the e-mailed link: no account, no second factor; rate-limited per address.
Shows only what the provider needs and takes one answer (``services.provider_links``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from samen.ondersteunen.services import provider_links, referrals
from samen.ondersteunen.views.referrals import apply_errors
from samen.ondersteunen.views.referrals_forms import AnswerForm

LIMIT = 30  # openings and answers per address per hour
T = "ondersteunen/referrals/"


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class ProviderLinkView(View):
    def dispatch(self, request, *args, **kwargs):
        from samen.core import ratelimit
        from samen.core.client import client_address

        decision = ratelimit.sliding_hit(f"provider-link:{client_address(request)}", LIMIT, 3600)
        if not decision.allowed:
            return render(request, T + "link_refused.html", {"message": _(
                "U heeft deze pagina te vaak geopend. Probeer het over een uur opnieuw.")}, status=429)
        return super().dispatch(request, *args, **kwargs)

    def value(self, request):
        return (request.POST.get(provider_links.PARAM) or request.GET.get(provider_links.PARAM) or "").strip()

    def refused(self, request, exc):
        return render(request, T + "link_refused.html", {"message": exc.messages[0], "reason": exc.reason},
                      status=400 if exc.reason == "invalid" else 410)

    def page(self, request, link, form, status=200):
        return render(request, T + "link_answer.html", {**referrals.provider_view(link.referral), "link": link,
                                                       "form": form, "value": self.value(request)}, status=status)

    def get(self, request):
        try:
            link = provider_links.open_link(self.value(request))
        except provider_links.LinkRefused as exc:
            return self.refused(request, exc)
        return self.page(request, link, AnswerForm())

    def post(self, request):
        value = self.value(request)
        try:
            link = provider_links.open_link(value)
        except provider_links.LinkRefused as exc:
            return self.refused(request, exc)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                referral = provider_links.answer(value, form.cleaned_data["decision"],
                                                 reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
            except provider_links.LinkRefused as exc:
                return self.refused(request, exc)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return render(request, T + "link_done.html", {"referral": referral})
        return self.page(request, link, form, 400)
