"""The maatje: a volunteer who goes along the first time (``workflow.MAATJE``).

The worker sees volunteers suggested by shared interests, area (the volunteer works in the trajectory's wijk)
and the days they are free, and asks one (needs the resident's consent ``maatje``). The volunteer sees only
their own visits, with the resident's first name, where and when; accepts or declines; and after the visit
reports in a minute. A report that they went records the referral's first visit (as the maatje, through a
``Grant("referral.accompany")`` after checking it is their own visit); a worry tells the worker.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen.core import outbox, policy
from samen.core.models import User
from samen.core.states import Grant
from samen.kwaliteit.vocabulary import Interest, PartOfDay
from samen.ondersteunen import workflow
from samen.ondersteunen.models import ConsentPurpose, MaatjeProfile, MaatjeVisit, Referral
from samen.ondersteunen.services import consent, trajectories
from samen.ondersteunen.services.trajectories import actor_label
from samen.ondersteunen.workflow import MaatjeDecision, MaatjeStatus, ReferralStatus

MD, MS = MaatjeDecision, MaatjeStatus
OPEN = (MS.GEVRAAGD, MS.TOEGEZEGD)
BEFORE_FIRST_VISIT = (ReferralStatus.VOORGESTELD, ReferralStatus.AKKOORD, ReferralStatus.AANGEMELD,
                      ReferralStatus.BEVESTIGD)
WEEKDAYS = (gettext_lazy("maandag"), gettext_lazy("dinsdag"), gettext_lazy("woensdag"), gettext_lazy("donderdag"),
            gettext_lazy("vrijdag"), gettext_lazy("zaterdag"), gettext_lazy("zondag"))


# --- the volunteer's profile --------------------------------------------------------------------------------

def availability_choices() -> list[tuple[str, str]]:
    return [(f"{day}:{part}", f"{WEEKDAYS[day]}{PartOfDay(part).label}")
            for day in range(7) for part in PartOfDay.values]


def _clean_codes(values, allowed, field: str, message: str) -> list[str]:
    values = list(values or [])
    if not all(isinstance(v, str) and v in allowed for v in values):
        raise ValidationError({field: [message]})
    return sorted(set(values))


@transaction.atomic
def save_profile(by: User, volunteer: User, *, interests, availability, active: bool = True,
                 max_per_month: int = 4) -> MaatjeProfile:
    """The volunteer's own profile, or one the regisseur keeps for a volunteer."""
    own = by.pk == volunteer.pk and policy.can(by, workflow.ACCOMPANY)
    if not own and not (policy.can(by, workflow.OVERSEE) and by.gemeente_id == volunteer.gemeente_id):
        raise PermissionDenied(_("U mag dit maatjesprofiel niet wijzigen."))
    if not policy.can(volunteer, workflow.ACCOMPANY):
        raise ValidationError({"volunteer": [_("Alleen een vrijwilliger kan maatje zijn.")]})
    interests = _clean_codes(interests, set(Interest.values), "interests", _("Kies interesses uit de lijst."))
    availability = _clean_codes(availability, {code for code, _label in availability_choices()}, "availability",
                                _("Kies dagdelen uit de lijst."))
    if not isinstance(max_per_month, int) or not 1 <= max_per_month <= 31:
        raise ValidationError({"max_per_month": [_("Geef een aantal tussen 1 en 31.")]})
    profile, _created = MaatjeProfile.objects.update_or_create(
        user=volunteer, defaults={"interests": interests, "availability": availability, "active": bool(active),
                                  "max_per_month": max_per_month})
    return profile


# --- suggestions ----------------------------------------------------------------------------------------------

def suggest(referral: Referral, limit: int = 5) -> list[dict]:
    """Active volunteers of the gemeente, ranked by area, shared interests and free days, each with its reasons
    in plain Dutch. A volunteer at their monthly maximum, or already asked for this referral, is left out."""
    trajectory = referral.trajectory
    profile = getattr(trajectory, "profile", None)
    interests = set(getattr(profile, "interests", []) or []) | set(getattr(referral.activity, "interests", []) or [])
    wanted_days = set(getattr(profile, "availability", []) or [])
    activity = referral.activity
    if activity is not None and activity.start_date:
        wanted_days.add(f"{activity.start_date.weekday()}:{activity.part_of_day}")
    month_start = timezone.localdate().replace(day=1)
    asked = set(referral.maatje_visits.values_list("volunteer_id", flat=True))
    candidates = (MaatjeProfile.objects.filter(active=True, user__is_active=True,
                                               user__gemeente_id=referral.gemeente_id,
                                               user__role__in=policy.roles_with(workflow.ACCOMPANY))
                  .select_related("user").prefetch_related("user__wijken"))
    rows = []
    for candidate in candidates:
        if candidate.user_id in asked:
            continue
        this_month = MaatjeVisit.objects.filter(volunteer_id=candidate.user_id, meet_at__date__gte=month_start,
                                                status__in=(MS.TOEGEZEGD, MS.VERSLAG)).count()
        if this_month >= candidate.max_per_month:
            continue
        fits, misses, score = [], [], 0
        if trajectory.wijk_id and trajectory.wijk_id in {w.pk for w in candidate.user.wijken.all()}:
            score += 3
            fits.append(_("werkt in %(wijk)s") % {"wijk": trajectory.wijk.display_name})
        else:
            misses.append(_("niet uit deze wijk"))
        shared = sorted(interests & set(candidate.interests))
        if shared:
            score += 2 * len(shared)
            fits.append(_("houdt ook van %(what)s") % {"what": ", ".join(str(Interest(c).label) for c in shared)})
        free = wanted_days & set(candidate.availability)
        if free:
            score += 2
            fits.append(_("kan op %(when)s") % {"when": ", ".join(dict(availability_choices())[c]
                                                                for c in sorted(free))})
        elif wanted_days:
            misses.append(_("andere dagen vrij"))
        rows.append({"profile": candidate, "volunteer": candidate.user, "score": score, "fits": fits,
                     "misses": misses})
    rows.sort(key=lambda r: (-r["score"], r["volunteer"].pk))
    return rows[:limit]


# --- asking, answering, reporting ---------------------------------------------------------------------------

def _lock(by, pk: int) -> MaatjeVisit:
    queryset = (MaatjeVisit.objects.filter(referral__gemeente_id=by.gemeente_id) if isinstance(by, Grant)
                else policy.visible(by, MaatjeVisit))
    return queryset.select_for_update(of=("self",)).select_related("referral__trajectory", "volunteer").get(pk=pk)


def _visit_link(visit: MaatjeVisit) -> str:
    return outbox.public_url(reverse("verwijzingen:maatjesbezoek", args=[visit.pk]))


@transaction.atomic
def ask(by, referral: Referral, volunteer: User, *, meet_at: datetime.datetime, meet_place: str) -> MaatjeVisit:
    """Ask a volunteer to go along (needs the resident's consent for a maatje)."""
    from samen.ondersteunen.services import referrals

    referral = referrals.lock(by, referral.pk)
    if not policy.can(by, workflow.WORK, referral.trajectory):
        raise PermissionDenied(_("U mag voor deze verwijzing geen maatje vragen."))
    consent.require(referral.trajectory.resident_id, ConsentPurpose.MAATJE, "volunteer")
    if referral.status not in BEFORE_FIRST_VISIT:
        raise ValidationError({"volunteer": [_("Een maatje gaat alleen mee voor de eerste keer; die is al "
                                               "geweest of de verwijzing loopt niet meer.")]})
    profile = MaatjeProfile.objects.filter(user=volunteer, active=True, user__gemeente_id=referral.gemeente_id).first()
    if profile is None or not policy.can(volunteer, workflow.ACCOMPANY):
        raise ValidationError({"volunteer": [_("Kies een vrijwilliger die als maatje beschikbaar is.")]})
    if referral.maatje_visits.filter(status__in=OPEN).exists():
        raise ValidationError({"volunteer": [_("Er is al een maatje gevraagd voor deze verwijzing.")]})
    if meet_at is None or timezone.localdate(meet_at) < timezone.localdate():
        raise ValidationError({"meet_at": [_("Kies een afspraak vanaf vandaag.")]})
    place = (meet_place or "").strip()
    if not place or len(place) > 200:
        raise ValidationError({"meet_place": [_("Zeg kort waar jullie afspreken (hoogstens 200 tekens).")]})
    visit = MaatjeVisit.objects.create(referral=referral, volunteer=volunteer, meet_at=meet_at, meet_place=place)
    if not referral.with_maatje:
        Referral.objects.filter(pk=referral.pk).update(with_maatje=True)
    outbox.enqueue(kind="maatje.asked", subject=_("Wilt u mee als maatje?"),
                   body=_("Een sociaal werker vraagt of u een keer mee wilt gaan als maatje. Bekijk het verzoek en "
                          "zeg ja of nee:") + "\n\n" + _visit_link(visit),
                   recipients=[volunteer], gemeente=referral.gemeente_id, about=visit)
    return visit


def _tell_worker(visit: MaatjeVisit, subject: str, body: str, kind: str) -> None:
    worker = visit.referral.trajectory.worker
    link = outbox.public_url(reverse("verwijzingen:verwijzing_detail", args=[visit.referral_id]))
    outbox.enqueue(kind=kind, subject=subject, body=body + "\n\n" + link, recipients=[worker],
                   gemeente=visit.referral.gemeente_id, about=visit)


@transaction.atomic
def respond(by, pk: int, decision: str, *, reason: str = "") -> MaatjeVisit:
    """The volunteer says yes or no (or, later, can not go after all, with a reason)."""
    if decision not in (MD.ACCEPT, MD.DECLINE):
        raise ValidationError({"decision": [_("Kies: ik ga mee, of ik kan niet.")]})
    visit = _lock(by, pk)
    workflow.MAATJE.apply(visit, decision, by=by, reason=reason)
    visit.save()
    who = actor_label(by)
    if decision == MD.ACCEPT:
        _tell_worker(visit, _("Het maatje gaat mee"), _("%(who)s gaat mee op %(when)s.") % {
            "who": who, "when": timezone.localtime(visit.meet_at).strftime("%d-%m-%Y %H:%M")}, "maatje.accepted")
    else:
        _tell_worker(visit, _("Het maatje kan niet mee"), _("%(who)s kan niet mee. Vraag zo nodig een ander maatje.")
                     % {"who": who}, "maatje.declined")
    return visit


@transaction.atomic
def report(by, pk: int, *, went: bool, how_it_went: int | None = None, worry: bool = False,
           note: str = "") -> MaatjeVisit:
    """The one-minute report after the visit. If they went, the referral's first visit is recorded."""
    from samen.ondersteunen.services import referrals

    visit = _lock(by, pk)
    if timezone.localdate(visit.meet_at) > timezone.localdate():
        raise ValidationError({"went": [_("U kunt verslag geven na de afspraak.")]})
    if went and how_it_went is None:
        raise ValidationError({"how_it_went": [_("Geef aan hoe het ging, van 1 tot en met 5.")]})
    if how_it_went is not None and (not isinstance(how_it_went, int) or not 1 <= how_it_went <= 5):
        raise ValidationError({"how_it_went": [_("Hoe het ging is een cijfer van 1 tot en met 5.")]})
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"report_note": [_("Houd de toelichting onder 500 tekens.")]})
    if worry and not note:
        raise ValidationError({"report_note": [_("Schrijf kort op waar u zich zorgen over maakt.")]})
    workflow.MAATJE.apply(visit, MD.REPORT, by=by)
    visit.went, visit.how_it_went, visit.worry = bool(went), how_it_went if went else None, bool(worry)
    visit.report_note, visit.reported_at = note, timezone.now()
    visit.save()
    referral = visit.referral
    if went and referral.status == ReferralStatus.BEVESTIGD:
        as_maatje = Grant(workflow.ACCOMPANY, _("%(name)s (maatje)") % {"name": actor_label(visit.volunteer)},
                          referral.gemeente_id)
        referrals.first_visit(as_maatje, referral.pk, timezone.localdate(visit.meet_at))
    if worry:
        trajectories.notice(referral.trajectory, trajectories.system(referral.gemeente_id),
                            _("Het maatje maakt zich zorgen: %(note)s") % {"note": note}, maatje_visit=visit.pk)
        _tell_worker(visit, _("Het maatje maakt zich zorgen"),
                     _("Het maatje heeft na het bezoek een zorg gemeld. Lees het verslag in Samen."), "maatje.worry")
    elif not went:
        _tell_worker(visit, _("Niet samen gegaan"), _("Het maatje meldt dat de inwoner niet is meegegaan."),
                     "maatje.not_went")
    return visit


def cancel_for_referral(referral: Referral, *, reason: str) -> int:
    """Every asked or agreed visit of the referral lapses (the volunteer is told); returns how many."""
    system = trajectories.system(referral.gemeente_id)
    count = 0
    for visit in MaatjeVisit.objects.select_for_update().filter(referral=referral, status__in=OPEN):
        workflow.MAATJE.apply(visit, MD.CANCEL, by=system, reason=reason or _("vervallen"))
        visit.save()
        outbox.enqueue(kind="maatje.cancelled", subject=_("Het maatjesbezoek gaat niet door"),
                       body=_("Het bezoek op %(when)s gaat niet door. U hoeft niets te doen.")
                       % {"when": timezone.localtime(visit.meet_at).strftime("%d-%m-%Y %H:%M")},
                       recipients=[visit.volunteer], gemeente=referral.gemeente_id, about=visit)
        count += 1
    return count


def for_volunteer(user):
    """The volunteer's own visits only (``scopes.maatje_visits``)."""
    return (policy.visible(user, MaatjeVisit).filter(volunteer=user)
            .select_related("referral__trajectory__resident", "referral__activity", "referral__organisation")
            .order_by("-meet_at"))
