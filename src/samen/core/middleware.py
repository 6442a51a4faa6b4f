"""Request middleware: security headers Django does not set, and the second-factor gate."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from samen.core import policy, registry

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class LanguageMiddleware:
    """Dutch first: the language is Dutch unless the user chose another one (language cookie).

    Unlike Django's LocaleMiddleware the browser's Accept-Language is not followed, so a Dutch
    municipality's site does not switch to English by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class SecondFactorMiddleware:
    """A user who needs a second factor and has only given a password reaches nothing but the
    second-factor step, logout and public pages. The API refuses such a session by itself."""

    OPEN_PREFIXES = ("/static/", "/api/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and policy.needs_second_factor(user)
                and not user.is_verified() and not self._is_open(request)):
            return redirect(reverse("core:otp_verify") + "?next=" + request.get_full_path())
        return self.get_response(request)

    def _is_open(self, request) -> bool:
        path = request.path
        if path.startswith(self.OPEN_PREFIXES):
            return True
        match = request.resolver_match or _resolve(path)
        if match is None:
            return True
        return match.view_name in {"core:login", "core:logout", "core:otp_verify", "core:otp_setup"} \
            or is_public_page(match)


def is_public_page(match) -> bool:
    """A page a building block registered as public (``registry.public_page``; "ns:*" opens a namespace)."""

    return match.view_name in registry.public_pages or f"{match.namespace}:*" in registry.public_pages


def _resolve(path):
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None
