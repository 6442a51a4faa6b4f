"""Benchmark: samen.weten.estimates at national scale, against a straightforward pandas groupby-apply.

    .venv/bin/python benchmarks/weten_estimates.py [--respondents 540000] [--pandas-fraction 1.0] [--seed 2022]

Synthetic data: 540,000 respondents in 342 gemeenten, 3,000 wijken and 14,000 buurten (buurt in wijk in
gemeente; every area has respondents), ages 16-95, gamma weights, and four 0/1 DJG indicators with missing
values. Computed: the four indicators with n, share and 95% interval for every area level (gemeente, wijk,
buurt) x year, each for all ages and by age group (the issue's scheme) -- six groupings, min_n = 50.

Measured: wall time of ``estimate_levels`` from the raw columns (CBS codes as strings, ages as integers;
factorising, age groups and all bincounts included), best of three; the same plus building the Cell objects;
peak Python allocations (tracemalloc, which also sees numpy's buffers) and the process's peak resident size
(ru_maxrss) right after the numpy runs, before pandas is used. Then the pandas baseline (groupby(...).apply of a
function computing n, p and the variance per group) on the same data, and the largest absolute difference
between the two results. Not part of the test suite (pytest only collects test_*.py under src/ and tests/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from samen.weten.estimates import Z95, age_groups, estimate_levels, hierarchy, protect  # noqa: E402

INDICATORS = ["lonely", "severely_lonely", "emotionally_lonely", "socially_lonely"]
AREAS = ["gemeente", "wijk", "buurt"]
MIN_N = 50
AGE_BOUNDS = [16, 26, 65, 75]
AGE_LABELS = ["16-25", "26-64", "65-74", "75+"]


def _index_within(parent_of_child: np.ndarray) -> np.ndarray:
    """For children sorted by parent: each child's index among its parent's children."""
    return np.arange(parent_of_child.size) - np.searchsorted(parent_of_child, parent_of_child)


def synthetic(n_respondents: int, seed: int, n_gemeenten=342, n_wijken=3000, n_buurten=14000):
    rng = np.random.default_rng(seed)
    # Nesting: every gemeente gets >= 1 wijk, every wijk >= 1 buurt; the rest at random (sizes vary).
    wijk_gemeente = np.concatenate([np.arange(n_gemeenten), rng.integers(0, n_gemeenten, n_wijken - n_gemeenten)])
    wijk_gemeente.sort()
    buurt_wijk = np.concatenate([np.arange(n_wijken), rng.integers(0, n_wijken, n_buurten - n_wijken)])
    buurt_wijk.sort()
    # CBS-like codes: GMgggg, WKggggww, BUggggwwbb (ww, bb: the index within the parent, < 100).
    wijk_within = _index_within(wijk_gemeente)
    buurt_within = _index_within(buurt_wijk)
    assert wijk_within.max() < 100 and buurt_within.max() < 100
    gm_code = np.array([f"GM{g:04d}" for g in range(n_gemeenten)])
    wk_code = np.array([f"WK{wijk_gemeente[w]:04d}{wijk_within[w]:02d}" for w in range(n_wijken)])
    bu_code = np.array([f"BU{wk_code[buurt_wijk[b]][2:]}{buurt_within[b]:02d}" for b in range(n_buurten)])
    # Respondents: every buurt at least 5, the rest proportional to a lognormal buurt size.
    size = rng.lognormal(0.0, 1.0, n_buurten)
    rest = rng.choice(n_buurten, n_respondents - 5 * n_buurten, p=size / size.sum())
    buurt = np.concatenate([np.repeat(np.arange(n_buurten), 5), rest])
    rng.shuffle(buurt)
    wijk = buurt_wijk[buurt]
    gemeente = wijk_gemeente[wijk]
    age = rng.integers(16, 96, n_respondents)
    weight = rng.gamma(2.0, 0.5, n_respondents) + 0.05
    # DJG-like outcomes with an area effect; missing values as NaN.
    area_logit = rng.normal(-0.2, 0.4, n_buurten)[buurt]
    u = rng.random(n_respondents)
    lonely = (u < 1 / (1 + np.exp(-area_logit))).astype(float)
    severely = ((u < 0.25 / (1 + np.exp(-area_logit))) & (lonely == 1)).astype(float)
    emotional = (rng.random(n_respondents) < 0.3).astype(float)
    social = (rng.random(n_respondents) < 0.35).astype(float)
    total_missing = rng.random(n_respondents) < 0.04
    lonely[total_missing] = np.nan
    severely[total_missing] = np.nan
    emotional[total_missing | (rng.random(n_respondents) < 0.02)] = np.nan
    social[total_missing | (rng.random(n_respondents) < 0.02)] = np.nan
    return {
        "gemeente": gm_code[gemeente],
        "wijk": wk_code[wijk],
        "buurt": bu_code[buurt],
        "year": np.full(n_respondents, 2022),
        "age": age,
        "weight": weight,
        "lonely": lonely,
        "severely_lonely": severely,
        "emotionally_lonely": emotional,
        "socially_lonely": social,
    }


def levels():
    out = []
    for area in AREAS:
        out.append((area, "year"))
        out.append((area, "year", "age_group"))
    return out


def run_numpy(data, strata=None):
    columns = {name: data[name] for name in ("gemeente", "wijk", "buurt", "year")}
    columns["age_group"] = age_groups(data["age"], "issue")
    outcomes = {name: data[name] for name in INDICATORS}
    return estimate_levels(columns, outcomes, data["weight"], levels(), min_n=MIN_N, strata=strata)


def run_protect(data, tables):
    """Complementary suppression over both hierarchies (area nesting and all ages / age groups)."""
    columns = {name: data[name] for name in ("gemeente", "wijk", "buurt", "year")}
    columns["age_group"] = age_groups(data["age"], "issue")
    relations = [((area, "year"), (area, "year", "age_group")) for area in AREAS]
    for parent, child in (("gemeente", "wijk"), ("wijk", "buurt")):
        relations.append(((parent, "year"), (child, "year")))
        relations.append(((parent, "year", "age_group"), (child, "year", "age_group")))
    cells = [c for table in tables.values() for c in table.cells()]
    return protect(cells, hierarchy(columns, relations), min_n=MIN_N)


# ------------------------------------------------------------------------------------------- pandas baseline


def run_pandas(data, rows=None):
    import pandas as pd

    frame = pd.DataFrame({name: data[name] if rows is None else data[name][rows] for name in data})
    frame["age_group"] = pd.cut(frame["age"], bins=[*AGE_BOUNDS, 200], right=False, labels=AGE_LABELS).astype(str)

    def per_group(group):
        out = {}
        w_all = group["weight"].to_numpy()
        for name in INDICATORS:
            y_all = group[name].to_numpy()
            valid = ~np.isnan(y_all)
            w, y = w_all[valid], y_all[valid]
            n = int(valid.sum())
            total = w.sum()
            p = (w * y).sum() / total if n and total > 0 else np.nan
            var = n / (n - 1) * ((w * (y - p)) ** 2).sum() / total**2 if n >= 2 else np.nan
            if n < MIN_N:
                p = var = np.nan
            out[(name, "n")] = n
            out[(name, "estimate")] = p
            out[(name, "ci_low")] = p - Z95 * math.sqrt(var) if var == var else np.nan
            out[(name, "ci_high")] = p + Z95 * math.sqrt(var) if var == var else np.nan
        return pd.Series(out)

    results = {}
    for by in levels():
        results[by] = frame.groupby(list(by), sort=True).apply(per_group, include_groups=False)
    return results


def compare(tables, pandas_results, rows=None):
    """Largest absolute differences (n, estimate, interval) over all cells; cell sets must agree."""
    worst = {"n": 0, "estimate": 0.0, "ci": 0.0, "cells": 0}
    for by, table in tables.items():
        frame = pandas_results[by]
        keys = [tuple(str(k) if isinstance(k, str) else k for k in key) for key in table.keys]
        index = [tuple(k) if isinstance(k, tuple) else (k,) for k in frame.index]
        assert keys == index, f"{by}: the cells differ"
        worst["cells"] += len(keys) * len(INDICATORS)
        for j, name in enumerate(INDICATORS):
            n_p = frame[(name, "n")].to_numpy(dtype=float)
            worst["n"] = max(worst["n"], int(np.abs(table.n[:, j] - n_p).max()))
            for ours, theirs, label in (
                (table.estimate[:, j], frame[(name, "estimate")].to_numpy(dtype=float), "estimate"),
                (table.ci_low[:, j], frame[(name, "ci_low")].to_numpy(dtype=float), "ci"),
                (table.ci_high[:, j], frame[(name, "ci_high")].to_numpy(dtype=float), "ci"),
            ):
                assert (np.isnan(ours) == np.isnan(theirs)).all(), f"{by} {name}: suppression differs"
                both = ~np.isnan(ours)
                if both.any():
                    worst[label] = max(worst[label], float(np.abs(ours[both] - theirs[both]).max()))
    return worst


# ------------------------------------------------------------------------------------------------------ main


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    import pandas as pd

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=540_000)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--pandas-fraction", type=float, default=1.0,
        help="run the pandas baseline on this fraction of the buurten (all their respondents) and extrapolate "
             "its time linearly in the number of respondents; 1.0 = the full data",
    )
    args = parser.parse_args(argv)

    print(f"date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}")
    for key, value in machine().items():
        print(f"{key}: {value}")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))

    t0 = time.perf_counter()
    data = synthetic(args.respondents, args.seed)
    print(f"data: {args.respondents:,} respondents, {len(set(data['gemeente'].tolist()))} gemeenten, "
          f"{len(set(data['wijk'].tolist()))} wijken, {len(set(data['buurt'].tolist()))} buurten "
          f"(generated in {time.perf_counter() - t0:.1f} s)")
    rss_data = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS after generating the data: {rss_data:.0f} MiB")

    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        tables = run_numpy(data)
        times.append(time.perf_counter() - t)
    n_cells = sum(len(t) for t in tables.values())
    n_suppressed = sum(int(t.suppressed.sum()) for t in tables.values())
    print(f"numpy estimate_levels: {min(times):.3f} s (best of {args.repeat}; all: "
          f"{', '.join(f'{x:.3f}' for x in times)}); {n_cells:,} figures (cell x indicator) in "
          f"{sum(len(t.keys) for t in tables.values()):,} cells, {n_suppressed:,} suppressed")
    t = time.perf_counter()
    cells = [c for table in tables.values() for c in table.cells()]
    t_cells = time.perf_counter() - t
    print(f"building {len(cells):,} Cell objects: {t_cells:.3f} s (total with estimate_levels "
          f"{min(times) + t_cells:.3f} s)")
    del cells

    tracemalloc.start()
    tracemalloc.reset_peak()
    run_numpy(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_numpy = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"tracemalloc peak during estimate_levels: {peak / 1024**2:.0f} MiB")
    print(f"process peak RSS (ru_maxrss) after the numpy runs: {rss_numpy:.0f} MiB")

    t = time.perf_counter()
    run_numpy(data, strata=data["gemeente"])
    print(f"extra: stratified design (strata = gemeente), same groupings: {time.perf_counter() - t:.3f} s")
    t = time.perf_counter()
    protected = run_protect(data, tables)
    print(f"extra: hierarchy + protect (complementary suppression) over all {len(protected):,} Cells: "
          f"{time.perf_counter() - t:.3f} s; suppressed {n_suppressed:,} -> "
          f"{sum(c.suppressed for c in protected):,}")
    del protected

    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    if args.pandas_fraction >= 1.0:
        rows = None
        n_rows = args.respondents
    else:
        rng = np.random.default_rng(args.seed + 1)
        buurten = np.unique(data["buurt"])
        chosen = rng.choice(buurten, int(len(buurten) * args.pandas_fraction), replace=False)
        rows = np.flatnonzero(np.isin(data["buurt"], chosen))
        n_rows = rows.size
    t = time.perf_counter()
    pandas_results = run_pandas(data, rows)
    t_pandas = time.perf_counter() - t
    scale = args.respondents / n_rows
    print(f"pandas groupby-apply: {t_pandas:.1f} s on {n_rows:,} respondents"
          + (f" -> {t_pandas * scale:.1f} s extrapolated to all" if rows is not None else ""))
    print(f"speed-up: {t_pandas * scale / min(times):.0f}x")
    if rows is None:
        worst = compare(tables, pandas_results)
    else:
        sample = {name: data[name][rows] for name in data}
        worst = compare(run_numpy(sample), pandas_results)
    print(f"agreement over {worst['cells']:,} figures: max |n diff| = {worst['n']}, "
          f"max |estimate diff| = {worst['estimate']:.2e}, max |interval diff| = {worst['ci']:.2e}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS at the end (incl. pandas): {rss:.0f} MiB")
    ok = min(times) <= 3.0 and rss_numpy <= 2048 and peak <= 2 * 1024**3 and t_pandas * scale / min(times) >= 10
    print("targets (<= 3 s, <= 2 GB, >= 10x pandas):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
