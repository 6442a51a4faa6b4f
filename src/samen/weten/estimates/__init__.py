"""Survey estimates for the loneliness monitor: weighted shares with 95% intervals per cell, suppression of
small cells, and complementary (secondary) suppression. Pure numpy (and scipy.special for the interval
quantiles): no Django, no pandas (a pandas DataFrame or Series may be passed wherever a mapping of arrays or an
array is expected; it is read with np.asarray).

The module takes already-scored 0/1 outcomes (scoring is samen.weten.scales' job).

Public API
==========

``estimate(columns, outcomes, weights, by, min_n=50, strata=None, interval=None) -> list[Cell]``
    One Cell per (cell of ``by``, indicator), sorted by the ``by`` values (column by column) and then by
    indicator in the order of ``outcomes``.
``estimate_table(columns, outcomes, weights, by, min_n=50, strata=None, interval=None) -> EstimateTable``
    The same figures as numpy arrays (one row per cell, one column per indicator); ``.cells()`` gives the
    Cells. This is the fast path: building hundreds of thousands of Python objects costs more than computing.
``estimate_levels(columns, outcomes, weights, levels, min_n=50, strata=None, interval=None)``
    -> dict[tuple[str, ...], EstimateTable]
    Several groupings at once (e.g. gemeente+year, wijk+year, buurt+year, each with and without age group),
    sharing the factorisation of the columns and the per-indicator row arrays.
``protect(cells, hierarchy, min_n=50) -> list[Cell]``
    Primary plus complementary (secondary) suppression, see below.
``hierarchy(columns, relations) -> list[tuple[CellId, tuple[CellId, ...]]]``
    Which child cells make up which parent cell, read from the microdata, for ``protect``.
``bounds(method, p, var, n, kish, df=None)`` and ``interval(method, p, var, n, kish, df=None)``
    The 95% interval of one method for arrays of shares, or for one share.
``age_group(age, scheme="issue") -> str | None`` and ``age_groups(ages, scheme="issue") -> Coded``
    Age groups; ``Coded`` is an integer-coded column (codes, labels; -1 = missing) that ``estimate`` takes
    as is, without factorising, with its cells ordered by label order.

Inputs
------
* ``columns``: a mapping of name -> 1-D array (numbers, strings, objects, or a ``Coded``) of the grouping
  variables, each as long as ``weights``. A missing group value (None, NaN, code -1) leaves the row out of
  the cells of the groupings that use that column (it still counts for other groupings and, in a stratified
  design, for the stratum sizes).
* ``outcomes``: a mapping of indicator name -> 1-D array of 0/1 (bool, integers or floats); missing is NaN,
  None or -1. Any other value raises ValueError.
* ``weights``: finite and >= 0 (ValueError otherwise). A row of weight 0 counts in n.
* ``strata``: optional 1-D array of stratum labels without missing values (the design's strata).
* ``min_n``: an integer >= 1.

Formulas
========
For a cell (domain) and an indicator, with n the domain's respondents with a valid (non-missing) outcome,
w their weights and y their 0/1 outcome:

    p   = sum(w * y) / sum(w)
    var = n / (n - 1) * sum(w^2 * (y - p)^2) / sum(w)^2                        (no strata)
    CI  = p -/+ Z95 * sqrt(var),  Z95 = 1.959964

(Z95 as the issue fixes it; R's ``confint`` uses qnorm(0.975) = 1.959963984540054, a difference below
2e-8 * se.)

This is the Taylor-linearised variance of the weighted mean with the domain's own valid rows as a
with-replacement sample: R's ``svymean(~y, svydesign(ids=~1, weights=~w, data=rows))`` with ``rows`` the
domain's rows with a valid y. (Note: R's ``svyby`` on the full design, or ``na.rm=TRUE`` on a design that
still holds the missing rows, would use the number of all those rows instead of n; the product issue fixes
the domain-only definition.)

All sums come from ``np.bincount`` over integer cell codes in one vectorised pass. Because y is 0/1,

    sum(w^2 (y - p)^2) = (1 - p)^2 * sum_{y=1} w^2 + p^2 * sum_{y=0} w^2,

a sum of non-negative terms (no cancellation), so var >= 0 and the result agrees with a direct
per-cell loop to ~1e-15 relative.

Stratified designs (``strata`` given), as R's ``svydesign(ids=~1, strata=~stratum, weights=~w)`` with domain
estimation by ``svyby``/``subset``: the full design is kept and the influence values z_i = w_i (y_i - p) are
zero outside the domain (and for rows whose outcome is missing, as ``na.rm=TRUE`` does), so

    var = sum_h [ n_h / (n_h - 1) * sum_{i in stratum h} (z_i - zbar_h)^2 ] / (sum_{domain} w)^2

where n_h is the number of rows of stratum h in the whole input (all rows passed in, whatever their outcome or
group) and zbar_h = (sum of z over the domain's rows in h) / n_h. This was checked against R survey 4.1-1.
It is computed in two passes per cell and stratum (the stratum mean, then squared deviations plus
(n_h - m_h) * zbar_h^2 for the zero rows), again without cancellation.

* A stratum with a single row (n_h = 1) contributes 0 to the variance ("certainty", as R's
  ``options(survey.lonely.psu="certainty")``; R's default "fail" would stop with an error).
* Note the unstratified and stratified definitions differ in the domain case even for a single stratum
  (n/(n-1) over the domain versus n_h/(n_h-1) over the whole stratum with zeros): both are as specified.

Documented choices
==================
* Interval: ``interval=`` names the method, one of ``METHODS`` ("wald", "logit", "korn-graubard"; see
  ``samen.weten.estimates.intervals``): bounds always within 0-1, a one-sided interval where p is 0 or 1.
  Every published figure names one (the monitor: ``Gemeente.ci_method``, default "korn-graubard"). Without
  it (``interval=None``) the Wald interval p -/+ 1.96 se is reported as computed, NOT clipped, as R's
  ``confint(svymean(...))`` reports it: for the cross-check with R, not for publication.
* n = 1 (or n = 0): the variance is undefined (n/(n-1)); se, ci_low and ci_high are None. In a stratified
  design a single respondent's z is 0, so R would report a zero-width interval: we report None as well.
* sum(w) = 0 in a cell with n >= 1 (all weights 0): the share is undefined; estimate, se and CI are None.
* Suppression: a cell with n < min_n (default 50) shows no figure: estimate, se, ci_low, ci_high are None and
  suppressed is True. n and weight_sum stay for computation (complementary suppression needs them) but must
  not be published for suppressed cells: with them the subtraction from the margins is exact.
* Effective sample size: every cell carries Kish's (sum w)^2 / sum w^2 over its valid rows
  (``effective_n``; None where sum w = 0). ``estimate`` suppresses on the raw n only; a caller with a second
  threshold on the effective n (the monitor: ``Gemeente.min_effective_n``) hides those cells as well.
* Complementary suppression (``protect``): see its docstring.

Age groups
==========
* "issue" (the product issue): 16-25, 26-64, 65-74, 75+.
* "monitor" (the age bands of the GGD Gezondheidsmonitor Volwassenen en Ouderen, an adults' survey from 18):
  18-34, 35-49, 50-64, 65-74, 75+; ages 16 and 17 have no group in this scheme.
Ages below the scheme's first band, missing ages (None, NaN) and non-finite ages give None. Ages are in
completed years; a fractional age is floored (25.9 -> 25).
"""

from samen.weten.estimates.agegroups import AGE_SCHEMES, age_group, age_groups
from samen.weten.estimates.cells import DEFAULT_MIN_N, Z95, Cell, CellId, Coded, EstimateTable
from samen.weten.estimates.estimating import estimate, estimate_levels, estimate_table
from samen.weten.estimates.intervals import DEFAULT_METHOD, METHODS, bounds, interval
from samen.weten.estimates.suppression import hierarchy, protect

__all__ = [
    "AGE_SCHEMES",
    "DEFAULT_METHOD",
    "DEFAULT_MIN_N",
    "METHODS",
    "Z95",
    "Cell",
    "CellId",
    "Coded",
    "EstimateTable",
    "age_group",
    "age_groups",
    "bounds",
    "estimate",
    "estimate_levels",
    "estimate_table",
    "hierarchy",
    "interval",
    "protect",
]
