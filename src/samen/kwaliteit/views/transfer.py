"""Import of activities (the regisseur), the CSV export and the iCalendar feeds of the public catalogue.

The export and the feeds are public, like the activity pages and the HSDS API: they hold exactly what
catalogue.public_activities() puts on the public site, and anyone may put a wijk's agenda in a calendar.
"""

from __future__ import annotations

from django import forms
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from samen.core import tabular
from samen.core.forms import UploadField, UtrechtFormMixin
from samen.core.models import Organisation, Wijk
from samen.core.public import public_gemeente
from samen.core.views.importing import ConfirmImportView, to_preview
from samen.core.views.mixins import PolicyMixin
from samen.kwaliteit.services import catalogue, transfer


class ActivityImportForm(UtrechtFormMixin, forms.Form):
    file = UploadField(
        label=gettext_lazy("Bestand met activiteiten (CSV of Excel)"),
        help_text=gettext_lazy("Eén activiteit per rij, met de kolommen van het voorbeeldbestand. Een CSV-bestand "
                               "mag ; of , als scheidingsteken hebben."))


class ImportView(PolicyMixin, FormView):
    """Upload and check; the preview (ImportConfirmView) shows what will change before anything is stored."""

    capability = "catalogue.import"
    http_method_names = ["get", "post"]
    template_name = "kwaliteit/transfer/import.html"
    form_class = ActivityImportForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "columns": transfer.describe_columns()}

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        plan = transfer.plan_activities(self.request.user, upload.read(), upload.name)
        if not plan.ok:
            return self.render_to_response(self.get_context_data(form=form, report=plan.report), status=400)
        return to_preview("kwaliteit:import_confirm", transfer.stage_catalogue_plan(plan))


class ImportConfirmView(ConfirmImportView):
    capability = "catalogue.import"
    template_name = "kwaliteit/transfer/import_confirm.html"
    kind = transfer.CATALOGUE_IMPORT
    upload_url = "kwaliteit:import"

    def confirm(self, user, token):
        return transfer.confirm_catalogue_import(user, token)

    def success_message(self, report) -> str:
        return _summary(report)


def _summary(report: transfer.CatalogueImportReport) -> str:
    text = _("Ingelezen: %(created)s nieuwe en %(changed)s gewijzigde activiteiten; %(unchanged)s waren al "
             "zo.") % {"created": report.created, "changed": report.changed, "unchanged": report.unchanged}
    if report.pending:
        text += " " + _("%(n)s wachten op beoordeling door de regisseur.") % {"n": report.pending}
    return text


class ImportExampleView(PolicyMixin, View):
    """The example file of docs/catalogus-import.md, to start from."""

    capability = "catalogue.import"
    http_method_names = ["get"]

    def get(self, request):
        return FileResponse(transfer.EXAMPLE_FILE.open("rb"), as_attachment=True,
                            filename="activiteiten_voorbeeld.csv", content_type="text/csv; charset=utf-8")


class ExportCsvView(View):
    """The public catalogue as CSV, in the import's columns (so it can be edited and imported again)."""

    http_method_names = ["get"]

    def get(self, request):
        gemeente = public_gemeente(request)
        stamp = timezone.localdate().isoformat()
        return tabular.csv_response(transfer.export_rows(transfer.public_export(gemeente)),
                                    f"activiteiten-{gemeente.code}-{stamp}.csv")


class _FeedView(View):
    http_method_names = ["get"]

    def calendar(self, request, activities, name: str, filename: str) -> HttpResponse:
        body = transfer.feed(activities, name, uid_domain=request.get_host().split(":")[0] or "samen")
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
        response["Cache-Control"] = "public, max-age=900"
        return response


class FeedView(_FeedView):
    """Every public activity of the municipality."""

    def get(self, request):
        gemeente = public_gemeente(request)
        return self.calendar(request, catalogue.public_activities(gemeente),
                             _("Activiteiten in %(gemeente)s") % {"gemeente": gemeente.name}, gemeente.code.lower())


class FeedWijkView(_FeedView):
    def get(self, request, code):
        wijk = get_object_or_404(Wijk.objects.select_related("gemeente"), code=code.upper())
        activities = catalogue.public_activities(wijk.gemeente).filter(wijk=wijk)
        return self.calendar(request, activities, _("Activiteiten in %(wijk)s") % {"wijk": wijk.display_name},
                             wijk.code.lower())


class FeedOrganisationView(_FeedView):
    def get(self, request, pk):
        organisation = get_object_or_404(Organisation.objects.select_related("gemeente"), pk=pk)
        activities = catalogue.public_activities(organisation.gemeente).filter(organisation=organisation)
        return self.calendar(request, activities,
                             _("Activiteiten van %(organisation)s") % {"organisation": organisation.name},
                             f"organisatie-{organisation.pk}")
