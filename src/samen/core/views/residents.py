"""Resident screens. All reads and writes go through core.services.residents (access log included)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from samen.core import listing, policy, tabular
from samen.core.forms import ResidentFilterForm, ResidentForm
from samen.core.models import Purpose, Resident, Wijk
from samen.core.services import residents as service
from samen.core.views.mixins import PolicyMixin


class ResidentListView(PolicyMixin, TemplateView):
    capability = "resident.view"
    template_name = "core/resident_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        wijken = policy.visible(user, Wijk).order_by("code")
        form = ResidentFilterForm(self.request.GET or None, wijken=wijken)
        filters = form.cleaned_data if form.is_valid() else {}
        residents = listing.search(service.list_residents(user), filters.get("q", ""), ("name", "postcode"))
        if filters.get("wijk"):
            residents = residents.filter(buurt__wijk__code=filters["wijk"])
        residents = listing.sort(residents, filters.get("sort", ""), ResidentFilterForm.SORT)
        page = Paginator(residents, 25).get_page(self.request.GET.get("pagina"))
        service.log_shown(user, page.object_list, purpose=Purpose.REGIE, route=self.route_name())
        return {**super().get_context_data(**kwargs), "page": page, "form": form, "filters": filters,
                "query": listing.querystring(self.request),
                "can_create": policy.can(self.request.user, "resident.create"),
                "can_export": policy.can(self.request.user, "resident.export")}


class ResidentDetailView(PolicyMixin, TemplateView):
    capability = "resident.view"
    template_name = "core/resident_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        try:
            resident = service.view_resident(user, kwargs["pk"], purpose=Purpose.ONDERSTEUNING,
                                             route=self.route_name())
        except Resident.DoesNotExist:
            raise Http404 from None
        from samen.core.views.pages import record_panels

        return {**super().get_context_data(**kwargs), "resident": resident,
                "sections": record_panels(user, resident),
                "can_change": policy.can(user, "resident.change"),
                "can_delete": policy.can(user, "resident.delete")}


class _ResidentFormView(PolicyMixin, TemplateView):
    template_name = "core/resident_form.html"

    def post(self, request, *args, **kwargs):
        form = ResidentForm(request.POST)
        if form.is_valid():
            try:
                resident = self.save(form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, self.success_message)
                return redirect("core:resident_detail", pk=resident.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ResidentCreateView(_ResidentFormView):
    capability = "resident.create"
    success_message = _("De inwoner is vastgelegd.")

    def get_context_data(self, **kwargs):
        return {"title": _("Inwoner vastleggen"), "form": kwargs.get("form") or ResidentForm()}

    def save(self, data):
        return service.register_resident(self.request.user, data, purpose=Purpose.ONDERSTEUNING,
                                         route=self.route_name())


class ResidentUpdateView(_ResidentFormView):
    capability = "resident.change"
    success_message = _("De gegevens zijn gewijzigd.")

    def get_context_data(self, **kwargs):
        form = kwargs.get("form")
        if form is None:
            try:
                resident = service.view_resident(self.request.user, self.kwargs["pk"],
                                                 purpose=Purpose.ONDERSTEUNING, route=self.route_name())
            except Resident.DoesNotExist:
                raise Http404 from None
            form = ResidentForm.for_resident(resident)
        return {"title": _("Gegevens wijzigen"), "form": form}

    def save(self, data):
        try:
            return service.change_resident(self.request.user, self.kwargs["pk"], data,
                                           purpose=Purpose.ONDERSTEUNING, route=self.route_name())
        except Resident.DoesNotExist:
            raise Http404 from None


class ResidentDeleteView(PolicyMixin, TemplateView):
    """Erasure at the resident's request (AVG art. 17)."""

    capability = "resident.delete"
    template_name = "core/resident_delete.html"
    http_method_names = ["get", "post"]

    def get_context_data(self, **kwargs):
        try:
            consequences = service.erasure_consequences(self.request.user, kwargs["pk"])
        except Resident.DoesNotExist:
            raise Http404 from None
        return {"pk": kwargs["pk"], "consequences": consequences}

    def post(self, request, pk):
        try:
            service.erase_resident(request.user, pk, purpose=Purpose.INZAGEVERZOEK, route=self.route_name())
        except Resident.DoesNotExist:
            raise Http404 from None
        messages.success(request, _("De gegevens van de inwoner zijn verwijderd."))
        return redirect("core:resident_list")


class ResidentExportView(PolicyMixin, TemplateView):
    capability = "resident.export"

    def get(self, request, *args, **kwargs):
        header, rows = service.export_residents(request.user, purpose=Purpose.VERANTWOORDING,
                                                route=self.route_name())
        stamp = timezone.localdate().isoformat()
        # Names and notes come from forms anyone can fill in: every cell is guarded against formulas.
        return tabular.csv_response([header, *rows], f"inwoners-{stamp}.csv", delimiter=",", bom=False)


class AddressCheckView(PolicyMixin, TemplateView):
    """htmx: while a worker types an address, show the buurt and wijk it lies in (or why not)."""

    capability = "resident.create"
    template_name = "core/_address_check.html"

    def get_context_data(self, **kwargs):
        from samen.core.services import geography

        postcode = self.request.GET.get("postcode", "")
        number = self.request.GET.get("house_number", "")
        context = {"buurt": None, "problem": None}
        if not postcode.strip():
            return context
        try:
            context["buurt"] = geography.locate(self.request.user.gemeente, postcode,
                                                int(number) if number.strip().isdigit() else None)
        except (geography.InvalidPostcode, geography.UnknownAddress) as exc:
            context["problem"] = str(exc)
        return context
