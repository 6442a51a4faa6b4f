from drf_spectacular.authentication import SessionScheme


class VerifiedSessionScheme(SessionScheme):
    target_class = "samen.core.api.auth.VerifiedSessionAuthentication"
