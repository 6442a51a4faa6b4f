"""Demo data of the referral part: one referral waiting for the demo provider (Heikracht) with a maatje asked,
and one confirmed and visited, in aftercare. Also the permission-matrix samples. Safe to load twice."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from samen.core.models import Resident, User
from samen.core.roles import Role
from samen.kwaliteit.models import Activity
from samen.ondersteunen.models import CheckIn, ConsentPurpose, MaatjeVisit, Referral
from samen.ondersteunen.services import consent, maatje, provider_links, referrals, trajectories
from samen.ondersteunen.workflow import ReferralDecision, TrajectoryDecision


def _people(gemeente):
    worker = User.objects.filter(gemeente=gemeente, role=Role.SOCIAAL_WERKER).order_by("id").first()
    regisseur = User.objects.filter(gemeente=gemeente, role=Role.REGISSEUR).order_by("id").first()
    provider = User.objects.filter(gemeente=gemeente, role=Role.AANBIEDER, organisation__isnull=False).order_by(
        "id").first()
    volunteer = User.objects.filter(gemeente=gemeente, role=Role.VRIJWILLIGER).order_by("id").first()
    return worker, regisseur, provider, volunteer


def _activity(gemeente, provider):
    today = timezone.localdate()
    activities = Activity.objects.filter(gemeente=gemeente, status=Activity.Status.PUBLISHED,
                                         organisation=provider.organisation).exclude(rrule="")
    return activities.filter(capacity__isnull=True).order_by("id").first() or activities.filter(
        valid_until__isnull=True).order_by("id").first() or activities.filter(valid_until__gte=today).first()


@transaction.atomic
def load(gemeente) -> str | None:
    if Referral.objects.filter(gemeente=gemeente, match__demo=True).exists():
        return None
    worker, regisseur, provider, volunteer = _people(gemeente)
    if not (worker and regisseur and provider):
        return None
    activity = _activity(gemeente, provider)
    residents = list(Resident.objects.filter(gemeente=gemeente, trajectories__isnull=True).order_by("id")[:2])
    if activity is None or len(residents) < 2:
        return None
    if volunteer is not None:
        maatje.save_profile(volunteer, volunteer, interests=sorted(set(activity.interests) | {"walking"}),
                            availability=["1:morning", "3:afternoon"], active=True)
    system = trajectories.system(gemeente.pk)
    made = []
    for number, resident in enumerate(residents):
        trajectory = trajectories.start(gemeente_id=gemeente.pk, resident=resident, worker=worker, by=system,
                                        goal="Weer onder de mensen komen.")
        trajectories.step(worker, trajectory.pk, TrajectoryDecision.CONTACT)
        for purpose in (ConsentPurpose.SHARE_WITH_PROVIDER, ConsentPurpose.MAATJE, ConsentPurpose.FOLLOW_UP):
            consent.record(regisseur, resident, purpose, True, how="mondeling", trajectory=trajectory)
        referral = referrals.create(worker, trajectory, kind=Referral.Kind.ACTIVITY, activity=activity,
                                    match={"demo": True, "fits": ["praten en ontmoeten", "gratis"]},
                                    note_for_provider="Komt graag de eerste keer met een maatje.",
                                    with_maatje=number == 0)
        referrals.agree(worker, referral.pk)
        referrals.register(worker, referral.pk)
        if number == 0 and volunteer is not None:
            maatje.ask(worker, referral, volunteer, meet_at=timezone.now() + datetime.timedelta(days=3),
                       meet_place="Bij de ingang van het buurthuis")
        if number == 1:
            referrals.answer(provider_links.grant(gemeente.pk), referral.pk, ReferralDecision.CONFIRM)
            referrals.first_visit(worker, referral.pk, timezone.localdate())
        made.append(referral)
    return f"verwijzingen: {len(made)} (één wacht op de aanbieder, één in nazorg)"


def sample(gemeente, kind: str) -> int:
    """A record for the permission-matrix test, visible to the demo worker, provider and volunteer."""
    demo = Referral.objects.filter(gemeente=gemeente, match__demo=True).order_by("id")
    if not demo.exists():
        load(gemeente)
    if kind == "referral":
        return demo.first().pk
    if kind == "trajectory":
        return demo.first().trajectory_id
    if kind == "aftercare_trajectory":
        return demo.last().trajectory_id
    if kind == "checkin":
        return CheckIn.objects.filter(referral__in=demo).order_by("due_on", "id").first().pk
    if kind == "maatjevisit":
        return MaatjeVisit.objects.filter(referral__in=demo).order_by("id").first().pk
    if kind == "volunteer":
        return User.objects.filter(gemeente=gemeente, role=Role.VRIJWILLIGER).order_by("id").first().pk
    raise LookupError(kind)



