"""The regisseur's settings for ondersteunen (``SupportSettings``): the one write path. Every field is
validated by the model (its validators and ``clean()``) and the weights by the factor list; on an error
nothing is stored."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samen.core import policy
from samen.ondersteunen.matching_weights import FACTORS, MAX_WEIGHT
from samen.ondersteunen.models import SupportSettings

CAPABILITY = "trajectory.settings"
FIELDS = ("contact_attempts", "contact_attempt_days", "first_contact_working_days", "provider_nudge_working_days",
          "provider_return_working_days", "aftercare_days", "caseload_max", "no_contact_days", "retention_months",
          "provider_link_days")


def current(gemeente_id: int) -> SupportSettings:
    return SupportSettings.for_gemeente(gemeente_id)


def _weights(raw: dict) -> dict:
    errors, weights = {}, {}
    unknown = sorted(set(raw) - set(FACTORS))
    if unknown:
        errors["weights"] = [_("Onbekende factor: %(names)s.") % {"names": ", ".join(unknown)}]
    for factor in FACTORS:
        value = raw.get(factor)
        try:
            number = float(Decimal(str(value))) if value is not None and not isinstance(value, bool) else None
        except ArithmeticError:
            number = None
        if number is None or not 0 <= number <= MAX_WEIGHT:
            errors[f"weight_{factor}"] = [_("Geef een gewicht van 0 tot en met %(max)s.") % {"max": MAX_WEIGHT}]
            continue
        weights[factor] = number
    if errors:
        raise ValidationError(errors)
    return weights


@transaction.atomic
def update(by, data: dict) -> SupportSettings:
    """Store the municipality's settings: every field of ``FIELDS`` and ``weights`` ({factor: number})."""
    if not policy.can(by, CAPABILITY):
        raise PermissionDenied(_("U mag de instellingen van ondersteunen niet wijzigen."))
    settings = SupportSettings.objects.select_for_update().get(pk=current(by.gemeente_id).pk)
    errors = {}
    try:
        weights = _weights(data.get("weights") or {})
    except ValidationError as exc:
        errors.update(exc.message_dict)
        weights = None
    for name in FIELDS:
        if name in data:
            setattr(settings, name, data[name])
    if weights is not None:
        settings.weights = weights
    try:
        settings.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    settings.save()
    return settings
