"""How far an action is: computed from what is recorded, never typed (framework-free, property-tested).

* Milestones: reached / total.
* An indicator: (value - baseline) / (target - baseline), clipped to 0..1, so a fall towards a lower
  target counts the same as a rise towards a higher one; the interval of the measured value gives the
  interval of the progress (its ends computed the same way, ordered).
* An action with both: the mean of the parts that can be computed; with none: None ("nog niet te
  bepalen"), never 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def clip(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def milestone_share(reached: int, total: int) -> float | None:
    if total < 0 or reached < 0 or reached > total:
        raise ValueError("reached must lie between 0 and total")
    return None if total == 0 else reached / total


def indicator_share(value: float | None, baseline: float, target: float) -> float | None:
    """The part of the way from baseline to target that ``value`` has come, 0..1; None without a value, or
    when baseline and target are the same (there is no way to go)."""
    if value is None or not all(math.isfinite(x) for x in (value, baseline, target)):
        return None
    if target == baseline:
        return None
    return clip((value - baseline) / (target - baseline))


@dataclass(frozen=True)
class IndicatorProgress:
    share: float | None
    low: float | None
    high: float | None


def indicator_progress(value: float | None, baseline: float, target: float,
                       interval: tuple[float | None, float | None] | None = None) -> IndicatorProgress:
    share = indicator_share(value, baseline, target)
    if share is None or not interval or None in interval:
        return IndicatorProgress(share, None, None)
    ends = sorted(indicator_share(x, baseline, target) for x in interval)
    return IndicatorProgress(share, ends[0], ends[1])


def combined(parts: Iterable[float | None]) -> float | None:
    known = [p for p in parts if p is not None]
    return None if not known else sum(known) / len(known)


def mean_of(shares: Sequence[float | None]) -> float | None:
    """The progress of a group (a bouwsteen, a wijk): the mean of its actions that can be computed."""
    return combined(shares)
