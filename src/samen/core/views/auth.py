"""Login with a password, then a second factor (TOTP) for everyone who can see personal data; the user's
own API tokens."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from samen.core import loginlimit, policy
from samen.core.forms import LoginForm, TokenForm
from samen.core.services import users
from samen.core.views.mixins import PolicyMixin


def _safe_next(request, default="core:home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return resolve_url(default)


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    http_method_names = ["get", "post"]
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if loginlimit.is_slowed(request.POST.get("username", "")):  # a guesser from many addresses
            return render(request, "core/locked_out.html", {"account_slowed": True,
                                                            "minutes": loginlimit.minutes_left()}, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        if policy.needs_second_factor(form.get_user()):
            return redirect(resolve_url("core:otp_verify") + "?next=" + self.get_success_url())
        return response


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class OTPVerifyView(View):
    """The second step: a code from the user's authenticator app."""

    template_name = "core/otp_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("core:login")
        if not policy.needs_second_factor(request.user) or request.user.is_verified():
            return redirect(_safe_next(request))
        if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            return redirect(resolve_url("core:otp_setup") + "?next=" + _safe_next(request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": TokenForm(), "next": _safe_next(request)})

    def post(self, request):
        form = TokenForm(request.POST)
        if form.is_valid():
            device = match_token(request.user, form.cleaned_data["token"].strip())
            if device is not None:
                otp_login(request, device)
                return redirect(_safe_next(request))
            form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de nieuwste code."))
        return render(request, self.template_name, {"form": form, "next": _safe_next(request)}, status=400)


class OTPSetupView(View):
    """First login of a user who needs a second factor: link an authenticator app."""

    template_name = "core/otp_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("core:login")
        if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            return redirect(resolve_url("core:otp_verify") + "?next=" + _safe_next(request))
        return super().dispatch(request, *args, **kwargs)

    def _device(self, request) -> TOTPDevice:
        device, _created = TOTPDevice.objects.get_or_create(user=request.user, confirmed=False,
                                                            defaults={"name": "authenticator"})
        return device

    def _context(self, request, device, form):
        uri = device.config_url
        return {
            "form": form,
            "next": _safe_next(request),
            "qr": segno.make(uri, error="m").svg_data_uri(scale=5, dark="#000", light="#fff"),
            "secret": _base32(device.bin_key),
        }

    def get(self, request):
        device = self._device(request)
        return render(request, self.template_name, self._context(request, device, TokenForm()))

    def post(self, request):
        device = self._device(request)
        form = TokenForm(request.POST)
        if form.is_valid() and device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_safe_next(request))
        if form.is_valid():
            form.add_error("token", _("Deze code klopt niet. Controleer de tijd op uw telefoon en probeer opnieuw."))
        return render(request, self.template_name, self._context(request, device, form), status=400)


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


class TokenListView(PolicyMixin, TemplateView):
    """The user's own API tokens (prefix, made, valid until), each with a button to end it."""

    template_name = "core/token_list.html"
    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        prefix, everything = request.GET.get("beeindigen", ""), request.GET.get("alle")
        if prefix or everything:  # first the question, with what it means
            count = len(users.active_tokens(request.user)) if everything else 1
            return render(request, "core/confirm.html", {"confirm": {
                "title": _("Alle tokens beëindigen?") if everything else
                _("Token %(prefix)s beëindigen?") % {"prefix": prefix},
                "button": _("Ja, beëindigen"), "danger": True,
                "consequences": [
                    ngettext("%(count)d token houdt direct op te werken.",
                             "%(count)d tokens houden direct op te werken.", count) % {"count": count},
                    _("Een programma of koppeling die het token gebruikt, krijgt geen toegang meer tot Samen."),
                    _("Dit kan niet ongedaan worden gemaakt: een nieuw token vraagt u aan bij de beheerder.")],
                "hidden": [("all", "1")] if everything else [("prefix", prefix)],
                "cancel_url": reverse("core:token_list")}})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "tokens": users.active_tokens(self.request.user)}

    def post(self, request):
        prefix = request.POST.get("prefix", "")
        if request.POST.get("all"):
            ended = users.end_tokens(request.user)
            messages.success(request, ngettext("%(count)d token is beëindigd.", "%(count)d tokens zijn beëindigd.",
                                               ended) % {"count": ended})
        elif prefix and users.end_token(request.user, prefix):
            messages.success(request, _("Het token is beëindigd. Wie het nog gebruikt, krijgt geen toegang meer."))
        else:
            messages.error(request, _("U heeft geen actief token met dit begin."))
        return redirect("core:token_list")
