"""The one write path for residents' personal data, and the reads that must leave a trace.

Every function takes the acting user and a purpose; reads go through policy.visible() and every
read, change, export and erasure appends to the access log in the same transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samen.core import accesslog, policy
from samen.core.models import AccessAction, Purpose, Resident
from samen.core.services.geography import InvalidPostcode, UnknownAddress, clean_postcode, locate

EDITABLE_FIELDS = ("name", "postcode", "house_number", "house_number_addition", "birth_year", "phone", "email")


def _require(user, capability: str, obj=None):
    if not policy.can(user, capability, obj):
        raise PermissionDenied(_("U heeft geen toegang tot deze gegevens."))


def list_residents(user):
    """The residents ``user`` may see. Log the ones actually shown with log_shown()."""
    _require(user, "resident.view")
    return policy.visible(user, Resident).select_related("buurt__wijk")


def log_shown(user, residents, *, purpose: Purpose, route: str) -> None:
    accesslog.record(actor=user, action=AccessAction.VIEW, records=residents, purpose=purpose, route=route)


def view_resident(user, pk, *, purpose: Purpose, route: str) -> Resident:
    _require(user, "resident.view")
    try:
        resident = policy.visible(user, Resident).select_related("buurt__wijk").get(pk=pk)
    except (Resident.DoesNotExist, ValueError, TypeError):
        raise Resident.DoesNotExist from None
    accesslog.record(actor=user, action=AccessAction.VIEW, records=[resident], purpose=purpose, route=route)
    return resident


def _apply(resident: Resident, data: dict) -> None:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Dit veld bestaat niet.") for name in sorted(unknown)})
    for name, value in data.items():
        setattr(resident, name, value if value is not None else ("" if name not in {"house_number", "birth_year"}
                                                                   else None))
    try:
        resident.postcode = clean_postcode(resident.postcode)
        resident.buurt = locate(resident.gemeente, resident.postcode, resident.house_number)
    except InvalidPostcode as exc:
        raise ValidationError({"postcode": str(exc)}) from None
    except UnknownAddress as exc:
        raise ValidationError({"postcode": str(exc)}) from None
    resident.full_clean()


def _check_in_scope(user, resident: Resident) -> None:
    """A worker scoped to wijken cannot place a resident outside them (and so lose sight of the record)."""
    if policy.scope(user) == "gemeente":
        return
    if not user.wijken.filter(pk=resident.buurt.wijk_id).exists():
        raise ValidationError({"postcode": _("Dit adres ligt buiten uw wijken.")})


@transaction.atomic
def register_resident(user, data: dict, *, purpose: Purpose, route: str) -> Resident:
    _require(user, "resident.create")
    resident = Resident(gemeente_id=user.gemeente_id)
    _apply(resident, data)
    _check_in_scope(user, resident)
    resident.save()
    accesslog.record(actor=user, action=AccessAction.CREATE, records=[resident], purpose=purpose, route=route)
    return resident


@transaction.atomic
def change_resident(user, pk, data: dict, *, purpose: Purpose, route: str) -> Resident:
    _require(user, "resident.change")
    resident = policy.visible(user, Resident).select_for_update().get(pk=pk)
    _apply(resident, data)
    _check_in_scope(user, resident)
    resident.save()
    accesslog.record(actor=user, action=AccessAction.CHANGE, records=[resident], purpose=purpose, route=route)
    return resident


@transaction.atomic
def erase_resident(user, pk, *, purpose: Purpose, route: str) -> None:
    """Erase a resident's record (AVG right to erasure). The access log keeps only the id."""
    _require(user, "resident.delete")
    resident = policy.visible(user, Resident).select_for_update().get(pk=pk)
    accesslog.record(actor=user, action=AccessAction.DELETE, records=[resident], purpose=purpose, route=route)
    resident.delete()


def erasure_consequences(user, pk) -> list[str]:
    """What erasing this resident takes with it, in words: the records deleted with it and those that
    lose their link to it (found by Django's delete collector, so every building block's records count)."""
    from django.db import router
    from django.db.models import QuerySet
    from django.db.models.deletion import Collector
    from django.utils.translation import gettext, ngettext

    _require(user, "resident.delete")
    resident = policy.visible(user, Resident).get(pk=pk)
    collector = Collector(using=router.db_for_write(Resident))
    collector.collect([resident])
    deleted: dict = {}
    for model, objects in collector.data.items():
        deleted[model] = deleted.get(model, 0) + len(objects)
    for queryset in collector.fast_deletes:
        deleted[queryset.model] = deleted.get(queryset.model, 0) + queryset.count()
    lines = [gettext("De gegevens van de inwoner (naam, adres, geboortejaar, telefoon, e-mail) worden gewist.")]
    for model, count in deleted.items():
        if model is not Resident and count:
            what = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            lines.append(ngettext("%(count)s %(what)s wordt mee verwijderd.",
                                  "%(count)s %(what)s worden mee verwijderd.", count) % {"count": count, "what": what})
    for (field, _value), objects in collector.field_updates.items():
        count = sum(o.count() if isinstance(o, QuerySet) else len(o) for o in objects)
        if count:
            model = field.model
            lines.append(ngettext("%(count)s %(what)s blijft bestaan, zonder koppeling aan de inwoner.",
                                  "%(count)s %(what)s blijven bestaan, zonder koppeling aan de inwoner.", count)
                         % {"count": count, "what": model._meta.verbose_name if count == 1
                            else model._meta.verbose_name_plural})
    lines.append(gettext("Het toegangslog bewaart alleen dat het gegeven is verwijderd, niet de inhoud."))
    return lines


def export_residents(user, *, purpose: Purpose, route: str):
    """Rows for a CSV export of the residents the user may see; every exported record is logged."""
    _require(user, "resident.export")
    residents = list(policy.visible(user, Resident).select_related("buurt__wijk").order_by("pk"))
    accesslog.record(actor=user, action=AccessAction.EXPORT, records=residents, purpose=purpose, route=route)
    header = ["id", "naam", "postcode", "huisnummer", "toevoeging", "buurt", "wijk", "geboortejaar",
              "telefoon", "e-mail"]
    rows = [[r.pk, r.name, r.postcode, r.house_number or "", r.house_number_addition,
             r.buurt.name if r.buurt else "", r.buurt.wijk.display_name if r.buurt else "",
             r.birth_year or "", r.phone, r.email] for r in residents]
    return header, rows
