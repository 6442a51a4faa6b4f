from rest_framework.authentication import SessionAuthentication

from samen.core import policy


class VerifiedSessionAuthentication(SessionAuthentication):
    """A browser session counts for the API only once the second factor (where needed) is given."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if not policy.is_fully_authenticated(getattr(request._request, "user", user)):
            return None
        return result
