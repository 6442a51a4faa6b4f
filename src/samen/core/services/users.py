"""The one write path for user accounts (the beheerder's screens, the own password change, `samen token`).

Every change that should end a user's access also ends their API tokens here: a password change or
reset, a second-factor reset, and deactivation.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from samen.core import policy
from samen.core.models import Organisation, User, Wijk
from samen.core.roles import Role

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


def _require_wijk(role: str | None, wijken: list[Wijk]) -> None:
    """A volunteer or partner works in a wijk: without one they would see nothing (capability wijk.member)."""
    if role in policy.roles_with("wijk.member") and not wijken:
        raise ValidationError({"wijken": _("Kies minstens één wijk: een %(role)s werkt in een wijk.")
                               % {"role": Role(role).label.lower()}})


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
    _require_wijk(data.get("role"), wijken)
    password = new_password()
    user.set_password(password)
    user.must_change_password = True  # a one-time password: the user chooses their own at the first login
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
    _require_wijk(user.role, wijken)
    user.full_clean()
    user.save()
    user.wijken.set(wijken)
    if not user.is_active:
        end_tokens(user)
    return user


@transaction.atomic
def reset_second_factor(actor, pk) -> User:
    """For a lost phone: the user links a new authenticator app at the next login."""
    _require(actor)
    user = policy.visible(actor, User).get(pk=pk)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    end_tokens(user)
    return user


@transaction.atomic
def reset_password(actor, pk) -> tuple[User, str]:
    _require(actor)
    user = policy.visible(actor, User).select_for_update().get(pk=pk)
    password = new_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    end_tokens(user)
    return user, password


@transaction.atomic
def change_own_password(user, form) -> User:
    """The user's own password change (a validated SetPasswordForm/PasswordChangeForm): ends their tokens and
    clears a forced change (``must_change_password``, after a one-time password from the beheerder)."""
    form.save()
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    end_tokens(user)
    return user


def reset_own_password(form) -> User:
    """"Wachtwoord vergeten": the new password from the e-mail's link (a validated SetPasswordForm)."""
    return change_own_password(form.user, form)


# --- API tokens -------------------------------------------------------------------------------------------


class TokenRefused(Exception):
    """A token may not be issued to this user (inactive, or the second factor is missing)."""


def has_confirmed_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def may_hold_token(user) -> bool:
    """A user who sees personal data holds a token only with a confirmed second factor (also after a reset)."""
    return user.is_active and (not policy.sees_personal_data(user) or has_confirmed_second_factor(user))


@transaction.atomic
def issue_token(user) -> tuple[AuthToken, str]:
    """A new API token for ``user``. Returns the stored record and the token, which is shown only once."""
    if not user.is_active:
        raise TokenRefused(_("Dit account is uitgeschakeld."))
    if not may_hold_token(user):
        raise TokenRefused(_("Deze gebruiker ziet persoonsgegevens en heeft nog geen tweede factor ingesteld. "
                             "Laat de gebruiker eerst inloggen en een authenticator-app koppelen."))
    return AuthToken.objects.create(user=user)


def active_tokens(user):
    """The user's tokens that have not expired, newest first."""
    return AuthToken.objects.filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()), user=user) \
        .order_by("-created")


def end_tokens(user) -> int:
    """End every API token of ``user``. Returns how many were ended."""
    deleted, _by_model = AuthToken.objects.filter(user=user).delete()
    return deleted


def end_token(user, token_key: str) -> bool:
    """End one of the user's own tokens, named by its prefix (token_key). False if there is none."""
    deleted, _by_model = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return bool(deleted)


def revoke_tokens(*, username: str | None = None, token_key: str | None = None) -> int:
    """For the command line: end all tokens of a user, or the one token with this prefix."""
    tokens = AuthToken.objects.all()
    if username:
        tokens = tokens.filter(user__username=username)
    if token_key:
        tokens = tokens.filter(token_key=token_key)
    if not (username or token_key):
        raise ValueError("name a user or a token")
    deleted, _by_model = tokens.delete()
    return deleted
