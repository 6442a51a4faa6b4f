"""The friendly "repeat" helper of the activity form: none / every week on some days / every N weeks / the
Nth weekday of the month. ``compose`` makes the iCalendar RRULE on the server; ``decompose`` reads a rule
back, so an edit starts where the provider left off."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy

from samen.kwaliteit import schedule
from samen.kwaliteit.vocabulary import WEEKDAYS

DAY_CODES = schedule.DAY_CODES
ORDINALS = (1, 2, 3, 4, -1)


class Repeat(models.TextChoices):
    NONE = "none", gettext_lazy("niet: het is één keer")
    WEEKLY = "weekly", gettext_lazy("elke week, op de gekozen dagen")
    WEEKS = "weeks", gettext_lazy("om de zoveel weken, op de gekozen dagen")
    MONTHLY = "monthly", gettext_lazy("elke maand op een vaste weekdag, bijvoorbeeld de tweede dinsdag")
    CUSTOM = "custom", gettext_lazy("anders: ik typ zelf een iCalendar-regel")


ORDINAL_CHOICES = [("1", gettext_lazy("eerste")), ("2", gettext_lazy("tweede")), ("3", gettext_lazy("derde")),
                   ("4", gettext_lazy("vierde")), ("-1", gettext_lazy("laatste"))]
DAY_CHOICES = [(code, WEEKDAYS[index]) for index, code in enumerate(DAY_CODES)]


@dataclass(frozen=True)
class RepeatChoice:
    """What the helper asks: a kind, and per kind the days, the interval or the Nth weekday."""

    kind: str
    days: tuple[str, ...] = ()
    interval: int = 1
    ordinal: int = 1
    weekday: str = ""


def compose(choice: RepeatChoice) -> str:
    """The RRULE for a helper choice ('' for a one-off). Days are written in week order."""
    days = ",".join(code for code in DAY_CODES if code in choice.days)
    if choice.kind == Repeat.WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={days}"
    if choice.kind == Repeat.WEEKS:
        return f"FREQ=WEEKLY;INTERVAL={choice.interval};BYDAY={days}"
    if choice.kind == Repeat.MONTHLY:
        return f"FREQ=MONTHLY;BYDAY={choice.ordinal}{choice.weekday}"
    return ""


def decompose(rule: str) -> RepeatChoice | None:
    """The helper choice that composes exactly this rule, or None when only 'other' can hold it.

    The rule is read by the schedule module (``schedule.parse``); this only maps its parts onto the helper."""
    rule = (rule or "").strip().upper()
    if not rule:
        return RepeatChoice(Repeat.NONE)
    parsed = schedule.parse(rule)
    if parsed is None or not parsed.days or parsed.month_days or parsed.months or parsed.count or parsed.other:
        return None
    if parsed.freq == "WEEKLY":
        days = tuple(day for _ordinal, day in parsed.days)
        if any(ordinal is not None for ordinal, _day in parsed.days) or len(set(days)) != len(days):
            return None
        if not parsed.interval_given:
            choice = RepeatChoice(Repeat.WEEKLY, days=days)
        elif 2 <= parsed.interval <= 52:
            choice = RepeatChoice(Repeat.WEEKS, days=days, interval=parsed.interval)
        else:
            return None
    elif parsed.freq == "MONTHLY" and not parsed.interval_given and len(parsed.days) == 1:
        ordinal, weekday = parsed.days[0]
        if ordinal not in ORDINALS:
            return None
        choice = RepeatChoice(Repeat.MONTHLY, ordinal=ordinal, weekday=weekday)
    else:
        return None
    return choice if compose(choice) == rule else None


def repeat_text(rule: str) -> str:
    """'elke week op dinsdag en donderdag', 'elke tweede dinsdag van de maand': the schedule module's words."""
    return schedule.describe_rule(rule)


def when_text(activity) -> str:
    """The schedule as the public site says it too (schedule.describe): one describer for every screen."""
    return schedule.describe(activity)
