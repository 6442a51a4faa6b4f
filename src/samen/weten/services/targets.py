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


@transaction.atomic
def delete_target(user, pk) -> None:
    if not policy.can(user, "monitor.change"):
        raise PermissionDenied
    policy.visible(user, Target).get(pk=pk).delete()
