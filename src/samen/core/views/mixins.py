"""View plumbing: every staff page names the capability it needs; policy.py decides."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from samen.core import policy


class PolicyMixin:
    """Log in first (with a second factor where needed), then the capability is required."""

    capability: str | None = None  # None: any logged-in user

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policy.is_fully_authenticated(request.user):
            raise PermissionDenied
        if self.capability is not None and not policy.can(request.user, self.capability):
            raise PermissionDenied
        if self.capability is None and not request.user.gemeente_id:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def route_name(self) -> str:
        return self.request.resolver_match.view_name if self.request.resolver_match else ""
