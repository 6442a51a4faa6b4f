"""The computed progress (samenwerken.progress): property tests."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samen.samenwerken import progress

share = st.floats(min_value=0, max_value=1, allow_nan=False)


@given(share, share, share)
def test_indicator_share_lies_between_0_and_1(value, baseline, target):
    result = progress.indicator_share(value, baseline, target)
    assert result is None if baseline == target else 0 <= result <= 1


@given(share, share)
def test_reaching_the_target_is_all_the_way_and_the_baseline_none_of_it(baseline, target):
    if baseline != target:
        assert progress.indicator_share(target, baseline, target) == 1
        assert progress.indicator_share(baseline, baseline, target) == 0


@given(share, share, share, share)
def test_moving_towards_the_target_is_never_less_progress(a, b, baseline, target):
    """Monotone in the direction of the target (a fall counts where the target is lower)."""
    if baseline == target:
        return
    low, high = sorted((a, b))
    if target > baseline:
        assert progress.indicator_share(low, baseline, target) <= progress.indicator_share(high, baseline, target)
    else:
        assert progress.indicator_share(low, baseline, target) >= progress.indicator_share(high, baseline, target)


@given(share, share, share, share, share)
def test_the_interval_of_the_progress_contains_the_progress(value, low, high, baseline, target):
    low, high = sorted((low, high))
    value = min(max(value, low), high)
    result = progress.indicator_progress(value, baseline, target, (low, high))
    if result.share is not None:
        assert result.low <= result.share <= result.high


@given(st.integers(0, 50), st.integers(0, 50))
def test_milestone_share(reached, total):
    if reached > total:
        with pytest.raises(ValueError):
            progress.milestone_share(reached, total)
    else:
        result = progress.milestone_share(reached, total)
        assert result is None if total == 0 else result == reached / total


@given(st.lists(st.one_of(st.none(), share), max_size=8))
def test_combined_is_the_mean_of_what_is_known(parts):
    known = [p for p in parts if p is not None]
    result = progress.combined(parts)
    assert result is None if not known else min(known) - 1e-12 <= result <= max(known) + 1e-12


def test_a_fall_towards_a_lower_target_counts():
    assert progress.indicator_share(0.10, 0.12, 0.08) == pytest.approx(0.5)
