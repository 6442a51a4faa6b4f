"""Age groups of the issue's and the monitor's schemes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from samen.weten.estimates.cells import Coded

# (lowest age, highest age or None for open-ended, label)
AGE_SCHEMES: dict[str, tuple[tuple[int, int | None, str], ...]] = {
    "issue": ((16, 25, "16-25"), (26, 64, "26-64"), (65, 74, "65-74"), (75, None, "75+")),
    "monitor": ((18, 34, "18-34"), (35, 49, "35-49"), (50, 64, "50-64"), (65, 74, "65-74"), (75, None, "75+")),
}



def _scheme(scheme: str) -> tuple[tuple[int, int | None, str], ...]:
    try:
        return AGE_SCHEMES[scheme]
    except KeyError:
        raise ValueError(f"Unknown age scheme {scheme!r}; known: {', '.join(AGE_SCHEMES)}.") from None


def age_group(age: Any, scheme: str = "issue") -> str | None:
    """The age group of one age (completed years), or None (below the first band, missing, not finite)."""
    bands = _scheme(scheme)
    if age is None or isinstance(age, bool):
        return None
    try:
        value = float(age)
    except (TypeError, ValueError):
        raise ValueError(f"Age {age!r} is not a number.") from None
    if not math.isfinite(value):
        return None
    years = math.floor(value)
    for low, high, label in bands:
        if years >= low and (high is None or years <= high):
            return label
    return None


def age_groups(ages: Any, scheme: str = "issue") -> Coded:
    """Vectorised ``age_group``: a Coded column (code -1 where the age has no group)."""
    bands = _scheme(scheme)
    a = np.asarray(ages)
    if a.dtype.kind == "O":
        a = np.array([np.nan if v is None else v for v in a.tolist()], dtype=float)
    a = np.floor(a.astype(float, copy=False))
    # Bands are contiguous from the first lower bound up: codes from the lower bounds.
    lows = np.array([low for low, _, _ in bands], dtype=float)
    codes = np.searchsorted(lows, a, side="right") - 1  # -1 below the first band; NaN sorts last
    codes[~np.isfinite(a)] = -1
    return Coded(codes.astype(np.intp), tuple(label for _, _, label in bands))
