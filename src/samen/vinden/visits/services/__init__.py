"""The one write path for the yearly 75+ home visits (docs/huisbezoeken.md), by responsibility:

* ``register``: the register import from a population register extract, with its preview;
* ``rounds``: rounds per wijk and year, the volunteers' capacity and the assignment;
* ``letters``: the invitation letters (list, CSV, PDF);
* ``report``: the volunteer's list and the visit report;
* ``coverage``: progress per wijk and the overdue visits.

The public names are re-exported here, so callers may write ``from samen.vinden.visits import services``.
"""

from samen.vinden.visits.services.coverage import COVERAGE_COUNTS, coverage, overdue_visits
from samen.vinden.visits.services.letters import LETTER_COLUMNS, letters, letters_pdf, letters_rows
from samen.vinden.visits.services.register import (
    MIN_AGE,
    PREVIEW_NAMES,
    REGISTER_IMPORT,
    RegisterImportReport,
    RegisterPlan,
    apply_register_plan,
    confirm_register_import,
    import_register,
    plan_register,
    register_fingerprint,
    stage_register_plan,
)
from samen.vinden.visits.services.report import ReportResult, clean_answers, get_visit, my_visits, report_visit
from samen.vinden.visits.services.rounds import (
    Assignment,
    assign,
    capacity_of,
    create_round,
    fill_round,
    get_round,
    round_summary,
    round_visits,
    set_capacity,
    volunteers_for,
)
from samen.vinden.visits.workflow import FINAL, OPEN

__all__ = [
    "COVERAGE_COUNTS", "FINAL", "LETTER_COLUMNS", "MIN_AGE", "OPEN", "PREVIEW_NAMES", "REGISTER_IMPORT",
    "Assignment", "RegisterImportReport", "RegisterPlan", "ReportResult",
    "apply_register_plan", "assign", "capacity_of", "clean_answers", "confirm_register_import", "coverage",
    "create_round", "fill_round", "get_round", "get_visit", "import_register", "letters",
    "letters_pdf", "letters_rows", "my_visits", "overdue_visits", "plan_register", "register_fingerprint",
    "report_visit", "round_summary", "round_visits", "set_capacity", "stage_register_plan", "volunteers_for",
]
