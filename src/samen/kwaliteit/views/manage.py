"""The staff side of the catalogue, under /catalogus/: providers keep their own entries, the regisseur
reviews every new entry and change (with the version history and what changed), confirms and withdraws;
interventions and theme weeks.

Reads start at policy.visible() (a provider sees its own organisation's entries only); every write goes
through a kwaliteit service (catalogue, interventions, themeweeks), which also sends the e-mails.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Min, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from samen.core import policy
from samen.core.models import Organisation, Wijk
from samen.core.views.mixins import PolicyMixin
from samen.kwaliteit import manage_forms as forms
from samen.kwaliteit import publication, schedule
from samen.kwaliteit.models import Activity, ActivityVersion, Intervention, ThemeWeek
from samen.kwaliteit.publication import PublicationDecision
from samen.kwaliteit.review import VersionStatus
from samen.kwaliteit.services import catalogue, interventions, themeweeks

PER_PAGE = 50


def _activity(user, pk: int) -> Activity:
    """An activity the user may see, or 404 (a provider never learns that another's entry exists)."""
    return get_object_or_404(policy.visible(user, Activity).select_related("organisation", "wijk", "location",
                                                                          "gemeente"), pk=pk)


def _public_url(activity: Activity) -> str | None:
    """The activity's public page, once the public site has one."""
    try:
        return reverse("informeren:activity", args=[activity.pk])
    except NoReverseMatch:
        return None


def _badges(activity: Activity, now) -> list[str]:
    """Short states for the list and the page: draft, pending change, withdrawn, stale, off the site."""
    badges = []
    if activity.status == Activity.Status.DRAFT:
        badges.append(_("nieuw, nog niet goedgekeurd"))
    if activity.status == Activity.Status.WITHDRAWN:
        badges.append(_("teruggetrokken"))
    if getattr(activity, "has_pending", False):
        badges.append(_("wacht op beoordeling") if activity.status == Activity.Status.DRAFT
                      else _("wijziging wacht op beoordeling"))
    if activity.status == Activity.Status.PUBLISHED:
        stale = catalogue.is_stale(activity, now)
        if not getattr(activity, "on_site", True):
            badges.append(_("van de site af: niet bevestigd") if stale else _("van de site af: afgelopen"))
        elif stale:
            badges.append(_("verouderd: bevestigen"))
    return badges


class _Page(TemplateView):
    """A catalogue page: adds the catalogue's own links (what the user's role may open)."""

    def get_context_data(self, **kwargs):
        user = self.request.user
        links = [("catalogue.view", "kwaliteit:activity_list", _("Activiteiten")),
                 ("catalogue.edit", "kwaliteit:activity_create", _("Nieuwe activiteit")),
                 ("catalogue.review", "kwaliteit:review_queue", _("Beoordelen")),
                 ("catalogue.view", "kwaliteit:intervention_list", _("Interventies")),
                 ("catalogue.view", "kwaliteit:themeweek_list", _("Themaweken"))]
        nav = [{"url": reverse(name), "label": label, "current": self.request.path == reverse(name)}
               for capability, name, label in links if policy.can(user, capability)]
        return {**super().get_context_data(**kwargs), "catalogue_nav": nav}


class _Loads:
    """Loads the record of the URL's pk once PolicyMixin has checked the login and the capability (list it
    after PolicyMixin among the bases), so a role without the capability gets 403 before any lookup."""

    def load(self, request, pk: int) -> None:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.load(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class _LoadsEditableActivity(_Loads):
    def load(self, request, pk):
        self.activity = _activity(request.user, pk)
        if not catalogue.may_edit(request.user, self.activity):
            raise PermissionDenied


def _row(activity: Activity, now) -> dict:
    return {"activity": activity, "badges": _badges(activity, now), "when": forms.when_text(activity)}


def _annotated(user, gemeente, now):
    pending = ActivityVersion.objects.filter(activity=OuterRef("pk"), status=VersionStatus.PENDING)
    on_site = catalogue.public_activities(gemeente, now).filter(pk=OuterRef("pk"))
    return (policy.visible(user, Activity).select_related("organisation", "wijk", "gemeente")
            .annotate(has_pending=Exists(pending), on_site=Exists(on_site)))


# --- activities -----------------------------------------------------------------------------------

class ActivityListView(PolicyMixin, _Page):
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
        activities = self._filter(_annotated(user, gemeente, now), filters, gemeente, now, is_provider)
        page = Paginator(activities.order_by("title", "pk"), PER_PAGE).get_page(self.request.GET.get("pagina"))
        to_confirm = []
        if is_provider:
            to_confirm = list(_annotated(user, gemeente, now).filter(pk__in=catalogue.stale(gemeente, now)
                                                                     .values("pk")).order_by("confirmed_at"))
        return {**super().get_context_data(**kwargs), "page": page, "filters": filters, "is_provider": is_provider,
                "rows": [_row(a, now) for a in page.object_list], "to_confirm": [_row(a, now) for a in to_confirm],
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


class _ActivityFormView(_Page):
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


class ActivityEditView(PolicyMixin, _LoadsEditableActivity, _ActivityFormView):
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


class ActivityDetailView(PolicyMixin, _Page):
    """The live content, a pending version with what it changes, and the history of versions."""

    capability = "catalogue.view"
    template_name = "kwaliteit/manage/activity_detail.html"

    def get_context_data(self, **kwargs):
        user, now = self.request.user, timezone.now()
        activity = get_object_or_404(_annotated(user, user.gemeente, now).select_related("location"), pk=kwargs["pk"])
        versions = list(activity.versions.select_related("submitted_by", "reviewed_by").order_by("-number"))
        live = forms.live_content(activity)
        pending = next((v for v in versions if v.status == VersionStatus.PENDING), None)
        history = []
        for index, version in enumerate(versions):
            previous = versions[index + 1] if index + 1 < len(versions) else None
            history.append({"version": version,
                            "changes": forms.changes(previous.data, version.data) if previous else None})
        can_edit = catalogue.may_edit(user, activity)
        return {**super().get_context_data(**kwargs), "activity": activity, "badges": _badges(activity, now),
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
                "public_url": _public_url(activity) if getattr(activity, "on_site", False) else None}


class ActivityConfirmView(PolicyMixin, _LoadsEditableActivity, _Page):
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

    def post(self, request, pk):
        activity = _activity(request.user, pk)
        try:
            catalogue.withdraw(request.user, activity)  # PermissionDenied for another organisation's entry
        except ValidationError as refused:  # already withdrawn: the table says why
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("Teruggetrokken: \"%(title)s\" staat niet meer op de site.")
                             % {"title": activity.title})
        return redirect("kwaliteit:activity_detail", pk=pk)


class ActivityRepublishView(PolicyMixin, View):
    """The regisseur puts a withdrawn activity back on the site (POST from its page)."""

    capability = "catalogue.review"

    def post(self, request, pk):
        activity = _activity(request.user, pk)
        try:
            catalogue.republish(request.user, activity)
        except ValidationError as refused:  # not withdrawn: the table says why
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("Weer gepubliceerd: \"%(title)s\" staat weer op de site.")
                             % {"title": activity.title})
        return redirect("kwaliteit:activity_detail", pk=pk)


# --- review ---------------------------------------------------------------------------------------

class ReviewQueueView(PolicyMixin, _Page):
    """Versions waiting for the regisseur, the oldest first."""

    capability = "catalogue.review"
    template_name = "kwaliteit/manage/review_queue.html"

    def get_context_data(self, **kwargs):
        versions = (policy.visible(self.request.user, ActivityVersion).filter(status=VersionStatus.PENDING)
                    .select_related("activity__organisation", "activity__wijk", "submitted_by")
                    .order_by("submitted_at", "pk"))
        return {**super().get_context_data(**kwargs),
                "rows": [{"version": v, "is_new": v.activity.status == Activity.Status.DRAFT} for v in versions]}


class VersionReviewView(PolicyMixin, _Page):
    """One version: its content, what it changes on the site and since the previous version; the decision."""

    capability = "catalogue.review"
    template_name = "kwaliteit/manage/version_review.html"

    def version(self) -> ActivityVersion:
        return get_object_or_404(policy.visible(self.request.user, ActivityVersion).select_related(
            "activity__organisation", "activity__wijk", "submitted_by", "reviewed_by"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        version = kwargs.get("version") or self.version()
        activity = version.activity
        previous = activity.versions.filter(number__lt=version.number).order_by("-number").first()
        is_pending = version.status == VersionStatus.PENDING
        is_new = activity.status == Activity.Status.DRAFT
        against_live = forms.changes(forms.live_content(activity), version.data) if is_pending and not is_new else None
        against_previous = forms.changes(previous.data, version.data) if previous else None
        return {**super().get_context_data(**kwargs), "version": version, "activity": activity, "is_new": is_new,
                "is_pending": is_pending, "rows": forms.content_rows(version.data), "previous": previous,
                "against_live": against_live, "against_previous": against_previous,
                # the same table twice says nothing new (a change to the approved version on the site)
                "show_previous": previous is not None and against_previous != against_live,
                "form": kwargs.get("form") or (forms.ReviewForm() if is_pending else None)}

    def post(self, request, pk):
        version = self.version()
        form = forms.ReviewForm(request.POST)
        if form.is_valid():
            try:
                decided = catalogue.decide(version, request.user, form.cleaned_data["decision"],
                                           form.cleaned_data["note"])
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                if decided.status == VersionStatus.APPROVED:
                    messages.success(request, _("Goedgekeurd en gepubliceerd: \"%(title)s\".")
                                     % {"title": version.activity.title})
                else:
                    messages.success(request, _("Afgewezen: \"%(title)s\". De aanbieder krijgt bericht.")
                                     % {"title": version.activity.title})
                return redirect("kwaliteit:review_queue")
        return self.render_to_response(self.get_context_data(version=version, form=form), status=400)


# --- interventions --------------------------------------------------------------------------------

class InterventionListView(PolicyMixin, _Page):
    capability = "catalogue.view"
    template_name = "kwaliteit/manage/intervention_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        activities = policy.visible(user, Activity).exclude(status=Activity.Status.WITHDRAWN).order_by("title")
        items = (policy.visible(user, Intervention)
                 .prefetch_related(Prefetch("activities", queryset=activities, to_attr="applied_in"))
                 .order_by("name"))
        return {**super().get_context_data(**kwargs), "interventions": items,
                "can_change": policy.can(user, "intervention.change")}


class _InterventionFormView(_Page):
    template_name = "kwaliteit/manage/intervention_form.html"
    intervention = None

    def get_context_data(self, **kwargs):
        initial = None
        if self.intervention is not None:
            initial = {name: getattr(self.intervention, name) for name in interventions.FIELDS}
        applied = (policy.visible(self.request.user, Activity).select_related("organisation")
                   .filter(interventions=self.intervention)
                   .order_by("title") if self.intervention is not None else [])
        return {**super().get_context_data(**kwargs), "intervention": self.intervention, "applied": applied,
                "form": kwargs.get("form") or forms.InterventionForm(initial=initial),
                "title": _("Interventie bewerken") if self.intervention else _("Nieuwe interventie")}

    def post(self, request, *args, **kwargs):
        form = forms.InterventionForm(request.POST)
        if form.is_valid():
            try:
                interventions.save(request.user, form.cleaned_data, self.intervention)
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(request, _("De interventie is opgeslagen."))
                return redirect("kwaliteit:intervention_list")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class InterventionCreateView(PolicyMixin, _InterventionFormView):
    capability = "intervention.change"


class InterventionEditView(PolicyMixin, _Loads, _InterventionFormView):
    capability = "intervention.change"

    def load(self, request, pk):
        self.intervention = get_object_or_404(policy.visible(request.user, Intervention), pk=pk)


# --- theme weeks ----------------------------------------------------------------------------------

class ThemeWeekListView(PolicyMixin, _Page):
    """The theme weeks, each with the entries marked for it that have a date in the week."""

    capability = "catalogue.view"
    template_name = "kwaliteit/manage/themeweek_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rows = []
        for week in policy.visible(user, ThemeWeek).order_by("-starts_on"):
            activities = (policy.visible(user, Activity).select_related("organisation")
                          .filter(theme_week=True, occurrences__date__range=(week.starts_on, week.ends_on))
                          .annotate(days=Count("occurrences"), first=Min("occurrences__date"))
                          .order_by("first", "title"))
            rows.append({"week": week, "activities": activities})
        return {**super().get_context_data(**kwargs), "rows": rows,
                "can_change": policy.can(user, "themeweek.change")}


class _ThemeWeekFormView(_Page):
    template_name = "kwaliteit/manage/themeweek_form.html"
    week = None

    def get_context_data(self, **kwargs):
        initial = None
        if self.week is not None:
            initial = {"name": self.week.name, "starts_on": self.week.starts_on, "ends_on": self.week.ends_on}
        return {**super().get_context_data(**kwargs), "week": self.week,
                "form": kwargs.get("form") or forms.ThemeWeekForm(initial=initial),
                "title": _("Themaweek bewerken") if self.week else _("Nieuwe themaweek")}

    def post(self, request, *args, **kwargs):
        form = forms.ThemeWeekForm(request.POST)
        if form.is_valid():
            try:
                themeweeks.save(request.user, form.cleaned_data, self.week)
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(request, _("De themaweek is opgeslagen."))
                return redirect("kwaliteit:themeweek_list")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ThemeWeekCreateView(PolicyMixin, _ThemeWeekFormView):
    capability = "themeweek.change"


class ThemeWeekEditView(PolicyMixin, _Loads, _ThemeWeekFormView):
    capability = "themeweek.change"

    def load(self, request, pk):
        self.week = get_object_or_404(policy.visible(request.user, ThemeWeek), pk=pk)
