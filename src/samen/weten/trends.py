"""Change between two waves and progress towards a target, for the loneliness monitor. Pure Python (math and
statistics from the standard library; no Django, no scipy).

Public API
==========

``change(earlier, se_earlier, later, se_later, alpha=0.05) -> Change``
    Test of change between two estimates from independent waves (separate samples) for the same area and
    indicator: d = p2 - p1, se = sqrt(se1^2 + se2^2), z = d / se, two-sided p-value = erfc(|z| / sqrt(2)),
    the (1 - alpha) interval d -/+ z_{1-alpha/2} * se with the exact normal quantile (1.959963984540054 for
    alpha = 0.05, so that the interval excludes 0 exactly when p < alpha), and a verdict: "gestegen"
    (p < alpha and d > 0), "gedaald" (p < alpha and d < 0), else "geen significante verandering".
    se = 0 on both sides: z = 0 and p = 1 when d = 0, else z = +-inf and p = 0.
``holm(p_values) -> list[float]`` and ``adjust(changes, alpha=0.05) -> list[Change | None]``
    Holm's step-down adjustment of several tests (e.g. the wijken of one indicator): the adjusted p-values
    p_(i)^adj = max_{j <= i} min(1, (m - j + 1) p_(j)) over the p-values sorted ascending; ``adjust`` gives
    each Change its adjusted p-value and re-decides its verdict on it (familywise error rate <= alpha).
``change_between(earlier: Cell, later: Cell, alpha=0.05) -> Change | None``
    The same from two Cells; None when either is suppressed or has no estimate or no standard error.
``Target(indicator, value, direction, target_year, baseline_year=2016)`` and
``progress(target, baseline, latest, latest_year) -> Progress``
    Progress towards a target, e.g. Target("lonely", 0.40, "below", 2030): the share of people with a high
    loneliness score (De Jong Gierveld >= 3) at or below 40% by 2030, against the nulmeting of 2016.

On-track rule (``Progress.on_track``), on point estimates:

1. no latest estimate (missing, suppressed): None ("missing");
2. the latest estimate meets the target (at or below the value for "below", at or above for "above"; reaching
   the value counts): True ("met");
3. not met and the latest year is the target year or later: False ("deadline passed");
4. no baseline estimate, or the latest year is the baseline year: None ("no trend") -- nothing to extrapolate;
5. otherwise extrapolate linearly through (baseline_year, baseline) and (latest_year, latest) to the target
   year: True when that projection meets the target ("projected to meet"), else False ("projected to miss";
   this includes a trend away from the target and a trend too slow to get there in time).

The rule ignores sampling error on purpose (it is a planning signal, not a test); use ``change`` to judge
whether a difference is statistically significant.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

from samen.weten.estimates import Cell

__all__ = [
    "DECREASED",
    "INCREASED",
    "NO_CHANGE",
    "Change",
    "Progress",
    "Target",
    "change",
    "adjust",
    "change_between",
    "holm",
    "progress",
]

INCREASED = "gestegen"
DECREASED = "gedaald"
NO_CHANGE = "geen significante verandering"

BASELINE_YEAR = 2016


@dataclass(frozen=True)
class Change:
    """The change from ``earlier`` to ``later`` (shares 0-1); ``difference`` = later - earlier."""

    earlier: float
    later: float
    difference: float
    se: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    alpha: float
    verdict: str
    p_adjusted: float | None = None  # Holm-adjusted over the areas compared together; None: not adjusted
    tests: int = 1  # how many tests the adjustment was over

    @property
    def significant(self) -> bool:
        return self.verdict != NO_CHANGE


def _number(name: str, value: float, *, non_negative: bool = False) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, not {value!r}.") from None
    if not math.isfinite(x) or (non_negative and x < 0):
        raise ValueError(f"{name} must be a finite number{' >= 0' if non_negative else ''}, not {value!r}.")
    return x


def change(earlier: float, se_earlier: float, later: float, se_later: float, alpha: float = 0.05) -> Change:
    """z-test of the difference between two independent estimates (see the module doc)."""
    p1, p2 = _number("earlier", earlier), _number("later", later)
    s1 = _number("se_earlier", se_earlier, non_negative=True)
    s2 = _number("se_later", se_later, non_negative=True)
    alpha = _number("alpha", alpha)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1, not {alpha!r}.")
    d = p2 - p1
    se = math.sqrt(s1 * s1 + s2 * s2)
    if se > 0:
        z = d / se
        p_value = math.erfc(abs(z) / math.sqrt(2.0))
    elif d == 0:
        z, p_value = 0.0, 1.0
    else:
        z, p_value = math.copysign(math.inf, d), 0.0
    half = NormalDist().inv_cdf(1.0 - alpha / 2.0) * se
    if p_value < alpha and d > 0:
        verdict = INCREASED
    elif p_value < alpha and d < 0:
        verdict = DECREASED
    else:
        verdict = NO_CHANGE
    return Change(p1, p2, d, se, z, p_value, d - half, d + half, alpha, verdict)


def _verdict(p_value: float, d: float, alpha: float) -> str:
    if p_value < alpha and d > 0:
        return INCREASED
    if p_value < alpha and d < 0:
        return DECREASED
    return NO_CHANGE


def holm(p_values) -> list[float]:
    """Holm-adjusted p-values, in the order given (Holm 1979, Scand. J. Statist. 6, 65-70)."""
    values = [_number("p-value", p) for p in p_values]
    for p in values:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"A p-value lies between 0 and 1, not {p!r}.")
    m = len(values)
    order = sorted(range(m), key=lambda i: values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * values[i]))
        adjusted[i] = running
    return adjusted


def adjust(changes, alpha: float | None = None) -> list:
    """The Changes (None for a comparison not made) with Holm-adjusted p-values and verdicts on those."""
    made = [i for i, c in enumerate(changes) if c is not None]
    adjusted = holm([changes[i].p_value for i in made])
    out = list(changes)
    for i, p in zip(made, adjusted, strict=True):
        c = changes[i]
        level = c.alpha if alpha is None else alpha
        out[i] = dataclasses.replace(c, p_adjusted=p, tests=len(made), verdict=_verdict(p, c.difference, level))
    return out


def change_between(earlier: Cell, later: Cell, alpha: float = 0.05) -> Change | None:
    """``change`` for two Cells of the same indicator (e.g. one area in two waves); None when either has no
    published estimate with a standard error."""
    if earlier.indicator != later.indicator:
        raise ValueError(f"Cannot compare {earlier.indicator!r} with {later.indicator!r}.")
    for cell in (earlier, later):
        if cell.suppressed or cell.estimate is None or cell.se is None:
            return None
    return change(earlier.estimate, earlier.se, later.estimate, later.se, alpha)


@dataclass(frozen=True)
class Target:
    """A policy target: the share of ``indicator`` ``direction`` ``value`` by ``target_year``."""

    indicator: str
    value: float
    direction: Literal["below", "above"]
    target_year: int
    baseline_year: int = BASELINE_YEAR

    def __post_init__(self):
        if self.direction not in ("below", "above"):
            raise ValueError(f"direction must be 'below' or 'above', not {self.direction!r}.")
        _number("value", self.value)
        if self.target_year < self.baseline_year:
            raise ValueError("The target year lies before the baseline year.")

    def met_by(self, share: float) -> bool:
        """True when ``share`` meets the target (reaching the value counts)."""
        return share <= self.value if self.direction == "below" else share >= self.value


@dataclass(frozen=True)
class Progress:
    target: Target
    baseline: float | None
    latest: float | None
    latest_year: int
    met: bool | None
    projected: float | None
    on_track: bool | None
    reason: str
    area: str = ""  # the area the target is for (the municipality or a wijk), for the screen
    wijk: str = ""  # the wijk's code; empty for the whole municipality


def _share(value: float | Cell | None) -> float | None:
    if isinstance(value, Cell):
        return None if value.suppressed else value.estimate
    if value is None:
        return None
    x = float(value)
    return x if math.isfinite(x) else None


def progress(
    target: Target, baseline: float | Cell | None, latest: float | Cell | None, latest_year: int
) -> Progress:
    """Whether ``latest`` (of ``latest_year``) is on track for ``target``, from the ``baseline`` estimate of
    the target's baseline year (the rule is in the module doc). Cells that are suppressed count as missing."""
    if latest_year < target.baseline_year:
        raise ValueError(f"The latest year {latest_year} lies before the baseline year {target.baseline_year}.")
    base, last = _share(baseline), _share(latest)

    def result(met, projected, on_track, reason):
        return Progress(target, base, last, latest_year, met, projected, on_track, reason)

    if last is None:
        return result(None, None, None, "missing")
    if target.met_by(last):
        return result(True, None, True, "met")
    if latest_year >= target.target_year:
        return result(False, None, False, "deadline passed")
    if base is None or latest_year == target.baseline_year:
        return result(False, None, None, "no trend")
    slope = (last - base) / (latest_year - target.baseline_year)
    projected = last + slope * (target.target_year - latest_year)
    if target.met_by(projected):
        return result(False, projected, True, "projected to meet")
    return result(False, projected, False, "projected to miss")
