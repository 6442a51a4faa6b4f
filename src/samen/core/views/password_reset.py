""""Wachtwoord vergeten": Django's password reset views with Samen's forms, the outbox and a rate limit.

The link in the e-mail is single-use (Django's token changes with the password and the last login) and
expires after ``PASSWORD_RESET_TIMEOUT`` (one hour). The page after the request says the same whether or
not the address belongs to an account. Requests are limited per address (``RESET_LIMIT`` an hour, by
``samen.core.ratelimit``) and per e-mail address (``MAIL_LIMIT``: beyond it nothing more is sent, silently).
A reset does not log the user in, and the second factor is still asked at the next login."""

from __future__ import annotations

import hashlib

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from samen.core import ratelimit
from samen.core.client import client_address
from samen.core.forms import SamenPasswordResetForm, SamenSetPasswordForm

RESET_LIMIT = 5  # requests per hour per address
MAIL_LIMIT = 3  # e-mails per hour per e-mail address


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "core/password_reset_form.html"
    email_template_name = "core/password_reset_email.txt"
    subject_template_name = "core/password_reset_subject.txt"
    form_class = SamenPasswordResetForm
    success_url = reverse_lazy("core:password_reset_done")
    http_method_names = ["get", "post"]

    def post(self, request, *args, **kwargs):
        decision = ratelimit.sliding_hit(f"password-reset:{client_address(request)}", RESET_LIMIT, 3600)
        if not decision.allowed:
            return render(request, "core/password_reset_form.html", {"form": self.get_form(), "limited": True},
                          status=429)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:  # the form had an error: that request does not count
            ratelimit.give_back(decision.key)
        return response

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]  # the address itself is not kept as a key
        if not ratelimit.sliding_hit(f"password-reset-mail:{digest}", MAIL_LIMIT, 3600).allowed:
            return redirect(self.success_url)  # the same answer; nothing more is sent
        self.extra_email_context = {"base_url": self._base_url()}
        return super().form_valid(form)

    def _base_url(self) -> str:
        from django.conf import settings

        return settings.SAMEN_PUBLIC_URL.rstrip("/") or self.request.build_absolute_uri("/").rstrip("/")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/password_reset_done.html"
    http_method_names = ["get"]


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/password_reset_confirm.html"
    form_class = SamenSetPasswordForm
    success_url = reverse_lazy("core:password_reset_complete")
    post_reset_login = False
    http_method_names = ["get", "post"]

    def form_valid(self, form):
        from samen.core.services import users

        users.reset_own_password(form)  # saves it, clears a forced change, ends the API tokens
        from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN

        self.request.session.pop(INTERNAL_RESET_SESSION_TOKEN, None)
        return redirect(self.success_url)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_reset_complete.html"
    http_method_names = ["get"]
