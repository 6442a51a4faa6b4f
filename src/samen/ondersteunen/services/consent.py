"""Consent per purpose: the one write path of ``ConsentEvent`` (append-only) and the checks that what
depends on a consent has it. A withdrawn consent publishes ``consent.changed``; the parts that depend on
it (a referral's shared contact details, a maatje, a case consultation by name) stop what it allowed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samen.core import events, policy
from samen.core.models import Resident
from samen.ondersteunen.models import ConsentEvent, ConsentPurpose
from samen.ondersteunen.services.trajectories import actor_label

CONSENT_CHANGED = events.declare("consent.changed")  # resident_id, gemeente_id, purpose, given, trajectory_id

NEEDED_FOR = {
    ConsentPurpose.SHARE_WITH_PROVIDER: _("Voor een aanmelding bij een aanbieder is toestemming nodig om de "
                                          "contactgegevens te delen."),
    ConsentPurpose.MAATJE: _("Voor een maatje is toestemming van de inwoner nodig."),
    ConsentPurpose.DISCUSS_BY_NAME: _("Met naam bespreken in het zorgnetwerk kan alleen met toestemming van "
                                      "de inwoner."),
    ConsentPurpose.FOLLOW_UP: _("Voor een vervolgmeting is toestemming van de inwoner nodig."),
}


def current(resident_id: int | None, purpose: str) -> bool:
    """Whether the resident's latest word on this purpose is "yes" (no word is no)."""
    if resident_id is None:
        return False
    latest = ConsentEvent.objects.filter(resident_id=resident_id, purpose=purpose).order_by("-at", "-id").first()
    return bool(latest and latest.given)


def current_all(resident_id: int | None) -> dict[str, bool]:
    """The resident's latest word on every purpose, in one query (the same rule as ``current``)."""
    if resident_id is None:
        return dict.fromkeys(ConsentPurpose.values, False)
    return current_of(ConsentEvent.objects.filter(resident_id=resident_id).order_by("-at", "-id"))


def current_of(history) -> dict[str, bool]:
    """The latest word per purpose in a resident's history read newest first (order_by("-at", "-id"))."""
    answer = dict.fromkeys(ConsentPurpose.values, False)
    seen = set()
    for event in history:
        if event.purpose not in seen:
            seen.add(event.purpose)
            answer[event.purpose] = event.given
    return answer


def require(resident_id: int | None, purpose: str, field: str = "consent") -> None:
    """Refuse (in Dutch, on ``field``) what needs this consent when the resident has not given it."""
    if not current(resident_id, purpose):
        raise ValidationError({field: [NEEDED_FOR[ConsentPurpose(purpose)]]})


@transaction.atomic
def record(by, resident: Resident, purpose: str, given: bool, *, how: str, trajectory=None,
           note: str = "") -> ConsentEvent:
    """Append the resident's consent (given or withdrawn) for one purpose."""
    if not policy.can(by, "trajectory.work", resident) and not policy.can(by, "resident.change", resident):
        raise PermissionDenied(_("U mag de toestemming van deze inwoner niet vastleggen."))
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": [_("Kies waarvoor de toestemming geldt.")]})
    if how not in ConsentEvent.How.values:
        raise ValidationError({"how": [_("Kies hoe de inwoner de toestemming gaf of introk.")]})
    if trajectory is not None and trajectory.resident_id != resident.pk:
        raise ValidationError({"trajectory": [_("Dit traject hoort bij een andere inwoner.")]})
    event = ConsentEvent.objects.create(
        gemeente_id=resident.gemeente_id, resident=resident, trajectory=trajectory, purpose=purpose, given=given,
        how=how, by=by, by_label=actor_label(by), note=(note or "").strip()[:500])
    events.publish(CONSENT_CHANGED, resident_id=resident.pk, gemeente_id=resident.gemeente_id, purpose=purpose,
                   given=given, trajectory_id=getattr(trajectory, "pk", None))
    return event
