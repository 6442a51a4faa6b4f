"""The staff screens of the catalogue's activities: the list, create, edit, the page with its versions,
confirm, withdraw and republish. Providers keep their own entries (policy.visible); writes go through
kwaliteit.services.catalogue."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from samen.core import policy
from samen.core.models import Organisation, Wijk
from samen.core.views.mixins import PolicyMixin
from samen.core.views.pages import record_panels
from samen.kwaliteit import manage_forms as forms
from samen.kwaliteit import publication, schedule
from samen.kwaliteit.models import Activity, ActivityVersion
from samen.kwaliteit.publication import PublicationDecision
from samen.kwaliteit.review import VersionStatus
from samen.kwaliteit.services import catalogue
from samen.kwaliteit.views.common import (
    PER_PAGE,
    CataloguePage,
    LoadsEditableActivity,
    activity_or_404,
    activity_row,
    annotated_activities,
    badges_of,
    public_url,
)


class ActivityListView(PolicyMixin, CataloguePage):
    """The staff catalogue with filters; a provider sees its own entries, those to confirm first."""

    capability = "catalogue.view"
    template_name = "kwaliteit/manage/activity_list.html"
    SHOW = {"verouderd": gettext_lazy("verouderd (bevestigen)"), "van-de-site": gettext_lazy("van de site af"),
            "beoordelen": gettext_lazy("wacht op beoordeling")}

    def get_context_data(self, **kwargs):
        user, now = self.request.user, timezone.now()
        gemeente = user.gemeente
        is_provider = policy.can(user, "catalogue.provider")
        filters = {key: self.request.GET.get(key, "").strip() for key in ("q", "status", "wijk", "organisatie",
                                                                          "toon")}
        activities = self._filter(annotated_activities(user, gemeente, now), filters, gemeente, now, is_provider)
        page = Paginator(activities.order_by("title", "pk"), PER_PAGE).get_page(self.request.GET.get("pagina"))
        to_confirm = []
        if is_provider:
            to_confirm = list(annotated_activities(user, gemeente, now).filter(pk__in=catalogue.stale(gemeente, now)
                                                                     .values("pk")).order_by("confirmed_at"))
        return {**super().get_context_data(**kwargs), "page": page, "filters": filters, "is_provider": is_provider,
                "rows": [activity_row(a, now) for a in page.object_list],
                "to_confirm": [activity_row(a, now) for a in to_confirm],
                "query": urlencode({k: v for k, v in filters.items() if v}),
                "statuses": Activity.Status.choices, "show_choices": list(self.SHOW.items()),
                "wijken": policy.visible(user, Wijk).order_by("code"),
                "organisations": None if is_provider else policy.visible(user, Organisation).order_by("name"),
                "can_create": policy.can(user, "catalogue.edit"),
                "can_review": policy.can(user, "catalogue.review"),
                "pending_count": policy.visible(user, ActivityVersion).filter(status=VersionStatus.PENDING).count()}

    @staticmethod
    def _filter(activities, filters, gemeente, now, is_provider):
        if filters["q"]:
            activities = activities.filter(title__icontains=filters["q"])
        if filters["status"] in Activity.Status.values:
            activities = activities.filter(status=filters["status"])
        if filters["wijk"]:
            activities = activities.filter(wijk__code=filters["wijk"])
        if filters["organisatie"].isdigit() and not is_provider:
            activities = activities.filter(organisation_id=int(filters["organisatie"]))
        if filters["toon"] == "verouderd":
            activities = activities.filter(pk__in=catalogue.stale(gemeente, now).values("pk"))
        elif filters["toon"] == "van-de-site":
            activities = activities.filter(status=Activity.Status.PUBLISHED, on_site=False)
        elif filters["toon"] == "beoordelen":
            activities = activities.filter(has_pending=True)
        return activities


class _ActivityFormView(CataloguePage):
    template_name = "kwaliteit/manage/activity_form.html"

    def make_form(self, data=None, initial=None) -> forms.ManageActivityForm:
        raise NotImplementedError

    def submit(self, form: forms.ManageActivityForm) -> ActivityVersion:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "form": kwargs.get("form") or self.make_form(),
                "is_provider": policy.can(self.request.user, "catalogue.provider")}

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                version = self.submit(form)
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                if version.status == VersionStatus.PENDING:
                    messages.success(request, _("Verstuurd ter beoordeling. De regisseur kijkt ernaar; pas daarna "
                                                "ziet het publiek de activiteit of de wijziging."))
                else:
                    messages.success(request, _("Opgeslagen en gepubliceerd."))
                return redirect("kwaliteit:activity_detail", pk=version.activity_id)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ActivityCreateView(PolicyMixin, _ActivityFormView):
    capability = "catalogue.edit"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if policy.can(user, "catalogue.provider") and not user.organisation_id:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None, initial=None):
        user = self.request.user
        organisations = None if policy.can(user, "catalogue.provider") \
            else policy.visible(user, Organisation).order_by("name")
        return forms.ManageActivityForm(data, gemeente=user.gemeente, organisations=organisations,
                                  initial={"languages": ["nl"], "location_city": user.gemeente.name})

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Nieuwe activiteit")}

    def submit(self, form):
        user = self.request.user
        organisation = form.cleaned_data.get("organisation") or user.organisation
        return catalogue.submit(user, form.service_data(), organisation=organisation)


class ActivityEditView(PolicyMixin, LoadsEditableActivity, _ActivityFormView):
    capability = "catalogue.edit"

    def pending(self) -> ActivityVersion | None:
        return self.activity.versions.filter(status=VersionStatus.PENDING).order_by("-number").first()

    def make_form(self, data=None, initial=None):
        pending = self.pending()
        content = pending.data if pending else forms.live_content(self.activity)
        return forms.ManageActivityForm(data, gemeente=self.activity.gemeente, initial=forms.form_initial(content))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "activity": self.activity, "pending": self.pending(),
                "title": _("Activiteit bewerken")}

    def submit(self, form):
        return catalogue.submit(self.request.user, form.service_data(), activity=self.activity)


class ActivityDetailView(PolicyMixin, CataloguePage):
    """The live content, a pending version with what it changes, and the history of versions."""

    capability = "catalogue.view"
    template_name = "kwaliteit/manage/activity_detail.html"

    def get_context_data(self, **kwargs):
        user, now = self.request.user, timezone.now()
        activity = get_object_or_404(annotated_activities(user, user.gemeente, now).select_related("location"),
                                     pk=kwargs["pk"])
        versions = list(activity.versions.select_related("submitted_by", "reviewed_by").order_by("-number"))
        live = forms.live_content(activity)
        pending = next((v for v in versions if v.status == VersionStatus.PENDING), None)
        history = []
        for index, version in enumerate(versions):
            previous = versions[index + 1] if index + 1 < len(versions) else None
            history.append({"version": version,
                            "changes": forms.changes(previous.data, version.data) if previous else None})
        can_edit = catalogue.may_edit(user, activity)
        return {**super().get_context_data(**kwargs), "activity": activity, "badges": badges_of(activity, now),
                "rows": forms.content_rows(live), "when": forms.when_text(activity),
                "next_date": schedule.next_date(activity, timezone.localdate(now)),
                "pending": pending, "history": history,
                "pending_changes": forms.changes(live, pending.data)
                if pending and activity.status != Activity.Status.DRAFT else None,
                "stale": catalogue.is_stale(activity, now), "can_edit": can_edit,
                "can_review": policy.can(user, "catalogue.review"),
                "can_withdraw": activity.status != Activity.Status.WITHDRAWN and (
                    can_edit or policy.can(user, "catalogue.review")),
                "can_republish": any(t.name == PublicationDecision.REPUBLISH
                                     for t in publication.WORKFLOW.available(activity, user)),
                "public_url": public_url(activity) if getattr(activity, "on_site", False) else None,
                # what other blocks add to an activity's page (ondersteunen: the local evidence)
                "sections": record_panels(user, activity)}


class ActivityConfirmView(PolicyMixin, LoadsEditableActivity, CataloguePage):
    """'Still right': the provider confirms the entry unchanged; the reminder e-mail links here."""

    capability = "catalogue.edit"
    template_name = "kwaliteit/manage/activity_confirm.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "activity": self.activity,
                "rows": forms.content_rows(forms.live_content(self.activity)), "when": forms.when_text(self.activity),
                "stale": catalogue.is_stale(self.activity)}

    def post(self, request, pk):
        catalogue.confirm(request.user, self.activity)
        messages.success(request, _("Bevestigd: \"%(title)s\" klopt nog. Dank u wel.") % {"title": self.activity.title})
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return redirect(target)
        return redirect("kwaliteit:activity_detail", pk=pk)


class ActivityWithdrawView(PolicyMixin, View):
    """Take an activity off the public site (POST from its page)."""

    capability = "catalogue.edit"

    def get(self, request, pk):
        """First the question, with what withdrawing means (and how it is undone)."""
        activity = activity_or_404(request.user, pk)
        if not (catalogue.may_edit(request.user, activity) or policy.can(request.user, "catalogue.review", activity)):
            raise PermissionDenied
        if activity.status == Activity.Status.WITHDRAWN:
            return redirect("kwaliteit:activity_detail", pk=pk)
        dates = activity.occurrences.filter(date__gte=timezone.localdate()).count()
        pending = activity.versions.filter(status=VersionStatus.PENDING).exists()
        consequences = [
            _("\"%(title)s\" verdwijnt van de openbare site, uit de zoekfunctie en uit de agenda's (iCalendar).")
            % {"title": activity.title},
            ngettext("De %(n)s geplande datum vervalt.", "De %(n)s geplande datums vervallen.", dates) % {"n": dates}
            if dates else _("Er zijn geen geplande datums meer."),
            _("De activiteit blijft bewaard in het beheer, met al haar versies.")]
        if pending:
            consequences.append(_("De wijziging die nog op beoordeling wacht, vervalt."))
        return render(request, "core/confirm.html", {"confirm": {
            "title": _("Activiteit terugtrekken van de site?"), "button": _("Ja, terugtrekken"), "danger": True,
            "consequences": consequences,
            "undo": _("Ongedaan maken kan: de regisseur zet de activiteit weer op de site (\"Weer publiceren\"), "
                      "met de laatst goedgekeurde inhoud."),
            "cancel_url": reverse("kwaliteit:activity_detail", args=[pk])}})

    def post(self, request, pk):
        activity = activity_or_404(request.user, pk)
        try:
            catalogue.withdraw(request.user, activity)  # PermissionDenied for another organisation's entry
        except ValidationError as refused:  # already withdrawn: the table says why
            messages.error(request, " ".join(refused.messages))
        else:
            undo = (" " + _("Per ongeluk? Met \"Weer publiceren\" staat zij er weer op.")
                    if policy.can(request.user, "catalogue.review") else "")
            messages.success(request, _("Teruggetrokken: \"%(title)s\" staat niet meer op de site.")
                             % {"title": activity.title} + undo)
        return redirect("kwaliteit:activity_detail", pk=pk)


class ActivityRepublishView(PolicyMixin, View):
    """The regisseur puts a withdrawn activity back on the site (POST from its page)."""

    capability = "catalogue.review"

    def post(self, request, pk):
        activity = activity_or_404(request.user, pk)
        try:
            catalogue.republish(request.user, activity)
        except ValidationError as refused:  # not withdrawn: the table says why
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("Weer gepubliceerd: \"%(title)s\" staat weer op de site.")
                             % {"title": activity.title})
        return redirect("kwaliteit:activity_detail", pk=pk)
