"""The one write path for user accounts, used by the beheerder's screens."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from samen.core import policy
from samen.core.models import Organisation, User, Wijk

PROFILE_FIELDS = ("first_name", "last_name", "email", "role", "function", "is_active")


def _require(actor, capability="user.manage"):
    if not policy.can(actor, capability):
        raise PermissionDenied(_("U mag gebruikers niet beheren."))


def _scoped(actor, data: dict) -> tuple[Organisation | None, list[Wijk]]:
    """Organisation and wijken must be of the beheerder's own municipality."""
    organisation = data.get("organisation")
    if organisation is not None and organisation.gemeente_id != actor.gemeente_id:
        raise ValidationError({"organisation": _("Deze organisatie hoort bij een andere gemeente.")})
    wijken = list(data.get("wijken") or [])
    if any(w.gemeente_id != actor.gemeente_id for w in wijken):
        raise ValidationError({"wijken": _("Een van deze wijken hoort bij een andere gemeente.")})
    return organisation, wijken


def new_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def create_user(actor, data: dict) -> tuple[User, str]:
    """A new account in the beheerder's municipality. Returns the user and a one-time initial password."""
    _require(actor)
    if User.objects.filter(username__iexact=data["username"]).exists():
        raise ValidationError({"username": _("Deze gebruikersnaam bestaat al.")})
    organisation, wijken = _scoped(actor, data)
    user = User(username=data["username"], gemeente_id=actor.gemeente_id, organisation=organisation,
                is_active=data.get("is_active", True),
                **{name: data.get(name, "") for name in PROFILE_FIELDS if name != "is_active"})
    password = new_password()
    user.set_password(password)
    user.full_clean()
    user.save()
    user.wijken.set(wijken)
    return user, password


@transaction.atomic
def change_user(actor, pk, data: dict) -> User:
    _require(actor)
    user = policy.visible(actor, User).select_for_update().get(pk=pk)
    organisation, wijken = _scoped(actor, data)
    if user.pk == actor.pk and (not data.get("is_active", True) or data.get("role") != actor.role):
        raise ValidationError({"role": _("U kunt uw eigen rol niet wijzigen of uzelf uitschakelen.")})
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(user, name, data[name])
    user.organisation = organisation
    user.full_clean()
    user.save()
    user.wijken.set(wijken)
    return user


@transaction.atomic
def reset_second_factor(actor, pk) -> User:
    """For a lost phone: the user links a new authenticator app at the next login."""
    _require(actor)
    user = policy.visible(actor, User).get(pk=pk)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return user


@transaction.atomic
def reset_password(actor, pk) -> tuple[User, str]:
    _require(actor)
    user = policy.visible(actor, User).select_for_update().get(pk=pk)
    password = new_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    return user, password
