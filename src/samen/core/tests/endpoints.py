"""Walks every URL pattern of the project and lists the (method, url name) pairs it serves."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

IGNORED_METHODS = {"head", "options", "trace"}
STANDARD = ("get", "post", "put", "patch", "delete")
# Function views whose methods cannot be read off the view.
FUNCTION_VIEW_METHODS = {"set_language": ["post"], "healthz": ["get"]}


@dataclass(frozen=True)
class Endpoint:
    method: str
    name: str
    route: str
    params: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.name}"


def _methods(callback) -> list[str]:
    actions = getattr(callback, "actions", None)
    if actions:  # a DRF viewset route
        return sorted(m for m in actions if m not in IGNORED_METHODS)
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        allowed = [m for m in getattr(view_class, "http_method_names", STANDARD) if m in STANDARD]
        return sorted(m for m in allowed if hasattr(view_class, m))
    return ["get"]  # a plain function view answers GET


def walk(resolver: URLResolver | None = None, namespace: str = "", prefix: str = "") -> list[Endpoint]:
    resolver = resolver or get_resolver()
    endpoints: list[Endpoint] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (
                entry.namespace or namespace)
            endpoints += walk(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            if not entry.name:
                raise AssertionError(f"URL pattern {prefix}{entry.pattern} has no name; every endpoint needs one.")
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            route = prefix + str(entry.pattern)
            params = tuple(entry.pattern.regex.groupindex) + tuple(
                p for r in [resolver] for p in r.pattern.regex.groupindex)
            for method in FUNCTION_VIEW_METHODS.get(name) or _methods(entry.callback):
                endpoints.append(Endpoint(method, name, route, tuple(dict.fromkeys(params))))
    return endpoints
