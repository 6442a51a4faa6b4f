"""Loneliness measurements on a trajectory, scored by the monitor's scale module (``weten.scales``):
the 6-item De Jong Gierveld scale by default, the 11-item scale and UCLA-3 as well."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.ondersteunen.models import Measurement, Trajectory
from samen.weten import scales

ITEMS = {"djg6": scales.DJG6.items, "djg11": scales.DJG11.items, "ucla3": (1, 2, 3)}
# Higher is lonelier on every scale; a move up one category counts as "worse".
CATEGORY_ORDER = [scales.NIET, scales.MATIG, scales.ERNSTIG, scales.ZEER_ERNSTIG]


def score(scale: str, answers: list) -> tuple[int, str]:
    """(total, category) for the answers, or ValidationError in Dutch."""
    try:
        if scale == "ucla3":
            result = scales.score_ucla3(answers)
            category = _("eenzaam") if result and result.lonely else _("niet eenzaam")
        elif scale in scales.DJG_SCALES:
            result = scales.score_djg(scales.DJG_SCALES[scale], answers)
            category = result.category if result else ""
        else:
            raise ValidationError({"scale": [_("Kies een schaal.")]})
    except (scales.InvalidAnswer, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise ValidationError({"answers": [_("Een antwoord past niet bij de schaal: %(error)s") % {"error": exc}]}) \
            from None
    if result is None:
        raise ValidationError({"answers": [_("Te veel vragen zijn niet beantwoord om een score te geven.")]})
    return result.total, category


def rank(category: str) -> int:
    return CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else -1


@transaction.atomic
def record(by, trajectory: Trajectory, *, scale: str, answers: list, moment: str,
           measured_on: datetime.date | None = None) -> Measurement:
    if not trajectory.is_open and moment != Measurement.Moment.CHECKIN:
        raise ValidationError({"answers": [_("Op een afgesloten traject komt geen meting meer.")]})
    if moment not in Measurement.Moment.values:
        raise ValidationError({"moment": [_("Kies het moment van de meting.")]})
    measured_on = measured_on or timezone.localdate()
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": [_("Een meting ligt niet in de toekomst.")]})
    total, category = score(scale, answers)
    return Measurement.objects.create(trajectory=trajectory, scale=scale, moment=moment, measured_on=measured_on,
                                      answers=list(answers), score=total, category=category,
                                      by=by if getattr(by, "is_authenticated", False) else None)


def got_worse(before: Measurement | None, after: Measurement) -> bool:
    """Up one category or more on the same scale."""
    if before is None or before.scale != after.scale:
        return False
    return rank(after.category) > rank(before.category)
