"""The one write path for policy targets (beleidsadviseur)."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from samen.core import policy
from samen.weten.models import Target


@transaction.atomic
def save_target(user, form) -> Target:
    if not policy.can(user, "monitor.change"):
        raise PermissionDenied
    target = form.save(commit=False)
    if target.pk and not policy.visible(user, Target).filter(pk=target.pk).exists():
        raise PermissionDenied
    target.gemeente_id = user.gemeente_id
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        form.add_error("indicator", _("Voor deze indicator, wijk en bron is al een doel vastgelegd."))
        raise
    return target


UNDO_FIELDS = ("indicator", "wijk", "source", "baseline_year", "target_value", "direction", "target_year",
               "description")


@transaction.atomic
def delete_target(user, pk) -> dict:
    """Deletes the target; returns its values, so that the screen can offer to put it back (undo)."""
    if not policy.can(user, "monitor.change"):
        raise PermissionDenied
    target = policy.visible(user, Target).get(pk=pk)
    values = {name: getattr(target, f"{name}_id" if name == "wijk" else name) for name in UNDO_FIELDS}
    values["target_value"] = str(values["target_value"])
    target.delete()
    return {name: "" if value is None else value for name, value in values.items()}
