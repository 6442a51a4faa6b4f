"""Import of activities (the regisseur), the CSV export and the iCalendar feeds of the public catalogue.

The export and the feeds are public, like the activity pages and the HSDS API: they hold exactly what
catalogue.public_activities() puts on the public site, and anyone may put a wijk's agenda in a calendar.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from samen.core.forms import UtrechtFormMixin
from samen.core.models import Organisation, Wijk
from samen.core.public import public_gemeente
from samen.core.views.mixins import PolicyMixin
from samen.kwaliteit.services import catalogue, transfer

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ActivityImportForm(UtrechtFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bestand met activiteiten (CSV of Excel)"),
        help_text=gettext_lazy("Eén activiteit per rij, met de kolommen van het voorbeeldbestand. Een CSV-bestand "
                               "mag ; of , als scheidingsteken hebben."))
    dry_run = forms.BooleanField(label=gettext_lazy("Alleen controleren, nog niets opslaan"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dry_run"].widget.attrs["class"] = "utrecht-checkbox utrecht-checkbox--html-input"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 10 MB."))
        return upload


class ImportView(PolicyMixin, FormView):
    capability = "catalogue.import"
    http_method_names = ["get", "post"]
    template_name = "kwaliteit/transfer/import.html"
    form_class = ActivityImportForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "columns": transfer.describe_columns()}

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report = transfer.import_activities(self.request.user, upload.read(), upload.name,
                                            dry_run=form.cleaned_data["dry_run"])
        if not report.ok:
            return self.render_to_response(self.get_context_data(form=form, report=report), status=400)
        if report.dry_run:
            return self.render_to_response(self.get_context_data(form=form, checked=report))
        messages.success(self.request, _summary(report))
        return redirect("kwaliteit:import")


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
        body = transfer.export_csv(transfer.public_export(gemeente))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="activiteiten-{gemeente.code}-{stamp}.csv"'
        return response


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
