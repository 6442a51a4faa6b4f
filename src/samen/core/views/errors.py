"""Error pages; API paths answer application/problem+json instead of HTML."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _problem(status: int, title: str, detail: str) -> JsonResponse:
    return JsonResponse({"type": "about:blank", "title": title, "status": status, "detail": detail},
                        status=status, content_type="application/problem+json")


def bad_request(request, exception=None):
    """A request Django refused before any view (a body over the limit, too many fields, a bad header)."""
    if request.path.startswith("/api/"):
        return _problem(400, _("Ongeldige invoer"), _("Dit verzoek kan niet worden gelezen."))
    return render(request, "core/error.html", {"title": _("Ongeldig verzoek"),
                  "message": _("Dit verzoek kan niet worden gelezen. Ga terug en probeer het opnieuw.")}, status=400)


def permission_denied(request, exception=None):
    if request.path.startswith("/api/"):
        return _problem(403, _("Geen toegang"), _("U heeft geen toegang tot dit onderdeel."))
    return render(request, "core/error.html", {"title": _("Geen toegang"),
                  "message": _("U heeft geen toegang tot deze pagina.")}, status=403)


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return _problem(404, _("Niet gevonden"), _("Dit adres bestaat niet of u heeft er geen toegang toe."))
    return render(request, "core/error.html", {"title": _("Pagina niet gevonden"),
                  "message": _("Deze pagina bestaat niet (meer).")}, status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return _problem(500, _("Interne fout"), _("Er ging iets mis aan onze kant. Probeer het later opnieuw."))
    return render(request, "core/error.html", {"title": _("Er ging iets mis"),
                  "message": _("Er ging iets mis aan onze kant. Probeer het later opnieuw.")}, status=500)
