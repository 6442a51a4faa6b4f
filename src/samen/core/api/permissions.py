"""The API's one permission class: each view names the capability per action; policy.py decides."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from samen.core import policy

PUBLIC = "public"  # anyone, also without logging in
AUTHENTICATED = "authenticated"  # any user of a municipality


class PolicyPermission(BasePermission):
    message = _("U heeft geen toegang tot dit onderdeel.")

    def _capability(self, request, view):
        capabilities = getattr(view, "capabilities", None)
        if capabilities is None:
            return None  # a view without a declaration is closed
        key = getattr(view, "action", None) or request.method.lower()
        return capabilities.get(key, capabilities.get(request.method.lower()))

    def has_permission(self, request, view):
        capability = self._capability(request, view)
        if capability == PUBLIC:
            return True
        if capability is None:
            return False
        if capability == AUTHENTICATED:
            return bool(request.user.is_authenticated and request.user.gemeente_id)
        return policy.can(request.user, capability)
