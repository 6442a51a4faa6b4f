"""How the API knows who is calling: a knox token, or a browser session past the second factor."""

from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions
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


class SamenTokenAuthentication(TokenAuthentication):
    """knox tokens, refused for a user who may no longer hold one.

    The users service ends a user's tokens on every change that should end their access; this is the
    second line: a user who sees personal data and has no confirmed second factor (a reset that did not
    go through the service, a role change) is refused until they set one up again.
    """

    def validate_user(self, auth_token):
        from samen.core.services.users import may_hold_token

        user, token = super().validate_user(auth_token)
        if not may_hold_token(user):
            raise exceptions.AuthenticationFailed(_("Dit token geldt niet meer. Vraag een nieuw token aan."))
        return user, token
