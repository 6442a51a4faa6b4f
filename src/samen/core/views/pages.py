"""Staff pages of the core: home per role, wijken, organisations, access log, postcode import."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from samen.core import accesslog, policy, registry
from samen.core.accesslog import filter_access_log
from samen.core.forms import AccessLogFilterForm, PostcodeImportForm
from samen.core.maps import wijk_map_svg
from samen.core.models import AccessLogEntry, Organisation, Wijk
from samen.core.services import geography
from samen.core.views.mixins import PolicyMixin


def healthz(request):
    """For the load balancer: the process answers and the database is reachable."""
    Wijk.objects.exists()
    return JsonResponse({"status": "ok"})


def panels(panel_registry: registry.Registry, user, *args) -> list[dict]:
    """The registered panels this user may see and that have something to show, in their order."""
    shown = []
    for panel in registry.by_order(panel_registry):
        if panel.capability is not None and not policy.can(user, panel.capability):
            continue
        context = panel.context(user, *args)
        if context is not None:
            shown.append({"key": panel.key, "template": panel.template, "context": context})
    return shown


def record_panels(user, obj) -> list[dict]:
    """The sections other blocks add to this record's page (registry.record_section), for this user."""
    shown = []
    for section in registry.sections_for(obj._meta.label_lower):
        if section.capability is not None and not policy.can(user, section.capability):
            continue
        context = section.context(user, obj)
        if context is not None:
            shown.append({"key": section.key, "template": section.template, "context": context})
    return shown


class HomeView(PolicyMixin, TemplateView):
    """What the user's role works on: the panels the building blocks register (registry.home_panel)."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["role"] = user.get_role_display()
        context["wijken"] = user.wijken.all() if user.wijken.exists() else None
        context["panels"] = panels(registry.home_panels, user)
        context["today"] = due_today(user)
        return context


def due_today(user) -> list[dict]:
    """The lines of every block's ``registry.today_items`` this user may see, in their order."""
    lines = []
    for entry in registry.by_order(registry.today):
        if entry.capability is None or policy.can(user, entry.capability):
            lines.extend(entry.items(user))
    return lines


class WijkListView(PolicyMixin, TemplateView):
    capability = "geography.view"
    template_name = "core/wijk_list.html"

    def get_context_data(self, **kwargs):
        wijken = list(policy.visible(self.request.user, Wijk).annotate(buurt_count=Count("buurten")))
        return {**super().get_context_data(**kwargs), "wijken": wijken, "map": wijk_map_svg(wijken)}


class WijkDetailView(PolicyMixin, TemplateView):
    capability = "geography.view"
    template_name = "core/wijk_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        wijk = get_object_or_404(policy.visible(user, Wijk), code=kwargs["code"])
        return {**super().get_context_data(**kwargs), "wijk": wijk, "buurten": wijk.buurten.all(),
                "sections": panels(registry.wijk_sections, user, wijk), "map": wijk_map_svg([wijk])}


class OrganisationListView(PolicyMixin, TemplateView):
    capability = "organisation.view"
    template_name = "core/organisation_list.html"

    def get_context_data(self, **kwargs):
        organisations = policy.visible(self.request.user, Organisation)
        kind = self.request.GET.get("soort", "")
        if kind in Organisation.Type.values:
            organisations = organisations.filter(type=kind)
        return {**super().get_context_data(**kwargs), "organisations": organisations,
                "types": Organisation.Type.choices, "selected_type": kind}


class AccessLogView(PolicyMixin, TemplateView):
    """The regisseur and beheerder read and filter the access log. Nothing here changes it."""

    capability = "accesslog.view"
    template_name = "core/accesslog.html"

    def get_context_data(self, **kwargs):
        form = AccessLogFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        entries = filter_access_log(policy.visible(self.request.user, AccessLogEntry), filters)
        if filters.get("sort") == "oudste":
            entries = entries.order_by("at", "id")
        page = Paginator(entries.select_related("actor"), 50).get_page(self.request.GET.get("pagina"))
        query = self.request.GET.copy()
        query.pop("pagina", None)
        rows = [{"entry": entry, "sentence": accesslog.sentence(entry), "screen": accesslog.screen_label(entry.route)}
                for entry in page.object_list]
        return {**super().get_context_data(**kwargs), "form": form, "page": page, "rows": rows,
                "query": query.urlencode()}


class PostcodeImportView(PolicyMixin, FormView):
    capability = "postcode.import"
    http_method_names = ["get", "post"]
    template_name = "core/postcode_import.html"
    form_class = PostcodeImportForm

    def get_context_data(self, **kwargs):
        user = self.request.user
        count = policy.visible(user, Wijk).filter().values("buurten__postcodes").exclude(
            buurten__postcodes=None).count()
        return {**super().get_context_data(**kwargs), "range_count": count}

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        plan = geography.plan_postcodes(self.request.user.gemeente, upload.read(), upload.name)
        if not plan.ok:
            return self.render_to_response(self.get_context_data(form=form, report=plan.report), status=400)
        pending = geography.stage_postcode_plan(self.request.user, plan)
        response = redirect("core:postcode_confirm")  # the preview (core.views.importing.PostcodeConfirmView)
        response["Location"] += f"?token={pending.token}"
        return response
