"""Which municipality a public (no login) page is about.

One municipality per installation is the rule; an installation that serves more carries
``?gemeente=GM....`` on its public links. Unknown or ambiguous: 404.
"""

from __future__ import annotations

from django.http import Http404

from samen.core.models import Gemeente


def public_gemeente(request) -> Gemeente:
    code = (request.GET.get("gemeente") or "").upper()
    if code:
        gemeente = Gemeente.objects.filter(code=code).first()
    else:
        candidates = list(Gemeente.objects.all()[:2])
        gemeente = candidates[0] if len(candidates) == 1 else None
    if gemeente is None:
        raise Http404("no such gemeente")
    return gemeente
