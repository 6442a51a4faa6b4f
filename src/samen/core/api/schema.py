"""OpenAPI descriptions of Samen's own authentication classes."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class VerifiedSessionScheme(SessionScheme):
    target_class = "samen.core.api.auth.VerifiedSessionAuthentication"


class SamenTokenScheme(KnoxTokenScheme):
    target_class = "samen.core.api.auth.SamenTokenAuthentication"
