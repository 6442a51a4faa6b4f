"""The one write path for interventions: named methods (Welzijn op Recept, Grip & Glans, ...) with their
recognition in the Movisie databank. The regisseur and the beleidsadviseur keep them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samen.core import policy
from samen.core.models import User
from samen.kwaliteit.models import Intervention

FIELDS = ("name", "description", "recognition", "target_groups", "target_group_text", "databank_url")


@transaction.atomic
def save(user: User, data: dict, intervention: Intervention | None = None) -> Intervention:
    """Create (no ``intervention``) or change an intervention from cleaned form data.

    Raises PermissionDenied without ``intervention.change``, ValidationError for a name the gemeente
    already uses (nothing is stored then).
    """
    if not policy.can(user, "intervention.change") or (
            intervention is not None and intervention.gemeente_id != user.gemeente_id):
        raise PermissionDenied(_("U mag interventies niet wijzigen."))
    name = (data.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("Geef de interventie een naam.")})
    taken = Intervention.objects.filter(gemeente=user.gemeente_id, name__iexact=name)
    if intervention is not None:
        taken = taken.exclude(pk=intervention.pk)
    if taken.exists():
        raise ValidationError({"name": _("Er is al een interventie met de naam '%(name)s'.") % {"name": name}})
    intervention = intervention or Intervention(gemeente_id=user.gemeente_id)
    for field in FIELDS:
        if field in data:
            setattr(intervention, field, data[field] if data[field] is not None else "")
    intervention.name = name
    intervention.full_clean()
    intervention.save()
    return intervention
