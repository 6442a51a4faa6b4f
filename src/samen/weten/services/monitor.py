"""The monitor's figures for a municipality: estimates per area and year with confidence intervals,
suppression, trends, targets, factors and the national reference figures.

Reads only pseudonymous respondent rows through policy.visible() and returns aggregates; every
figure a screen, API, CSV or PDF shows comes from here, so suppression holds in every channel.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db.models import Max

from samen.core import disclosure, policy
from samen.core.models import Gemeente, Wijk
from samen.weten import estimates, factors, trends
from samen.weten.estimates import intervals as interval_methods
from samen.weten.models import Indicator, ReferenceFigure, Respondent, Source, Target, Wave

INDICATORS = [i.value for i in Indicator]
DJG_INDICATORS = ["lonely", "severely_lonely", "emotionally_lonely", "socially_lonely"]
AGE_GROUPS = ("16-25", "26-64", "65-74", "75+")


@dataclass(frozen=True)
class Figure:
    """One published cell: None for n, estimate and interval where suppressed."""

    area_code: str
    area_name: str
    level: str  # gemeente, wijk, buurt
    year: int
    indicator: str
    n: int | None  # None where suppressed: a hidden cell's n would make the subtraction exact
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    age_group: str = ""
    sex: str = ""
    breakdown: tuple[str, ...] = ()
    se: float | None = None  # None where suppressed
    interval: str = estimates.DEFAULT_METHOD  # how ci_low and ci_high were computed (estimates.METHODS)

    def as_row(self) -> dict:
        return dataclasses.asdict(self)


def microdata(gemeente: Gemeente, source: str, user) -> pd.DataFrame:
    """The respondents of all waves of a source, with 0/1/NaN outcomes; cached per import."""
    waves = Wave.objects.filter(gemeente=gemeente, source=source)
    stamp = waves.aggregate(last=Max("imported_at"))["last"]
    key = f"samen-weten-microdata-{gemeente.pk}-{source}-{stamp.timestamp() if stamp else 0}"
    frame = cache.get(key)
    if frame is None:
        rows = policy.visible(user, Respondent).filter(wave__in=waves).values_list(
            "wave__year", "wave__has_strata", "wijk__code", "buurt__code", "age", "sex", "weight", "stratum",
            "djg_total",
            "djg_emotional", "djg_social", "djg_items", "lonely_often", "enough_contacts", "marital_status",
            "living_alone", "health", "income", "education", "migration_background", "informal_carer")
        frame = pd.DataFrame.from_records(list(rows), columns=[
            "year", "has_strata", "wijk", "buurt", "age", "sex", "weight", "stratum", "djg_total", "djg_emotional",
            "djg_social",
            "djg_items", "lonely_often", "enough_contacts", "marital_status", "living_alone", "health", "income",
            "education", "migration_background", "informal_carer"])
        frame = _with_outcomes(frame)
        frame.attrs["cache_key"] = key
        cache.set(key, frame, 600)
    return frame


def _with_outcomes(frame: pd.DataFrame) -> pd.DataFrame:
    total = frame["djg_total"].astype(float)
    eleven = frame["djg_items"] == 11
    lonely_from = np.where(eleven, 3, 2)
    severe_from = np.where(eleven, 9, 5)
    sub_from = np.where(eleven, 3, 1)
    frame["lonely"] = np.where(total.isna(), np.nan, (total >= lonely_from).astype(float))
    frame["severely_lonely"] = np.where(total.isna(), np.nan, (total >= severe_from).astype(float))
    for name, column in (("emotionally_lonely", "djg_emotional"), ("socially_lonely", "djg_social")):
        value = frame[column].astype(float)
        frame[name] = np.where(value.isna() | total.isna(), np.nan, (value >= sub_from).astype(float))
    for name in ("lonely_often", "enough_contacts"):
        frame[name] = frame[name].map({True: 1.0, False: 0.0}).astype(float)
    frame["age_group"] = pd.cut(frame["age"].astype(float), [15.5, 25.5, 64.5, 74.5, 200],
                                labels=list(AGE_GROUPS)).astype(object).where(frame["age"].notna(), None)
    frame["gemeente"] = "gemeente"
    return frame


LEVEL_BY = {"gemeente": ("gemeente", "year"), "wijk": ("wijk", "year"), "buurt": ("buurt", "year")}
NESTING = ((("gemeente", "year"), ("wijk", "year")), (("wijk", "year"), ("buurt", "year")))


def _area_names(gemeente: Gemeente) -> dict[str, str]:
    names = {"gemeente": gemeente.name}
    for wijk in Wijk.objects.filter(gemeente=gemeente).prefetch_related("buurten"):
        names[wijk.code] = wijk.policy_name or wijk.official_name
        names.update({b.code: b.name for b in wijk.buurten.all()})
    return names


BREAKDOWNS = ("age_group", "age_group_monitor", "sex")
# Every published breakdown is protected together, whatever one download asks for: otherwise two
# downloads (by age, and by age and sex) could be combined to work out a hidden cell.
EXTRAS = ((), ("age_group",), ("age_group_monitor",), ("sex",), ("age_group", "sex"), ("age_group_monitor", "sex"))
# The two age schemes share these groups (the same respondents in both).
SHARED_AGE_GROUPS = ("65-74", "75+")
SCHEME_GROUPS = {"age_group": AGE_GROUPS,
                 "age_group_monitor": tuple(label for _, _, label in estimates.AGE_SCHEMES["monitor"])}


def figures(gemeente: Gemeente, user, *, source: str = Source.HILVERSUM_MONITOR, indicators=None,
            breakdown: str | tuple[str, ...] | None = None, interval: str | None = None) -> list[Figure]:
    """Published figures per gemeente, wijk and buurt and year, and where asked per age group (the
    issue's groups or the monitor's own), sex or both. Primary and complementary suppression run over
    all breakdowns at once, so no combination of downloads reveals a hidden cell. ``interval`` is the
    95% interval method (estimates.METHODS); default the municipality's setting ``Gemeente.ci_method``."""
    interval = interval_method(gemeente, interval)
    indicators = list(indicators or INDICATORS)
    breakdown = tuple(b for b in ((breakdown,) if isinstance(breakdown, str) else breakdown or ()) if b in BREAKDOWNS)
    wanted = next((extra for extra in EXTRAS if set(extra) == set(breakdown)), ())
    return [f for f in _all_figures(gemeente, user, source, tuple(indicators), interval)
            if f.breakdown == wanted]


def interval_method(gemeente: Gemeente, asked: str | None = None) -> str:
    """The interval method asked for, else the municipality's setting, else the documented default."""
    for method in (asked, getattr(gemeente, "ci_method", None)):
        if method in estimates.METHODS:
            return method
    return estimates.DEFAULT_METHOD


def _all_figures(gemeente: Gemeente, user, source: str, indicators: tuple[str, ...],
                 interval: str) -> list[Figure]:
    frame = microdata(gemeente, source, user)
    if frame.empty:
        return []
    key = (f"{frame.attrs.get('cache_key', id(frame))}-figures-{gemeente.min_cell_size}-"
           f"{gemeente.min_effective_n}-{interval}-{'-'.join(indicators)}")
    cached = cache.get(key)
    if cached is not None:
        return cached
    min_n = gemeente.min_cell_size
    bases = [LEVEL_BY[level] for level in ("gemeente", "wijk", "buurt")]
    groupings = [(*base, *extra) for base in bases for extra in EXTRAS]
    cells = []
    for part, with_strata in ((frame[~frame["has_strata"]], False), (frame[frame["has_strata"]], True)):
        if part.empty:
            continue
        columns = _columns(part)
        strata = (part["year"].astype(str) + "|" + part["stratum"]).to_numpy() if with_strata else None
        tables = estimates.estimate_levels(columns, {i: part[i].to_numpy(float) for i in indicators},
                                           part["weight"].to_numpy(float), groupings, min_n=min_n, strata=strata,
                                           interval=interval)
        cells += [cell for table in tables.values() for cell in table.cells()]
    hidden = _protect(cells, _columns(frame), bases, min_n, gemeente.min_effective_n)
    names = _area_names(gemeente)
    out = []
    for cell in cells:
        values = dict(zip(cell.by, cell.keys, strict=True))
        level = "buurt" if "buurt" in values else "wijk" if "wijk" in values else "gemeente"
        code = gemeente.code if level == "gemeente" else values[level]
        age = values.get("age_group") or values.get("age_group_monitor") or ""
        extra = tuple(b for b in cell.by if b in BREAKDOWNS)
        shown = (cell.indicator, cell.by, cell.keys) not in hidden
        out.append(Figure(code, names.get(values[level], code), level, int(values["year"]), cell.indicator,
                          cell.n if shown else None, cell.estimate if shown else None,
                          cell.ci_low if shown else None, cell.ci_high if shown else None, not shown, age,
                          values.get("sex") or "", extra, cell.se if shown else None, interval))
    cache.set(key, out, 600)
    return out


def _protect(cells, columns, bases, min_n, min_effective_n) -> set:
    """The cells to hide, as (indicator, by, keys): primary suppression (fewer than ``min_n`` respondents, or
    an effective number (Kish) below ``min_effective_n``), then complementary suppression over every family
    the published tables make together (samen.core.disclosure.protect_families)."""
    position = {(c.indicator, c.by, c.keys): i for i, c in enumerate(cells)}
    indicators = list(dict.fromkeys(c.indicator for c in cells))
    families = []
    for wholes, parts in _families(columns, bases, {(c.by, c.keys) for c in cells}):
        for indicator in indicators:
            family = ([position.get((indicator, *w)) for w in wholes], [position.get((indicator, *p)) for p in parts])
            if None not in family[0] and None not in family[1]:
                families.append(family)
    hidden = disclosure.protect_families({i: c.n for i, c in enumerate(cells)}, families,
                                         {i for i, c in enumerate(cells) if _too_few(c, min_effective_n)},
                                         minimum=min_n)
    return {(cells[i].indicator, cells[i].by, cells[i].keys) for i in hidden}


def _too_few(cell, min_effective_n) -> bool:
    return cell.suppressed or cell.effective_n is None or cell.effective_n < min_effective_n


def _families(columns, bases, ids: set) -> list[tuple[list, list]]:
    """Every linear relation between the published cells, as (wholes, parts) of cell ids (by, keys):

    * across levels, for every breakdown: gemeente = its wijken, wijk = its buurten;
    * a total and its breakdowns: total = its age groups (each scheme) = its sexes; an age group = its
      sexes; a sex = its age groups (each scheme); at every level;
    * across the age schemes, with and without sex, at every level: 65-74 and 75+ are the same cells in
      both; 16-25 + 26-64 cover what 18-34 + 35-49 + 50-64 cover (and the 16- and 17-year-olds); and the
      mixed partitions of the total (the young groups of one scheme with the old groups of the other).

    The waves are separate samples: no published figure adds years together."""
    relations = []
    for extra in EXTRAS:
        relations += [((*LEVEL_BY["gemeente"], *extra), (*LEVEL_BY["wijk"], *extra)),
                      ((*LEVEL_BY["wijk"], *extra), (*LEVEL_BY["buurt"], *extra))]
    for base in bases:
        for extra in EXTRAS[1:]:
            relations.append(((*base, *extra[:-1]), (*base, *extra)))
            if len(extra) == 2:
                relations.append(((*base, extra[1]), (*base, *extra)))
    families = [([parent], list(children)) for parent, children in estimates.hierarchy(columns, relations)]
    young = {"age_group": [g for g in SCHEME_GROUPS["age_group"] if g not in SHARED_AGE_GROUPS],
             "age_group_monitor": [g for g in SCHEME_GROUPS["age_group_monitor"] if g not in SHARED_AGE_GROUPS]}
    for by, keys in ids:
        if by[2:] not in ((), ("sex",)):
            continue  # a total: (level, year) or (level, year, sex)

        def cell(scheme, group, by=by, keys=keys):
            child_by = (*by[:2], scheme, *by[2:])
            child = (child_by, (*keys[:2], group, *keys[2:]))
            return [child] if child in ids else []

        def groups(scheme, labels):
            return [c for g in labels for c in cell(scheme, g)]

        issue, monitor_ = "age_group", "age_group_monitor"
        families += [(cell(issue, g), cell(monitor_, g)) for g in SHARED_AGE_GROUPS]
        families += [(groups(issue, young[issue]), groups(monitor_, young[monitor_])),
                     ([(by, keys)], groups(monitor_, young[monitor_]) + groups(issue, SHARED_AGE_GROUPS)),
                     ([(by, keys)], groups(issue, young[issue]) + groups(monitor_, SHARED_AGE_GROUPS))]
    return [(wholes, parts) for wholes, parts in families if wholes and parts]


def _columns(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    columns = {name: frame[name].astype(object).where(frame[name].notna() & (frame[name] != ""), None).to_numpy()
               for name in ("gemeente", "wijk", "buurt", "sex", "age_group")}
    columns["age_group_monitor"] = estimates.age_groups(frame["age"].to_numpy(float), "monitor")
    columns["year"] = frame["year"].to_numpy()
    return columns


def waves(gemeente: Gemeente, source: str = Source.HILVERSUM_MONITOR):
    return Wave.objects.filter(gemeente=gemeente, source=source).order_by("year")


@dataclass
class Overview:
    """What the dashboard and the factsheet show for one indicator."""

    indicator: str
    indicator_label: str
    source: str
    years: list[int]
    latest_year: int | None
    gemeente: list[Figure]
    wijken: dict[str, dict[int, Figure]]
    wijk_names: dict[str, str]
    changes: list[dict]
    targets: list[trends.Progress]
    reference: list[ReferenceFigure]
    factor_model: factors.FactorModel | None
    min_n: int
    gemeente_target: Target | None = None
    interval: str = estimates.DEFAULT_METHOD
    standardised: dict = dataclasses.field(default_factory=dict)  # see age_standardised()
    local_reference: list = dataclasses.field(default_factory=list)  # see _local_reference()

    @property
    def interval_label(self) -> str:
        return interval_methods.LABELS[self.interval]

    def series(self, wijk: str | None = None) -> list[Figure]:
        """The figures of the municipality, or of one wijk, by year."""
        if not wijk:
            return self.gemeente
        return [self.wijken[wijk][year] for year in sorted(self.wijken.get(wijk, {}))]

    def targets_for(self, wijk: str | None = None) -> list:
        return [t for t in self.targets if t.wijk == (wijk or "")]


def overview(gemeente: Gemeente, user, indicator: str = "lonely", source: str = Source.HILVERSUM_MONITOR,
             factor_wijk: str | None = None) -> Overview:
    published = [f for f in figures(gemeente, user, source=source, indicators=[indicator])
                 if not f.age_group and not f.sex]
    years = sorted({f.year for f in published})
    latest = years[-1] if years else None
    own = sorted((f for f in published if f.level == "gemeente"), key=lambda f: f.year)
    by_wijk: dict[str, dict[int, Figure]] = {}
    names = {}
    for f in published:
        if f.level == "wijk":
            by_wijk.setdefault(f.area_code, {})[f.year] = f
            names[f.area_code] = f.area_name
    interval = interval_method(gemeente)
    reference = list(ReferenceFigure.objects.filter(indicator=indicator, region_code__in=[
        "NL01", "NL00", gemeente.code]).order_by("region_code", "period"))
    return Overview(
        indicator=indicator, indicator_label=str(Indicator(indicator).label), source=source, years=years,
        latest_year=latest, gemeente=own, wijken=dict(sorted(by_wijk.items())), wijk_names=names,
        changes=_changes(own, by_wijk, names, gemeente.name, years),
        targets=_progress(gemeente, indicator, source, own, by_wijk),
        reference=reference,
        factor_model=factor_analysis(gemeente, user, indicator, source, latest, factor_wijk) if latest else None,
        min_n=gemeente.min_cell_size,
        gemeente_target=Target.objects.filter(gemeente=gemeente, indicator=indicator, source=source,
                                              wijk__isnull=True).first(),
        interval=interval,
        standardised=age_standardised(gemeente, user, indicator, source, interval, latest) if latest else {},
        local_reference=_local_reference(gemeente, user, indicator, source, interval, reference, years),
    )


@dataclass(frozen=True)
class Standardised:
    """A directly age-standardised share of one area and year, beside its crude figure."""

    area_code: str
    year: int
    crude: Figure
    estimate: float | None  # None where an age group of the area is suppressed (nothing to standardise)
    ci_low: float | None
    ci_high: float | None


def standard_population(gemeente: Gemeente, user, source: str, year: int) -> dict[str, float]:
    """The standard population of the direct standardisation: the municipality's own age structure, as the
    weighted share of each age group (16-25, 26-64, 65-74, 75+) among its respondents of ``year`` (the
    latest wave: the weights make the sample represent the municipality's residents)."""
    frame = microdata(gemeente, source, user)
    rows = frame[(frame["year"] == year) & frame["age_group"].notna()]
    totals = rows.groupby("age_group")["weight"].sum()
    total = float(totals.sum())
    return {g: float(totals.get(g, 0.0)) / total for g in AGE_GROUPS} if total > 0 else {}


def age_standardised(gemeente: Gemeente, user, indicator: str, source: str, interval: str,
                     standard_year: int) -> dict[tuple[str, int], Standardised]:
    """Direct age standardisation of the municipality and every wijk, per year, to the standard population
    of ``standard_year`` (docs/monitor.md, Methoden M5):

        p_std = sum_g s_g p_g,   var_std = sum_g s_g^2 var_g   (age groups as independent domains)

    with the interval of ``interval`` on (p_std, var_std, n = the area's respondents in the four groups).
    Only from published figures: where any age group of the area and year is suppressed there is no
    standardised figure (it would be a new combination of hidden cells)."""
    weights = standard_population(gemeente, user, source, standard_year)
    if not weights:
        return {}
    crude = {(f.area_code, f.year): f for f in figures(gemeente, user, source=source, indicators=[indicator],
                                                        interval=interval) if f.level in ("gemeente", "wijk")}
    by_age: dict[tuple[str, int], dict[str, Figure]] = {}
    for f in figures(gemeente, user, source=source, indicators=[indicator], breakdown="age_group",
                     interval=interval):
        if f.level in ("gemeente", "wijk"):
            by_age.setdefault((f.area_code, f.year), {})[f.age_group] = f
    out = {}
    for key, total in crude.items():
        groups = by_age.get(key, {})
        usable = (not total.suppressed and all(g in groups and not groups[g].suppressed and groups[g].se is not None
                                                for g in AGE_GROUPS if weights[g] > 0))
        if not usable:
            out[key] = Standardised(key[0], key[1], total, None, None, None)
            continue
        used = [g for g in AGE_GROUPS if weights[g] > 0]
        p = sum(weights[g] * groups[g].estimate for g in used)
        var = sum(weights[g] ** 2 * groups[g].se ** 2 for g in used)
        n = sum(groups[g].n for g in used)
        low, high = estimates.interval(interval, p, var, n, n, n - len(used))
        out[key] = Standardised(key[0], key[1], total, p, low, high)
    return out


@dataclass(frozen=True)
class LocalReference:
    """A CBS StatLine 50120NED figure and the local figure of the same year for the same ages (18+)."""

    reference: ReferenceFigure
    year: int | None
    local: Figure | None  # None: no wave that year, or an 18+ figure would reveal a hidden cell


def _local_reference(gemeente, user, indicator, source, interval, reference, years) -> list[LocalReference]:
    """Beside each StatLine figure, the municipality's own 18+ figure of that year (the StatLine figures are
    for adults: 18+, 19+ in older periods). The 18+ share is shown only where all five of the municipality's
    monitor age groups (18-34 ... 75+) are published that year, so it is a combination of shown figures."""
    out = []
    cache_18: dict[int, Figure | None] = {}
    for ref in reference:
        digits = "".join(ch for ch in ref.period if ch.isdigit())[:4]
        year = int(digits) if len(digits) == 4 else None
        if year is not None and year in years and year not in cache_18:
            cache_18[year] = _adults(gemeente, user, indicator, source, interval, year)
        out.append(LocalReference(ref, year, cache_18.get(year)))
    return out


def _adults(gemeente, user, indicator, source, interval, year) -> Figure | None:
    groups = [f for f in figures(gemeente, user, source=source, indicators=[indicator],
                                 breakdown="age_group_monitor", interval=interval)
              if f.level == "gemeente" and f.year == year and not f.sex]
    if len(groups) != len(SCHEME_GROUPS["age_group_monitor"]) or any(f.suppressed for f in groups):
        return None
    frame = microdata(gemeente, source, user)
    rows = frame[(frame["year"] == year) & (frame["age"].astype(float) >= 18)]
    strata = None
    if rows["has_strata"].any():
        strata = (rows["year"].astype(str) + "|" + rows["stratum"].fillna("")).to_numpy()
    (cell,) = estimates.estimate({}, {indicator: rows[indicator].to_numpy(float)}, rows["weight"].to_numpy(float),
                                 [], min_n=1, strata=strata, interval=interval)
    if cell.estimate is None:
        return None
    return Figure(gemeente.code, gemeente.name, "gemeente", year, indicator, cell.n, cell.estimate, cell.ci_low,
                  cell.ci_high, False, "18+", "", (), cell.se, interval)


def _se(figure: Figure) -> float | None:
    return None if figure.suppressed or figure.estimate is None else figure.se


def _changes(own, by_wijk, names, gemeente_name, years) -> list[dict]:
    """Latest wave against the previous one and against the first (the nulmeting), per area."""
    if len(years) < 2:
        return []
    rows = []
    series = [(gemeente_name, {f.year: f for f in own})] + [(names[c], v) for c, v in by_wijk.items()]
    for name, by_year in series:
        row = {"area": name}
        for label, earlier_year in (("previous", years[-2]), ("baseline", years[0])):
            a, b = by_year.get(earlier_year), by_year.get(years[-1])
            if a and b and _se(a) is not None and _se(b) is not None:
                row[label] = trends.change(a.estimate, _se(a), b.estimate, _se(b))
            else:
                row[label] = None
        rows.append(row)
    # Holm over the wijken of this indicator, per comparison: the dashboard marks a wijk's change as
    # significant only after the adjustment (the municipality's own row is one test and stays as it is).
    for label in ("previous", "baseline"):
        adjusted = trends.adjust([row[label] for row in rows[1:]])
        for row, change in zip(rows[1:], adjusted, strict=True):
            row[label] = change
    return rows


def _progress(gemeente, indicator, source, own, by_wijk) -> list[trends.Progress]:
    result = []
    for target in Target.objects.filter(gemeente=gemeente, indicator=indicator, source=source).select_related(
            "wijk"):
        series = {f.year: f for f in own} if target.wijk is None else by_wijk.get(target.wijk.code, {})
        if not series:
            continue
        latest_year = max(series)
        goal = trends.Target(indicator, target.target_value, target.direction, target.target_year,
                             target.baseline_year)
        baseline = series.get(target.baseline_year)
        latest = series[latest_year]
        progress = trends.progress(
            goal, None if baseline is None or baseline.suppressed else baseline.estimate,
            None if latest.suppressed else latest.estimate, latest_year)
        area = gemeente.name if target.wijk is None else (target.wijk.policy_name or target.wijk.official_name)
        result.append(dataclasses.replace(progress, area=area, wijk=target.wijk.code if target.wijk else ""))
    return result


def factor_analysis(gemeente, user, indicator, source, year, wijk_code=None) -> factors.FactorModel | None:
    """Odds ratios for the DJG loneliness indicators in one wave, for the municipality or one wijk."""
    if indicator not in ("lonely", "severely_lonely"):
        return None
    frame = microdata(gemeente, source, user)
    data = frame[frame["year"] == year].copy()
    if wijk_code:
        data = data[data["wijk"] == wijk_code]
    for flag in ("living_alone", "migration_background", "informal_carer"):
        data[flag] = data[flag].map({True: "ja", False: "nee"})
    data["wijk"] = data["wijk"].map(_area_names(gemeente))
    if wijk_code:
        data = data.drop(columns=["wijk"])
    return factors.fit(data, indicator, min_n=gemeente.min_cell_size)


def headline(gemeente: Gemeente, user, indicator: str = "lonely",
             source: str = Source.HILVERSUM_MONITOR) -> Figure | None:
    """The municipality's latest figure for one indicator (for the home page); None without data."""
    own = [f for f in figures(gemeente, user, source=source, indicators=[indicator]) if f.level == "gemeente"]
    return max(own, key=lambda f: f.year) if own else None
