"""Which municipality a public (no login) page, form, feed or API answer is about: the one resolver.

Each municipality's public site is reached by its own host name (``Gemeente.public_host``, e.g.
``samen.hilversum.nl``; the host must also be in ``ALLOWED_HOSTS``). In order:

1. ``?gemeente=GM....`` on the request names it (kept for links between sites and API consumers);
   an unknown code is a 404;
2. the request's host is a municipality's ``public_host``;
3. otherwise the default municipality: the first one installed (the demo's, at ``/``). A second
   municipality added with ``samen add_gemeente`` never takes the default site over.

Every public view (informeren, the catalogue's exports and feeds, the public API and HSDS API, vinden's
two public signal forms) asks ``public_gemeente(request)``; none looks a municipality up itself.
"""

from __future__ import annotations

from django.http import Http404

from samen.core.models import Gemeente

_CACHE_ATTRIBUTE = "_samen_public_gemeente"


def public_gemeente(request) -> Gemeente:
    """The municipality this public request is for (once per request); 404 when there is none."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    gemeente = _resolve(request)
    if gemeente is None:
        raise Http404("no such gemeente")
    setattr(request, _CACHE_ATTRIBUTE, gemeente)
    return gemeente


def _resolve(request) -> Gemeente | None:
    code = (request.GET.get("gemeente") or "").strip().upper()
    if code:
        return Gemeente.objects.filter(code=code).first()
    host = request_host(request)
    if host:
        by_host = Gemeente.objects.filter(public_host=host).first()
        if by_host is not None:
            return by_host
    return default_gemeente()


def default_gemeente() -> Gemeente | None:
    """The municipality of the default public site: the first one installed."""
    return Gemeente.objects.order_by("pk").first()


def request_host(request) -> str:
    """The request's host name without port, lower case ('' when the host is not allowed)."""
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: Django answers 400 elsewhere; here it only means "no host"
        return ""
    return host.rsplit(":", 1)[0].lower() if not host.endswith("]") else host.lower()
