"""API errors as application/problem+json (RFC 9457), with a clear message in Dutch."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

TITLES = {
    400: gettext_lazy("Ongeldige invoer"),
    401: gettext_lazy("Niet ingelogd"),
    403: gettext_lazy("Geen toegang"),
    404: gettext_lazy("Niet gevonden"),
    405: gettext_lazy("Methode niet toegestaan"),
    409: gettext_lazy("Conflict"),
    415: gettext_lazy("Niet-ondersteund formaat"),
    422: gettext_lazy("Niet te verwerken"),
    429: gettext_lazy("Te veel verzoeken"),
}


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {key: [str(v) for v in (value if isinstance(value, list) else [value])]
                for key, value in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(v) for v in detail]}
    return {}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, ObjectDoesNotExist | Http404):
        exc = exceptions.NotFound(_("Dit gegeven bestaat niet of u heeft er geen toegang toe."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    body = {"type": "about:blank", "title": str(TITLES.get(code, _("Fout"))), "status": code}
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        body["detail"] = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
        body["errors"] = errors
    else:
        body["detail"] = str(getattr(exc, "detail", exc))
    problem = Response(body, status=code, headers=dict(response.items()))
    problem.content_type = "application/problem+json"
    if code == status.HTTP_400_BAD_REQUEST:
        problem["Cache-Control"] = "no-store"
    return problem
