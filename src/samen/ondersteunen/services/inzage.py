"""Inzage and erasure (AVG articles 15 and 17) for the regisseur (``trajectory.inzage``): everything Samen
holds on one resident — the record, signals, trajectories with their history, notes, contact attempts,
profile, measurements, referrals, maatje visits, check-ins, casusoverleg items, the consent history and the
access log of who looked — as JSON and as a readable, tagged PDF; and erasure on a valid request.

Both are written to the access log with purpose ``inzageverzoek``. A resident of another municipality is
refused with a Dutch message and nothing is written. Erasure anonymises ondersteunen's records of the
resident (``retention.blank``: what the reports need stays, without the person) and then erases the
resident's record through core's ``erase_resident`` (whose erase path in vinden blanks the signals' text).
"""

from __future__ import annotations

import base64
import datetime
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import accesslog, policy
from samen.core.models import AccessAction, AccessLogEntry, Purpose, Resident
from samen.core.services import residents as resident_service
from samen.ondersteunen.models import ConsentEvent, HealthDimension, Trajectory
from samen.ondersteunen.services import charts, retention
from samen.ondersteunen.workflow import TRAJECTORY_OPEN


def _resident(user, pk) -> Resident:
    if not policy.can(user, "trajectory.inzage"):
        raise PermissionDenied(_("Alleen de regisseur handelt een inzageverzoek af."))
    resident = Resident.objects.filter(pk=pk).select_related("buurt__wijk").first()
    if resident is None:
        raise Resident.DoesNotExist
    if resident.gemeente_id != user.gemeente_id:
        raise ValidationError(_("Deze inwoner hoort bij een andere gemeente. Een inzage- of verwijderverzoek "
                                "handelt de gemeente van de inwoner zelf af."))
    if not policy.visible(user, Resident).filter(pk=resident.pk).exists():
        raise PermissionDenied(_("U mag de gegevens van deze inwoner niet inzien."))
    return resident


def _dt(value):
    return timezone.localtime(value).isoformat(timespec="minutes") if isinstance(value, datetime.datetime) else value


def collect(user, pk) -> tuple[Resident, dict]:
    """(resident, everything held on them) — reads only; ``export`` logs it."""
    from samen.vinden.models import Signal

    resident = _resident(user, pk)
    signals = list(Signal.objects.filter(resident=resident).select_related("wijk").prefetch_related("events")
                   .order_by("created_at"))
    trajectories = list(Trajectory.objects.filter(resident=resident).select_related("worker", "wijk")
                        .order_by("started_at"))
    data = {
        "gemaakt_op": _dt(timezone.now()),
        "inwoner": {"id": resident.pk, "naam": resident.name, "postcode": resident.postcode,
                    "huisnummer": resident.house_number, "toevoeging": resident.house_number_addition,
                    "buurt": resident.buurt.name if resident.buurt else "",
                    "wijk": resident.buurt.wijk.display_name if resident.buurt else "",
                    "geboortejaar": resident.birth_year, "telefoon": resident.phone, "e_mail": resident.email},
        "signalen": [{
            "id": s.pk, "gemeld_op": _dt(s.created_at), "kanaal": s.get_channel_display(),
            "stand": s.get_status_display(), "wijk": s.wijk.display_name if s.wijk else "",
            "wat_is_opgemerkt": s.observations, "toelichting": s.description,
            "gemelde_contactgegevens": s.reported_contact,
            "geschiedenis": [{"op": _dt(e.at), "door": e.by_label, "van": e.from_status, "naar": e.to_status,
                              "besluit": e.decision, "reden": e.reason} for e in s.events.all()],
        } for s in signals],
        "trajecten": [_trajectory(t) for t in trajectories],
        "toestemmingen": [{"op": _dt(c.at), "doel": c.get_purpose_display(), "gegeven": c.given,
                           "hoe": c.get_how_display(), "door": c.by_label, "toelichting": c.note}
                          for c in ConsentEvent.objects.filter(resident=resident).order_by("at", "id")],
    }
    records = Q(record_type="core.resident", record_id=str(resident.pk))
    records |= Q(record_type="vinden.signal", record_id__in=[str(s.pk) for s in signals])
    records |= Q(record_type="ondersteunen.trajectory", record_id__in=[str(t.pk) for t in trajectories])
    data["toegangslog"] = [{"op": _dt(e.at), "wie": e.actor_label, "actie": e.get_action_display(),
                            "doel": e.get_purpose_display(), "gegeven": e.record_type, "route": e.route}
                           for e in AccessLogEntry.objects.filter(records, gemeente_id=resident.gemeente_id)
                           .order_by("at", "id")]
    return resident, data


def _trajectory(t: Trajectory) -> dict:
    profile = getattr(t, "profile", None)
    return {
        "id": t.pk, "stand": t.get_status_display(), "sociaal_werker": t.worker.get_full_name() if t.worker else "",
        "wijk": t.wijk.display_name if t.wijk else "", "gestart": _dt(t.started_at),
        "eerste_contact": _dt(t.first_contact_at), "afgesloten": _dt(t.closed_at),
        "reden_afsluiten": t.get_closing_reason_display() if t.closing_reason else "",
        "toelichting_afsluiten": t.closing_note, "doel": t.goal,
        "geschiedenis": [{"op": _dt(e.at), "door": e.by_label, "soort": e.get_kind_display(), "van": e.from_status,
                          "naar": e.to_status, "reden": e.reason} for e in t.events.all()],
        "contactpogingen": [{"op": _dt(c.at), "hoe": c.get_method_display(), "uitkomst": c.get_outcome_display(),
                             "notitie": c.note} for c in t.contact_attempts.order_by("at")],
        "notities": [{"op": _dt(n.at), "tekst": n.text} for n in t.notes.order_by("at")],
        "krachtenprofiel": None if profile is None else {
            "goed_in": profile.good_at, "doet_graag": profile.enjoys, "wil_geven": profile.would_like_to_give,
            "wil_vrijwilligerswerk": profile.wants_to_volunteer, "interesses": profile.interests,
            "positieve_gezondheid": profile.health, "belemmeringen": profile.barriers, "talen": profile.languages,
            "beschikbaar": profile.availability, "soort_eenzaamheid": profile.loneliness_kinds},
        "metingen": [{"datum": m.measured_on, "schaal": m.get_scale_display(), "moment": m.get_moment_display(),
                      "antwoorden": m.answers, "score": m.score, "uitkomst": m.category}
                     for m in t.measurements.order_by("measured_on")],
        "verwijzingen": [{
            "id": r.pk, "naar": r.target_label, "stand": r.get_status_display(),
            "voor_de_aanbieder": r.note_for_provider,
            "reden_aanbieder": r.answer_reason, "eerste_keer": r.first_visit_on, "na_6_weken_nog": r.still_going_6w,
            "reden_gestopt": r.end_reason,
            "geschiedenis": [{"op": _dt(e.at), "door": e.by_label, "van": e.from_status, "naar": e.to_status,
                              "reden": e.reason} for e in r.events.all()],
            "maatje": [{"afspraak": _dt(v.meet_at), "waar": v.meet_place, "stand": v.get_status_display(),
                        "verslag": v.report_note} for v in r.maatje_visits.all()],
        } for r in t.referrals.select_related("activity", "intervention", "organisation")],
        "nazorg": [{"gepland": c.due_on, "stand": c.get_status_display(), "gaat_er_nog_heen": c.still_going,
                    "hoe_gaat_het": c.how_is_it, "zorg": c.worry_text} for c in t.checkins.all()],
        "casusoverleg": [{"datum": d.meeting_date, "netwerk": d.network.name, "met_naam": d.by_name,
                          "vraag": d.question, "advies": d.advice,
                          "afspraken": [{"wat": a.description, "wie": a.owner.get_full_name() if a.owner else "",
                                         "uiterlijk": a.due_on, "gedaan": _dt(a.done_at)} for a in d.actions.all()]}
                         for d in t.case_discussions.select_related("network")],
    }


def export(user, pk, *, route: str) -> tuple[Resident, dict]:
    """Collect and log (export, purpose inzageverzoek)."""
    from samen.vinden.models import Signal

    resident, data = collect(user, pk)
    signals = list(Signal.objects.filter(resident=resident))
    accesslog.record(actor=user, action=AccessAction.EXPORT, records=[resident, *signals],
                     purpose=Purpose.INZAGEVERZOEK, route=route)
    return resident, data


def as_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def as_pdf(resident: Resident, data: dict) -> bytes:
    from weasyprint import HTML

    for trajectory in data["trajecten"]:
        health = (trajectory.get("krachtenprofiel") or {}).get("positieve_gezondheid") or {}
        trajectory["spider_uri"] = ("data:image/svg+xml;base64," + base64.b64encode(charts.spider_svg(health).encode())
                                    .decode()) if health else None
        trajectory["health_rows"] = [(d.label, health.get(d.value)) for d in HealthDimension] if health else []
    html = render_to_string("ondersteunen/reports/inzage_pdf.html", {"resident": resident, "data": data})
    return HTML(string=html).write_pdf(pdf_tags=True)


def erasure_consequences(user, pk) -> tuple[Resident, dict]:
    """What erasure will do, for the confirmation page (no log: nothing personal is shown)."""
    resident = _resident(user, pk)
    trajectories = Trajectory.objects.filter(resident=resident)
    return resident, {"trajectories": trajectories.count(),
                      "open": trajectories.filter(status__in=TRAJECTORY_OPEN).count(),
                      "signals": resident.signals.count(),
                      "consents": ConsentEvent.objects.filter(resident=resident).count()}


@transaction.atomic
def erase(user, pk, *, route: str) -> dict:
    """Erase the resident on a valid request: ondersteunen's records are anonymised (kept for the counts),
    then the record itself goes through core (logged as a deletion with purpose inzageverzoek)."""
    if not policy.can(user, "resident.delete"):
        raise PermissionDenied(_("U mag de gegevens van deze inwoner niet verwijderen."))
    resident = _resident(user, pk)
    counts: dict[str, int] = {}
    for trajectory in Trajectory.objects.select_for_update().filter(resident=resident):
        retention.blank(trajectory, counts, erase_resident=False)
    resident_service.erase_resident(user, resident.pk, purpose=Purpose.INZAGEVERZOEK, route=route)
    return counts
