"""Lists that grow: search, filters and sorting from GET parameters, the same way on every list.

``search(queryset, text, fields)``: every word of the text must match one of the fields (so "pronk
1211" finds Mevrouw Pronk at 1211..); ``sort(queryset, key, options)``: one of the named orderings,
the first when the key is unknown. The filter forms are plain Django forms with GET as their data;
``querystring(request)`` keeps the filters on the pagination links."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet


def search(queryset: QuerySet, text: str, fields: Iterable[str]) -> QuerySet:
    fields = list(fields)
    for word in (text or "").split():
        queryset = queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields)))
    return queryset


def sort(queryset: QuerySet, key: str, options: Mapping[str, tuple[str, ...]]) -> QuerySet:
    ordering = options.get(key) or next(iter(options.values()))
    return queryset.order_by(*ordering)


def querystring(request, drop: str = "pagina") -> str:
    query = request.GET.copy()
    query.pop(drop, None)
    return query.urlencode()
