"""Ondersteunen's demo data (``samen demo``), registered in ``parts/reports.py``.

Deterministic (seeded) and idempotent: a second run finds its marker (the casusoverleg agenda) and adds
nothing. Built after the networks and the catalogue:

* (``samen demo`` only, the extra loader ``ondersteunen.signals``) demo signals across the wijken, each
  linked to a demo trajectory of its wijk and given to social work through vinden's own triage (so the
  event path is used when the demo commits), the 75+ visit's signal among them;
* trajectories in every state, with profiles, measurements, contact attempts, referrals answered and
  unanswered, a maatje (the demo volunteer) and a maatje visit, check-ins that went better and worse;
* the demo social worker's caseload with a first contact due today, one overdue, a check-in due today;
* the demo provider's organisation with referrals waiting for an answer;
* a casusoverleg agenda for Zorgnetwerk Noord-Oost (one item by name with consent, one pseudonymised),
  and a past meeting with advice and action points;
* about 120 closed trajectories of the past two years with closed referrals to the demo activities: enough
  for two activities that the local evidence shows (at least the gemeente's ``min_cell_size``), too few
  for the others, so there it is suppressed. Three of them closed longer ago than the retention period,
  so the first ``samen jobs run`` anonymises them.

Rows are made directly with the models, each with its history rows (``TrajectoryEvent``, ``ReferralEvent``);
their states are set by the workflows' own ``apply()`` (as the worker, the volunteer), without the services'
side effects (no e-mails, no events): the demo shows states, it does not replay the work.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Q
from django.utils import timezone

from samen.core.models import Buurt, Gemeente, PostcodeRange, Resident, User, Wijk
from samen.core.roles import Role
from samen.kwaliteit.models import Activity
from samen.ondersteunen import workflow
from samen.ondersteunen.models import (
    CaseAction,
    CaseDiscussion,
    CheckIn,
    ConsentEvent,
    ContactAttempt,
    MaatjeProfile,
    MaatjeVisit,
    Measurement,
    Note,
    Profile,
    Referral,
    ReferralEvent,
    SupportSettings,
    Trajectory,
    TrajectoryEvent,
)
from samen.ondersteunen.workflow import (
    CheckInDecision,
    ClosingReason,
    MaatjeDecision,
    ReferralStatus,
    TrajectoryStatus,
)
from samen.samenwerken.models import Zorgnetwerk

SEED = 2026
FIRST_NAMES = ("Annie", "Bep", "Cor", "Dini", "Els", "Fenna", "Gerrit", "Hanneke", "Ina", "Joop", "Kees", "Lies",
               "Mien", "Nel", "Otto", "Piet", "Riek", "Sjaak", "Truus", "Wim", "Ans", "Bram", "Corrie", "Dirk", "Eef",
               "Frits")
LAST_NAMES = ("Verbeek", "Zwart", "Groenewegen", "Hoogland", "Brinkman", "Oosterhuis", "Kramer", "Wolters",
              "Schipper", "Veldkamp", "Dijkstra", "Evers", "Lammers", "Timmer", "Roelofs")
DESCRIPTIONS = ("Mevrouw komt de deur bijna niet meer uit", "Meneer zit sinds de dood van zijn vrouw veel alleen",
                "Buurvrouw zegt dat ze niemand meer spreekt", "Komt niet meer naar de koffieochtend",
                "Vertelde bij de kassa dat hij zich eenzaam voelt")
NETWORK = "Zorgnetwerk Noord-Oost"
# The closed referrals of the past: (activity index, how many, share still going after 6 weeks).
EVIDENCE = ((0, 56, 0.7), (1, 52, 0.55), (2, 9, 0.6), (3, 4, 0.5))
T, R = TrajectoryStatus, ReferralStatus

# DJG-6 answers (1 = ja, 2 = min of meer, 3 = nee) and what they score: lower is less lonely.
ANSWERS = {0: [3, 3, 3, 1, 1, 1], 1: [2, 3, 3, 1, 1, 1], 2: [1, 3, 3, 1, 2, 1], 3: [1, 1, 3, 1, 2, 1],
           4: [1, 1, 1, 2, 1, 3], 5: [1, 1, 1, 3, 3, 1], 6: [1, 1, 1, 3, 3, 3]}


def _category(score: int) -> str:
    from samen.weten import scales

    return scales.NIET if score <= 1 else (scales.MATIG if score <= 4 else scales.ERNSTIG)


def _measure(trajectory, on: datetime.date, score: int, moment: str, by=None) -> Measurement:
    return Measurement.objects.create(trajectory=trajectory, scale="djg6", moment=moment, measured_on=on,
                                      answers=ANSWERS[score], score=score, category=_category(score), by=by)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class _Builder:
    def __init__(self, gemeente: Gemeente, today: datetime.date):
        self.gemeente, self.today = gemeente, today
        self.rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
        self.regisseur = User.objects.get(username="regisseur")
        self.sw = User.objects.get(username="sociaalwerker")
        self.wijken = list(Wijk.objects.filter(gemeente=gemeente).order_by("code"))
        self.workers = self._workers()
        self.n_residents = 0

    # --- people ---------------------------------------------------------------------------------------
    def _workers(self) -> dict[int, User]:
        """The demo social worker for Noord-Oost and Zuid-Oost; one colleague (no login) for the other wijken."""
        colleague, _created = User.objects.get_or_create(
            username="sociaalwerker.collega",
            defaults={"gemeente": self.gemeente, "role": Role.SOCIAAL_WERKER, "first_name": "Sanne",
                      "last_name": "Collega", "organisation": self.sw.organisation, "is_active": True})
        colleague.set_unusable_password()
        colleague.save()
        others = [w for w in self.wijken if not self.sw.wijken.filter(pk=w.pk).exists()]
        colleague.wijken.set(others)
        return {w.pk: (self.sw if w not in others else colleague) for w in self.wijken}

    def resident(self, wijk: Wijk, birth_year: int) -> Resident:
        self.n_residents += 1
        buurt = Buurt.objects.filter(wijk=wijk).order_by("code")[self.n_residents % max(1, wijk.buurten.count())]
        pc = PostcodeRange.objects.filter(buurt=buurt).order_by("postcode").first()
        # Unique, and unlike the other demo residents' names (a name is never part of another one).
        name = f"{FIRST_NAMES[self.n_residents % 26]} {LAST_NAMES[(self.n_residents // 26) % len(LAST_NAMES)]}"
        return Resident.objects.create(
            gemeente=self.gemeente, name=name, buurt=buurt,
            postcode=pc.postcode if pc else "", house_number=(pc.number_from if pc else None) or None,
            birth_year=birth_year, phone=f"035-6{self.n_residents:06d}")

    # --- a trajectory with its history ----------------------------------------------------------------
    def trajectory(self, *, status: str, wijk: Wijk, started: datetime.date, resident=None, signal=None,
                   worker=None, channel: str = "staff", age_group: str = "75+", closing_reason: str = "",
                   closed: datetime.date | None = None, first_contact: datetime.date | None = None,
                   first_contact_due: datetime.date | None = None, goal: str = "") -> Trajectory:
        worker = worker or self.workers[wijk.pk]
        trajectory = Trajectory.objects.create(
            gemeente=self.gemeente, resident=resident, signal=signal, worker=worker, wijk=wijk,
            age_group=age_group, channel=channel,
            first_contact_due=first_contact_due or started + datetime.timedelta(7),
            first_contact_at=_at(first_contact) if first_contact else None,
            last_contact_at=_at(first_contact) if first_contact else None,
            closed_at=_at(closed, 16) if closed else None, closing_reason=closing_reason, goal=goal,
            reopened_count=1 if status == T.HEROPEND else 0)
        Trajectory.objects.filter(pk=trajectory.pk).update(started_at=_at(started, 9))
        self.event(trajectory, started, TrajectoryEvent.Kind.STARTED, "", T.AANGEMELD,
                   details={"worker": worker.pk, "signal": getattr(signal, "pk", None)})
        path = {T.AANGEMELD: [], T.IN_CONTACT: [T.IN_CONTACT], T.PLAN: [T.IN_CONTACT, T.PLAN],
                T.DOORVERWEZEN: [T.IN_CONTACT, T.PLAN, T.DOORVERWEZEN],
                T.NAZORG: [T.IN_CONTACT, T.PLAN, T.DOORVERWEZEN, T.NAZORG],
                T.HEROPEND: [T.IN_CONTACT, T.PLAN, T.DOORVERWEZEN, T.NAZORG, T.HEROPEND],
                T.NIET_BEREIKT: [T.NIET_BEREIKT], T.AFGEZIEN: [T.IN_CONTACT, T.AFGEZIEN],
                T.AFGESLOTEN: ([T.NIET_BEREIKT] if closing_reason == ClosingReason.NIET_BEREIKT
                               else [T.IN_CONTACT, T.PLAN, T.DOORVERWEZEN, T.NAZORG]) + [T.AFGESLOTEN]}[status]
        decisions = {T.IN_CONTACT: "contact", T.PLAN: "plan", T.DOORVERWEZEN: "refer", T.NAZORG: "aftercare",
                     T.HEROPEND: "reopen", T.NIET_BEREIKT: "not_reached", T.AFGEZIEN: "decline",
                     T.AFGESLOTEN: "close"}
        end = closed or self.today
        before = T.AANGEMELD
        for i, target in enumerate(path, start=1):
            day = min(end, started + datetime.timedelta(days=max(1, (end - started).days * i // (len(path) + 1))))
            reason = {T.HEROPEND: "Check-in: score slechter dan bij de start.", T.AFGEZIEN: "Wil nu geen hulp.",
                      T.AFGESLOTEN: ClosingReason(closing_reason).label if closing_reason else ""}.get(target, "")
            workflow.TRAJECTORY.apply(trajectory, decisions[target], by=worker, reason=str(reason) or "demo",
                                      closing_reason=closing_reason)
            self.event(trajectory, day, TrajectoryEvent.Kind.TRANSITION, before, target, decisions[target],
                       reason=str(reason))
            before = target
        trajectory.save(update_fields=["status"])
        return trajectory

    def event(self, trajectory, day, kind, from_status, to_status, decision="", reason="", details=None):
        event = TrajectoryEvent.objects.create(
            trajectory=trajectory, by=trajectory.worker, by_label=trajectory.worker.get_full_name(), kind=kind,
            from_status=from_status, to_status=to_status, decision=decision, reason=reason, details=details or {})
        TrajectoryEvent.objects.filter(pk=event.pk).update(at=_at(day, 11))
        return event

    def referral(self, trajectory, activity, status: str, created: datetime.date, *, first_visit=None,
                 still_going=None, answer_reason="", end_reason="", with_maatje=False) -> Referral:
        referral = Referral.objects.create(
            gemeente=self.gemeente, trajectory=trajectory, kind=Referral.Kind.ACTIVITY, activity=activity,
            organisation=activity.organisation, with_maatje=with_maatje,
            created_by=trajectory.worker, note_for_provider="Komt graag eerst kijken; slechthorend.",
            match={"score": 0.8, "fits": ["dichtbij", "gratis"], "misses": []},
            sent_at=_at(created, 12) if status not in (R.VOORGESTELD, R.AKKOORD) else None,
            answered_at=(_at(created + datetime.timedelta(2), 12)
                         if status not in (R.VOORGESTELD, R.AKKOORD, R.AANGEMELD) else None),
            answer_reason=answer_reason, first_visit_on=first_visit, still_going_6w=still_going,
            ended_at=_at(first_visit + datetime.timedelta(50)) if status == R.GESTOPT and first_visit else None,
            end_reason=end_reason)
        Referral.objects.filter(pk=referral.pk).update(created_at=_at(created, 10))
        steps = {R.VOORGESTELD: [], R.AKKOORD: [R.AKKOORD], R.AANGEMELD: [R.AKKOORD, R.AANGEMELD],
                 R.BEVESTIGD: [R.AKKOORD, R.AANGEMELD, R.BEVESTIGD],
                 R.AFGEWEZEN: [R.AKKOORD, R.AANGEMELD, R.AFGEWEZEN],
                 R.EERSTE_KEER: [R.AKKOORD, R.AANGEMELD, R.BEVESTIGD, R.EERSTE_KEER],
                 R.BLIJFT_KOMEN: [R.AKKOORD, R.AANGEMELD, R.BEVESTIGD, R.EERSTE_KEER, R.BLIJFT_KOMEN],
                 R.GESTOPT: [R.AKKOORD, R.AANGEMELD, R.BEVESTIGD, R.EERSTE_KEER, R.GESTOPT]}[status]
        decisions = {R.AKKOORD: "agree", R.AANGEMELD: "register", R.BEVESTIGD: "confirm", R.AFGEWEZEN: "reject",
                     R.EERSTE_KEER: "first_visit", R.BLIJFT_KOMEN: "keeps_coming", R.GESTOPT: "stop"}
        event = ReferralEvent.objects.create(referral=referral, by=trajectory.worker,
                                             by_label=trajectory.worker.get_full_name(), to_status=R.VOORGESTELD)
        ReferralEvent.objects.filter(pk=event.pk).update(at=_at(created, 10))
        before = R.VOORGESTELD
        for i, target in enumerate(steps):
            workflow.REFERRAL.apply(referral, decisions[target], by=trajectory.worker,
                                    reason=answer_reason or end_reason or "demo")
            provider = target in (R.BEVESTIGD, R.AFGEWEZEN)
            event = ReferralEvent.objects.create(
                referral=referral, by=None if provider else trajectory.worker,
                by_label="Aanbieder via e-maillink" if provider else trajectory.worker.get_full_name(),
                from_status=before, to_status=target, decision=decisions[target],
                reason=answer_reason if target == R.AFGEWEZEN else (end_reason if target == R.GESTOPT else ""))
            ReferralEvent.objects.filter(pk=event.pk).update(at=_at(created + datetime.timedelta(i), 13))
            before = target
        referral.save(update_fields=["status"])
        return referral

    def consent(self, resident, trajectory, purpose, given=True, day=None):
        event = ConsentEvent.objects.create(gemeente=self.gemeente, resident=resident, trajectory=trajectory,
                                            purpose=purpose, given=given, how=ConsentEvent.How.MONDELING,
                                            by=trajectory.worker, by_label=trajectory.worker.get_full_name())
        ConsentEvent.objects.filter(pk=event.pk).update(at=_at(day or self.today, 10))

    def profile(self, trajectory, interests):
        rng = self.rng
        Profile.objects.create(
            trajectory=trajectory, good_at="Vertellen over vroeger, tuinieren.", enjoys="Koffie drinken, wandelen.",
            would_like_to_give="Wil graag iets voor een ander doen.", wants_to_volunteer=rng.random() < 0.3,
            interests=interests, barriers=rng.sample(["mobility", "money", "hearing_sight", "digital"], 2),
            health={d: rng.randint(3, 8) for d in ("lichaamsfuncties", "mentaal_welbevinden", "zingeving",
                                                   "kwaliteit_van_leven", "meedoen", "dagelijks_functioneren")},
            languages=["nl"], availability=["1:morning", "3:afternoon"], loneliness_kinds=["social"],
            updated_by=trajectory.worker)


def load_signals(gemeente: Gemeente) -> str | None:
    """The extra part (``samen demo`` only, after the 75+ visits): demo signals across the wijken through
    vinden's own intake, each linked to a demo trajectory of its wijk that has none yet, then given to social
    work through vinden's own triage; the 75+ visit's signal among them. Signals of the same wijk beyond the
    trajectories get theirs through the ``signal.triaged`` event when the demo commits."""
    from samen.vinden.models import IdempotencyRecord, Signal
    from samen.vinden.services.signals import submit_signal, triage

    if (not Trajectory.objects.filter(gemeente=gemeente).exists()
            or IdempotencyRecord.objects.filter(scope="demo-ondersteunen").exists()):
        return None  # nothing to link to, or loaded already
    regisseur = User.objects.get(username="regisseur")
    wijken = list(Wijk.objects.filter(gemeente=gemeente).order_by("code"))
    sw_wijken = set(User.objects.get(username="sociaalwerker").wijken.values_list("pk", flat=True))
    # The demo district nurse passed two signals of her own wijk on, so that *Mijn meldingen* shows her
    # their stage (the rest came in without a reporter who logs in).
    partner = User.objects.filter(username="partner", gemeente=gemeente).first()
    partner_wijken = set(partner.wijken.values_list("pk", flat=True)) if partner else set()
    signals = []
    channels = ["staff", "resident_self", "resident_concern", "volunteer", "staff", "organisation"]
    for i, wijk in enumerate(wijken):
        pc = PostcodeRange.objects.filter(buurt__wijk=wijk).order_by("postcode").first()
        if pc is None:
            continue
        for j in range(3 if wijk.pk in sw_wijken else 1):
            by_partner = wijk.pk in partner_wijken and j < 2
            submission = submit_signal(
                gemeente, channel="staff" if by_partner else channels[(i + j) % len(channels)],
                reporter=partner if by_partner else None,
                data={"postcode": pc.postcode, "house_number": pc.number_from, "observations": ["weinig_bezoek"],
                      "description": f"{DESCRIPTIONS[(i + j) % len(DESCRIPTIONS)]} ({wijk.code}, {j + 1})",
                      "age_group": "75+"},
                idempotency=("demo-ondersteunen", f"{wijk.code}-{j}"))
            signals.append(submission.signal)
    visit = Signal.objects.filter(gemeente=gemeente, channel="home_visit", status="new").order_by("pk").first()
    if visit is not None:
        signals.insert(0, visit)
    linked = given = 0
    for signal in signals:
        if signal.status != "new" or signal.wijk_id is None:
            continue
        trajectory = (Trajectory.objects.filter(gemeente=gemeente, wijk_id=signal.wijk_id, signal__isnull=True,
                                                closed_at__isnull=True, resident__isnull=False)
                      .exclude(status=T.AFGESLOTEN).select_related("worker").order_by("pk").first())
        worker = trajectory.worker if trajectory is not None else None
        if worker is None:
            worker = User.objects.filter(gemeente=gemeente, role=Role.SOCIAAL_WERKER,
                                         wijken=signal.wijk_id).order_by("pk").first()
        if worker is None:
            continue
        if trajectory is not None:
            Signal.objects.filter(pk=signal.pk).update(resident=trajectory.resident)
            Trajectory.objects.filter(pk=trajectory.pk).update(signal=signal, channel=signal.channel)
            linked += 1
        triage(regisseur, signal.pk, "social_work", assign_to=worker, reason="Demo: sociaal werk pakt het op.")
        given += 1
    return f"Ondersteunen: {given} demo signals given to social work, {linked} linked to a trajectory."


def load(gemeente: Gemeente, today: datetime.date | None = None) -> str | None:
    network = Zorgnetwerk.objects.filter(gemeente=gemeente, name=NETWORK).first()
    if network is None or CaseDiscussion.objects.filter(network=network).exists():
        return None  # loaded already (or no networks: nothing to build on)
    today = today or timezone.localdate()
    SupportSettings.for_gemeente(gemeente)
    b = _Builder(gemeente, today)
    activities = list(Activity.objects.filter(gemeente=gemeente, status="published").select_related("organisation")
                      .order_by("pk"))
    if len(activities) < 4:
        return None
    provider_org = User.objects.get(username="aanbieder").organisation
    own = [a for a in activities if a.organisation_id == provider_org.pk]
    if not own:  # the demo provider needs referrals to answer: give it the first activity's place
        own = [activities[0]]
    noord_oost = next(w for w in b.wijken if w.code == "WK040207")

    # --- the current caseload (the extra loader gives them the demo signals triage gave to social work) -----
    states = [T.AANGEMELD, T.AANGEMELD, T.IN_CONTACT, T.PLAN, T.DOORVERWEZEN, T.NAZORG, T.HEROPEND,
              T.NIET_BEREIKT, T.AFGEZIEN, T.AFGESLOTEN]
    made: dict[str, list[Trajectory]] = {}
    for i, state in enumerate(states + [T.IN_CONTACT, T.DOORVERWEZEN, T.NAZORG] * 2):
        signal = None
        wijk = noord_oost if i < 10 else b.wijken[i % len(b.wijken)]  # the demo social worker's own caseload
        resident = b.resident(wijk, 1936 + i * 3)
        started = today - datetime.timedelta(days={T.AANGEMELD: 6, T.IN_CONTACT: 20, T.PLAN: 30}.get(state, 70))
        due = today if i == 0 else (today - datetime.timedelta(days=3) if i == 1 else started + datetime.timedelta(7))
        contacted = None if state in (T.AANGEMELD, T.NIET_BEREIKT) else started + datetime.timedelta(3)
        trajectory = b.trajectory(
            status=state, wijk=wijk, started=started, resident=resident, signal=signal,
            worker=b.sw if i < 10 else None, channel="staff",
            first_contact=contacted, first_contact_due=due,
            closing_reason=ClosingReason.DOEL_BEREIKT if state == T.AFGESLOTEN else "",
            closed=today - datetime.timedelta(days=2) if state == T.AFGESLOTEN else None,
            goal="Weer iets buiten de deur doen, een vaste afspraak in de week.")
        made.setdefault(state, []).append(trajectory)
        for k in range(3 if state == T.NIET_BEREIKT else 1):
            ContactAttempt.objects.create(
                trajectory=trajectory, at=_at(started + datetime.timedelta(days=1 + k * 2), 10 + k),
                by=trajectory.worker,
                method=ContactAttempt.Method.PHONE if k != 1 else ContactAttempt.Method.VISIT,
                outcome=ContactAttempt.Outcome.REACHED if contacted and k == 0 else ContactAttempt.Outcome.NO_ANSWER,
                note="Gebeld, afspraak gemaakt." if contacted else "Geen gehoor.")
        if contacted:
            b.profile(trajectory, ["conversation", "walking"] if i % 2 else ["music", "crafts"])
            _measure(trajectory, contacted, 4 if i % 2 else 3, Measurement.Moment.START, trajectory.worker)
            Note.objects.create(trajectory=trajectory, by=trajectory.worker,
                                text="Eerste gesprek thuis; wil graag weer onder de mensen komen.")
            b.consent(resident, trajectory, "share_with_provider", day=contacted)
        if state in (T.DOORVERWEZEN, T.NAZORG, T.HEROPEND):
            activity = own[i % len(own)] if state == T.DOORVERWEZEN else activities[i % len(activities)]
            status = R.AANGEMELD if state == T.DOORVERWEZEN else R.EERSTE_KEER
            first = today - datetime.timedelta(days=42) if status == R.EERSTE_KEER else None
            referral = b.referral(trajectory, activity, status, started + datetime.timedelta(10), first_visit=first,
                                  with_maatje=(state == T.DOORVERWEZEN and i < 10))
            if status == R.EERSTE_KEER:
                for offset in (14, 42):
                    done = offset == 14
                    checkin = CheckIn.objects.create(
                        trajectory=trajectory, referral=referral, offset_days=offset,
                        due_on=first + datetime.timedelta(days=offset),
                        attempts=1 if done else 0, by=trajectory.worker if done else None,
                        done_at=_at(first + datetime.timedelta(days=offset)) if done or state == T.HEROPEND else None,
                        still_going="yes" if done else ("no" if state == T.HEROPEND else ""),
                        how_is_it=4 if done else (2 if state == T.HEROPEND else None))
                    if done or state == T.HEROPEND:
                        workflow.CHECKIN.apply(checkin, CheckInDecision.RECORD, by=trajectory.worker)
                        checkin.save(update_fields=["status"])
                        worse = state == T.HEROPEND and offset == 42
                        measurement = _measure(trajectory, checkin.due_on, 6 if worse else 2,
                                               Measurement.Moment.CHECKIN, trajectory.worker)
                        CheckIn.objects.filter(pk=checkin.pk).update(measurement=measurement)

    # Another referral of the provider's, waiting long enough for a nudge.
    waiting = made[T.PLAN][0]
    b.referral(waiting, own[0], R.AANGEMELD, today - datetime.timedelta(days=9))

    # --- the maatje -------------------------------------------------------------------------------------
    vrijwilliger = User.objects.get(username="vrijwilliger")
    MaatjeProfile.objects.update_or_create(user=vrijwilliger, defaults={
        "active": True, "interests": ["walking", "conversation", "music"],
        "availability": ["1:morning", "3:afternoon", "4:morning"], "max_per_month": 4})
    with_maatje = Referral.objects.filter(trajectory__in=made[T.DOORVERWEZEN], with_maatje=True).first()
    if with_maatje is not None:
        b.consent(with_maatje.trajectory.resident, with_maatje.trajectory, "maatje")
        visit = MaatjeVisit.objects.create(referral=with_maatje, volunteer=vrijwilliger,
                                           meet_at=_at(today + datetime.timedelta(days=3), 10),
                                           meet_place="Bij de ingang van het buurthuis")
        workflow.MAATJE.apply(visit, MaatjeDecision.ACCEPT, by=vrijwilliger)
        visit.save(update_fields=["status"])

    # --- the casusoverleg -------------------------------------------------------------------------------
    meeting = today + datetime.timedelta(days=7)
    past = today - datetime.timedelta(days=14)
    by_name, pseudonymous, earlier = made[T.PLAN][0], made[T.NIET_BEREIKT][0], made[T.HEROPEND][0]
    b.consent(by_name.resident, by_name, "discuss_by_name")
    for trajectory, day, named, question in (
            (by_name, meeting, True, "Wie kent in de buurt een activiteit op zaterdag? Doordeweeks zorgt zij voor "
                                     "haar man."),
            (pseudonymous, meeting, False, "Drie keer niet bereikt. Ziet een van de partners deze inwoner?"),
            (earlier, past, False, "Gestopt bij de activiteit en somberder. Wat kan het netwerk doen?")):
        item = CaseDiscussion.objects.create(gemeente=gemeente, network=network, meeting_date=day,
                                             trajectory=trajectory, by_name=named, question=question,
                                             added_by=trajectory.worker)
        if day < today:
            CaseDiscussion.objects.filter(pk=item.pk).update(
                advice="De wijkverpleegkundige gaat langs; daarna samen naar de eettafel.", discussed_at=_at(day, 15))
            partner = User.objects.get(username="partner")
            CaseAction.objects.create(discussion=item, description="Huisbezoek door de wijkverpleegkundige",
                                      owner=partner, due_on=today)
            CaseAction.objects.create(discussion=item, description="Eettafel vragen naar een plek",
                                      owner=trajectory.worker, due_on=today - datetime.timedelta(days=3),
                                      done_at=_at(today - datetime.timedelta(days=4)))
            b.event(trajectory, day, TrajectoryEvent.Kind.NOTICE, "", "",
                    reason="Besproken in het casusoverleg", details={"case_discussion": item.pk})

    # --- the past: closed trajectories with closed referrals (the local evidence) ---------------------------
    count = 0
    for index, n, keep in EVIDENCE:
        activity = activities[index]
        for k in range(n):
            count += 1
            wijk = b.wijken[(count * 7) % len(b.wijken)]
            started = today - datetime.timedelta(days=60 + (count * 37) % 600)
            old = count <= 3  # closed longer ago than the retention period
            if old:
                started = today - datetime.timedelta(days=1000)  # closed 800 days (26 months) ago
            closed = started + datetime.timedelta(days=200)
            going = k < round(n * keep)
            reason = ClosingReason.DOEL_BEREIKT if going else b.rng.choice(
                [ClosingReason.ZELF_VERDER, ClosingReason.WIL_NIET, ClosingReason.ANDERE_HULP])
            resident = b.resident(wijk, 1935 + count % 40) if old or count % 5 == 0 else None
            trajectory = b.trajectory(
                status=T.AFGESLOTEN, wijk=wijk, started=started, closed=closed, closing_reason=reason,
                resident=resident, channel=["staff", "resident_self", "home_visit", "volunteer"][count % 4],
                age_group=["75+", "65-74", "26-64"][count % 3],
                first_contact=started + datetime.timedelta(days=1 + count % 6))
            first = started + datetime.timedelta(days=21)
            b.referral(trajectory, activity, R.BLIJFT_KOMEN if going else R.GESTOPT, started + datetime.timedelta(14),
                       first_visit=first, still_going=going,
                       end_reason="" if going else "Voelde zich er niet thuis.")
            start_score = 3 + count % 3
            _measure(trajectory, started + datetime.timedelta(days=2), start_score, Measurement.Moment.START)
            for offset in (91, 182):
                after = max(0, start_score - (2 if going else -1) + (count % 2))
                _measure(trajectory, first + datetime.timedelta(days=offset), min(6, after), Measurement.Moment.CHECKIN)
            if resident is not None:
                b.consent(resident, trajectory, "share_with_provider", day=started)
                Note.objects.create(trajectory=trajectory, by=trajectory.worker, text="Gaat goed, komt er graag.")
    open_count = Trajectory.objects.filter(gemeente=gemeente).filter(~Q(status__in=[T.AFGESLOTEN])).count()
    return (f"Ondersteunen: {open_count} open trajectories, {count} closed ones with referrals (local evidence), "
            f"a casusoverleg agenda for {NETWORK}.")
