"""OpenAPI descriptions of Samen's own authentication classes."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class VerifiedSessionScheme(SessionScheme):
    target_class = "samen.core.api.auth.VerifiedSessionAuthentication"


class SamenTokenScheme(KnoxTokenScheme):
    target_class = "samen.core.api.auth.SamenTokenAuthentication"


# --- the schema tells the truth: who may call without logging in, and every error answer -----------------

from drf_spectacular.openapi import AutoSchema  # noqa: E402

from samen.core.api.permissions import PUBLIC  # noqa: E402

PROBLEM = {
    "type": "object",
    "description": "An error as application/problem+json (RFC 9457), with a message in Dutch.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                   "description": "Per field, what is wrong (400 only)."},
    },
    "required": ["type", "title", "status"],
}
ERRORS = {
    "400": "Invalid input (a field, the JSON, a NUL character, too deep nesting).",
    "401": "Not logged in, or the token or API key is unknown, expired or ended.",
    "403": "Logged in, but this role may not do this.",
    "404": "Does not exist, or not visible to the caller.",
    "405": "This method is not allowed here.",
    "413": "The body is larger than the server accepts.",
    "415": "The body is not in a format this operation reads (the signals API reads application/json only).",
    "429": "Too many requests; see the Retry-After header.",
}


TIME_PATTERN = r"^[0-2][0-9]:[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$"


def _relax(result):
    """A time without offset (as DRF writes it: JSON Schema's "time" needs one), and a URL or e-mail address
    that may be blank (as on the models)."""
    if not isinstance(result, dict):
        return result
    if result.get("format") == "time":
        result = {**result, "pattern": TIME_PATTERN}
        del result["format"]
    elif result.get("format") in {"uri", "email"}:
        result = {**result}
        result["anyOf"] = [{"format": result.pop("format")}, {"maxLength": 0}]
    return result


class SamenAutoSchema(AutoSchema):
    """The schema as the API answers: an operation that anyone may call (capability PUBLIC) without required
    authentication, a blank URL or e-mail field as possibly empty, a time as DRF writes it (no offset)."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        return _relax(super()._map_serializer_field(field, direction, bypass_extensions))

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        relaxed = _relax(schema)
        schema.clear()
        schema.update(relaxed)

    def get_auth(self):
        auth = super().get_auth()
        if self._capability() == PUBLIC and {} not in auth:
            auth.append({})
        return auth

    def _capability(self):
        capabilities = getattr(self.view, "capabilities", None) or {}
        action = getattr(self.view, "action", None)
        method = self.method.lower()
        return capabilities.get(action, capabilities.get(method)) if action else capabilities.get(method)


def document_errors(result, generator, request, public):
    """Postprocessing hook: every operation documents the problem+json answers it can give."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM
    reference = {"$ref": "#/components/schemas/Problem"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, description in ERRORS.items():
                operation["responses"].setdefault(code, {
                    "description": description, "content": {"application/problem+json": {"schema": reference}}})
    return result
