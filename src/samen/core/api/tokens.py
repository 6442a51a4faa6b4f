"""The caller's own API tokens: list them (never the secret), end the one in use, or end all.

One token is ended on the account page (core:token_list); `samen token --revoke` on the server."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from samen.core.api.permissions import AUTHENTICATED
from samen.core.services import users as service


class TokenSerializer(serializers.Serializer):
    prefix = serializers.CharField(source="token_key", help_text="The first characters of the token; not secret.")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)
    current = serializers.SerializerMethodField(help_text="Whether this request was made with this token.")

    def get_current(self, token) -> bool:
        used = self.context.get("used")
        return used is not None and used.pk == token.pk


def _used_token(request) -> AuthToken | None:
    return request.auth if isinstance(request.auth, AuthToken) else None


class TokenListView(APIView):
    """The caller's active API tokens, newest first: prefix, created, expiry. The secret is never shown."""

    capabilities = {"get": AUTHENTICATED}

    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request):
        tokens = service.active_tokens(request.user)
        return Response(TokenSerializer(tokens, many=True, context={"used": _used_token(request)}).data)


class LogoutView(APIView):
    """End the token this request was made with."""

    capabilities = {"post": AUTHENTICATED}

    @extend_schema(request=None, responses={204: OpenApiResponse(description="The token is ended.")})
    def post(self, request):
        token = _used_token(request)
        if token is None:
            raise ValidationError({"Authorization": [_("Dit verzoek gebruikt geen API-token. "
                                                      "Stuur het token mee dat u wilt beëindigen.")]})
        service.end_token(request.user, token.token_key)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """End every API token of the caller."""

    capabilities = {"post": AUTHENTICATED}

    @extend_schema(request=None, responses={204: OpenApiResponse(description="All tokens are ended.")})
    def post(self, request):
        service.end_tokens(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
