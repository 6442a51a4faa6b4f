"""The budget: lines per action and year with their funding source, commitments and spending booked
with a date and a note, the totals per year against the available budget (per bouwsteen and per funding
source), and the Excel export with working sums. Amounts are Decimals in euro cents."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from samen.core import policy, tabular
from samen.samenwerken.models import Action, BudgetEntry, BudgetLine, BudgetYear
from samen.samenwerken.services import history

MANAGE = "agenda.manage"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", ".")) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Vul een bedrag in euro's in, bijvoorbeeld 1.800,00.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Vul een bedrag in euro's in, bijvoorbeeld 1.800,00.")})
    if amount < 0:
        raise ValidationError({field: _("Een bedrag kan niet negatief zijn.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("Een bedrag heeft hoogstens twee cijfers achter de komma.")})
    if amount >= Decimal("1e10"):
        raise ValidationError({field: _("Dit bedrag is te groot.")})
    return amount.quantize(CENT)


def _open_year(gemeente, year: int, field: str = "year") -> None:
    if BudgetYear.objects.filter(gemeente=gemeente, year=year, closed=True).exists():
        raise ValidationError({field: _("Het jaar %(year)s is afgesloten: daar kan niets meer bij.") % {"year": year}})


@transaction.atomic
def save_line(user, action: Action, *, year: int, funding_source: str, initial_amount, changed_amount=None,
              description: str = "", line: BudgetLine | None = None) -> BudgetLine:
    if not policy.can(user, MANAGE, action):
        raise PermissionDenied(_("U mag het budget niet wijzigen."))
    errors = {}
    if not (funding_source or "").strip():
        errors["funding_source"] = _("Vul de dekking in: waar het geld vandaan komt.")
    agenda = action.agenda
    if not year or not agenda.start_year <= int(year) <= agenda.end_year:
        errors["year"] = _("Kies een jaar van de agenda (%(start)s-%(end)s).") % {
            "start": agenda.start_year, "end": agenda.end_year}
    if errors:
        raise ValidationError(errors)
    initial = money(initial_amount, "initial_amount")
    changed = None if changed_amount in (None, "") else money(changed_amount, "changed_amount")
    _open_year(agenda.gemeente, int(year))
    fields = ("year", "funding_source", "description", "initial_amount", "changed_amount")
    before = {} if line is None else history.snapshot(line, fields)
    line = line or BudgetLine(action=action)
    line.year, line.funding_source, line.description = int(year), funding_source.strip(), description
    line.initial_amount, line.changed_amount = initial, changed
    line.save()
    summary = _("Budgetregel %(y)s: %(s)s") % {"y": line.year, "s": line.funding_source}
    history.record(user, agenda.gemeente, line, summary,
                   history.diff(before, history.snapshot(line, fields)), action=action)
    return line


@transaction.atomic
def set_year(user, gemeente, year: int, *, available, closed: bool = False) -> BudgetYear:
    """The budget available for the agenda in a year, and whether the year is closed."""
    if not policy.can(user, MANAGE) or gemeente.pk != user.gemeente_id:
        raise PermissionDenied(_("U mag het budget niet wijzigen."))
    amount = money(available, "available")
    row = BudgetYear.objects.select_for_update().filter(gemeente=gemeente, year=year).first()
    before = {} if row is None else history.snapshot(row, ("available", "closed"))
    row = row or BudgetYear(gemeente=gemeente, year=year)
    row.available, row.closed = amount, closed
    row.save()
    history.record(user, gemeente, row, _("Beschikbaar budget %(y)s vastgelegd") % {"y": year},
                   history.diff(before, history.snapshot(row, ("available", "closed"))))
    return row


def booked(line: BudgetLine, kind: str | None = None) -> Decimal:
    entries = line.entries.all() if kind is None else line.entries.filter(kind=kind)
    return entries.aggregate(total=Sum("amount"))["total"] or ZERO


@transaction.atomic
def book(user, line: BudgetLine, *, kind: str, booked_on, amount, note: str, confirm_over_budget: bool = False
         ) -> BudgetEntry:
    """A commitment or a spending. Above the line's budget only with the explicit confirmation."""
    line = BudgetLine.objects.select_for_update().select_related("action__agenda").get(pk=line.pk)
    if not policy.can(user, MANAGE, line.action):
        raise PermissionDenied(_("U mag het budget niet wijzigen."))
    errors = {}
    if kind not in BudgetEntry.Kind.values:
        errors["kind"] = _("Kies verplichting of uitgave.")
    if not booked_on:
        errors["booked_on"] = _("Vul de datum van de boeking in.")
    elif booked_on.year != line.year:
        errors["booked_on"] = _("De datum valt niet in %(year)s, het jaar van deze budgetregel.") % {"year": line.year}
    if not (note or "").strip():
        errors["note"] = _("Schrijf kort op waarvoor het geld is.")
    if errors:
        raise ValidationError(errors)
    amount = money(amount, "amount")
    if amount == 0:
        raise ValidationError({"amount": _("Een boeking van nul euro heeft geen zin.")})
    _open_year(line.action.agenda.gemeente, line.year, "booked_on")
    if kind == BudgetEntry.Kind.SPENDING:
        after = booked(line, BudgetEntry.Kind.SPENDING) + amount
        if after > line.amount and not confirm_over_budget:
            raise ValidationError({"confirm_over_budget": _(
                "Met deze uitgave komt de regel op € %(after)s, boven het budget van € %(budget)s. Bevestig dat "
                "u het budget wilt overschrijden.") % {"after": euro(after), "budget": euro(line.amount)}})
    entry = BudgetEntry.objects.create(line=line, kind=kind, booked_on=booked_on, amount=amount, note=note.strip(),
                                       booked_by=user)
    history.record(user, line.action.agenda.gemeente, entry,
                   _("%(kind)s van € %(amount)s geboekt") % {"kind": entry.get_kind_display(), "amount": euro(amount)},
                   {"amount": [None, str(amount)], "note": [None, entry.note]}, action=line.action)
    return entry


def euro(amount: Decimal | None) -> str:
    """Dutch notation: 1.800,00."""
    if amount is None:
        return "—"
    text = f"{amount:,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def year_totals(gemeente, year: int) -> dict:
    """Budget, commitments and spending in a year per line, per bouwsteen and per funding source, against
    the available budget."""
    lines = list(BudgetLine.objects.filter(action__agenda__gemeente=gemeente, year=year)
                 .select_related("action").order_by("action__bouwsteen", "action__order", "pk"))
    sums = {}
    for row in BudgetEntry.objects.filter(line__in=lines).values("line", "kind").annotate(total=Sum("amount")):
        sums[(row["line"], row["kind"])] = row["total"]
    rows = []
    for line in lines:
        rows.append({"line": line, "action": line.action, "bouwsteen": line.action.get_bouwsteen_display(),
                     "budget": line.amount, "initial": line.initial_amount, "changed": line.changed_amount,
                     "committed": sums.get((line.pk, BudgetEntry.Kind.COMMITMENT), ZERO),
                     "spent": sums.get((line.pk, BudgetEntry.Kind.SPENDING), ZERO)})
    for row in rows:
        row["left"] = row["budget"] - row["spent"]

    def group(key):
        out = {}
        for row in rows:
            bucket = out.setdefault(row[key] if key != "source" else row["line"].funding_source,
                                    {"budget": ZERO, "committed": ZERO, "spent": ZERO})
            for k in ("budget", "committed", "spent"):
                bucket[k] += row[k]
        return [{"label": k, **v} for k, v in out.items()]

    total = {k: sum((r[k] for r in rows), ZERO) for k in ("budget", "committed", "spent")}
    year_row = BudgetYear.objects.filter(gemeente=gemeente, year=year).first()
    available = year_row.available if year_row else None
    return {"year": year, "rows": rows, "per_bouwsteen": group("bouwsteen"), "per_source": group("source"),
            "total": total, "available": available, "closed": bool(year_row and year_row.closed),
            "unallocated": None if available is None else available - total["budget"]}


def xlsx(gemeente, year: int) -> bytes:
    """The year's budget as an .xlsx: numbers as numbers, and SUM formulas for the totals (Excel shows
    them in the user's own notation, Dutch Excel with decimal commas)."""
    data = year_totals(gemeente, year)
    header = [_("Bouwsteen"), _("Actie"), _("Dekking"), _("Oorspronkelijk budget"), _("Gewijzigd budget"),
              _("Budget"), _("Verplicht"), _("Uitgegeven"), _("Over")]
    rows = [header]
    for i, row in enumerate(data["rows"], start=2):
        rows.append([row["bouwsteen"], row["action"].title, row["line"].funding_source, row["initial"],
                     row["changed"], row["budget"], row["committed"], row["spent"], tabular.Formula(f"=F{i}-H{i}")])
    last = len(rows)
    rows.append([_("Totaal"), "", "", *[tabular.Formula(f"=SUM({c}2:{c}{last})") if last >= 2 else 0
                                         for c in "DEFGHI"]])
    if data["available"] is not None:
        rows.append([_("Beschikbaar budget %(year)s") % {"year": year}, "", "", "", "", data["available"]])
    return tabular.write_xlsx(rows, title=_("Budget %(year)s") % {"year": year})
