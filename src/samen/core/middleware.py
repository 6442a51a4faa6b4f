"""Request middleware: security headers Django does not set, the second-factor gate, the input guard
(no NUL bytes, no body over the limit) and no caching of answers that may hold personal data."""

from __future__ import annotations

import time
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from samen.core import policy, registry

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware with an idle timeout that does not write the session on every request.

    A session ends SESSION_COOKIE_AGE seconds after it was last saved. Django's SESSION_SAVE_EVERY_REQUEST
    saves it on every request (a transaction with an UPDATE on each page, also on /healthz). Here a request
    that did not change the session saves it only when the last save is SESSION_REFRESH_SECONDS (60) or more
    ago: the timeout still counts from the last request, give or take that minute."""

    KEY = "_samen_refreshed"

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.modified and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[self.KEY] = now  # marks the session modified: Django saves it with a new expiry
        return super().process_response(request, response)


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


class ForcedPasswordChangeMiddleware:
    """After a one-time password from the beheerder (``User.must_change_password``) a user reaches nothing
    but the password change, logout, the second-factor steps and public pages until they chose their own."""

    OPEN_NAMES = {"core:password_change", "core:logout", "core:login", "core:otp_verify", "core:otp_setup"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and getattr(user, "must_change_password", False)
                and not request.path.startswith(SecondFactorMiddleware.OPEN_PREFIXES)):
            match = request.resolver_match or _resolve(request.path)
            if match is not None and match.view_name not in self.OPEN_NAMES and not is_public_page(match):
                return redirect(reverse("core:password_change"))
        return self.get_response(request)


def is_public_page(match) -> bool:
    """A page a building block registered as public (``registry.public_page``; "ns:*" opens a namespace)."""

    return match.view_name in registry.public_pages or f"{match.namespace}:*" in registry.public_pages


def _resolve(path):
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class InputGuardMiddleware:
    """Refuse, before any view, input that no view can store: a NUL byte in the path, the query string or a
    posted form field (PostgreSQL refuses NUL in text, SQLite keeps it), and a body over the limit.

    The API answers problem+json (400, 413), pages the Dutch error page. A JSON body is checked by the API's
    parser (samen.core.api.parsers), which also limits the nesting.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.translation import gettext as _

        if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")) or "\x00" in request.path:
            return self._refuse(request, 400, _("Het adres bevat een ongeldig teken (NUL)."))
        if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
            if self._too_big(request):
                return self._refuse(request, 413, _("Het verzoek is te groot (meer dan %(size)d kB).")
                                    % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024})
            if _is_form(request):
                try:
                    fields = request.POST
                except RequestDataTooBig:
                    return self._refuse(request, 413, _("Het verzoek is te groot."))
                except TooManyFieldsSent:
                    return self._refuse(request, 400, _("Het formulier heeft te veel velden."))
                except MultiPartParserError:
                    return self._refuse(request, 400, _("Het formulier kan niet worden gelezen."))
                if any("\x00" in key or any("\x00" in value for value in fields.getlist(key)) for key in fields):
                    return self._refuse(request, 400, _("Een veld bevat een ongeldig teken (NUL)."))
        return self.get_response(request)

    @staticmethod
    def _too_big(request) -> bool:
        """A body that is not a file upload and is longer than Django will read (DATA_UPLOAD_MAX_MEMORY_SIZE)."""
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is None or request.content_type == "multipart/form-data":
            return False  # uploads stream to disk; their own size limits apply
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return length > limit

    @staticmethod
    def _refuse(request, status: int, detail: str):
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        from samen.core.api.problems import TITLES

        title = str(TITLES.get(status, _("Ongeldige invoer")))
        if _is_api(request):
            response = JsonResponse({"type": "about:blank", "title": title, "status": status, "detail": detail},
                                    status=status, content_type="application/problem+json")
        else:
            response = render(request, "core/error.html", {"title": title, "message": detail}, status=status)
        response["Cache-Control"] = "no-store"
        return response


def _is_form(request) -> bool:
    return request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}


class NoStoreMiddleware:
    """Answers that may hold personal data are never stored by a browser or proxy: every answer to a logged-in
    user or to a request with credentials (token, API key), every answer to a form or API write (it may echo
    what was typed), and every download."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if ((user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META
                or request.method not in {"GET", "HEAD", "OPTIONS"}
                or response.get("Content-Disposition", "").startswith("attachment")):
            response["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response


class PolicyMemoMiddleware:
    """A GET or HEAD request remembers its ``policy.can(user, ..., obj)`` record checks (``policy.memoised``):
    a page that asks about the same record several times asks the database once. Requests that write are never
    memoised, so an answer cannot outlive the change that would alter it."""

    SAFE = ("GET", "HEAD")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.SAFE:
            return self.get_response(request)
        with policy.memoised():
            return self.get_response(request)
