"""Validation reports of imports: every problem with its row and column, in the user's words."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_REPORTED = 500  # a file with thousands of errors reports the first ones and counts the rest


@dataclass
class ImportProblem:
    row: int
    column: str
    message: str

    def __str__(self):
        if self.row <= 0:
            return _("kolom %(column)s: %(message)s") % vars(self)
        return _("rij %(row)s, kolom %(column)s: %(message)s") % vars(self)


@dataclass
class ImportReport:
    imported: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, row: int, column: str, message: str) -> None:
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(ImportProblem(row, column, message))
        else:
            self.more_problems += 1
