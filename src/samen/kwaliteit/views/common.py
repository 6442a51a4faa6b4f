"""What the catalogue's staff screens (/catalogus/) share: the page with the catalogue's links, loading
the record of the URL after the capability check, and an activity's badges in the lists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from samen.core import policy
from samen.kwaliteit import manage_forms as forms
from samen.kwaliteit.models import Activity, ActivityVersion
from samen.kwaliteit.review import VersionStatus
from samen.kwaliteit.services import catalogue

PER_PAGE = 50


def activity_or_404(user, pk: int) -> Activity:
    """An activity the user may see, or 404 (a provider never learns that another's entry exists)."""
    return get_object_or_404(policy.visible(user, Activity).select_related("organisation", "wijk", "location",
                                                                          "gemeente"), pk=pk)


def public_url(activity: Activity) -> str | None:
    """The activity's public page, once the public site has one."""
    try:
        return reverse("informeren:activity", args=[activity.pk])
    except NoReverseMatch:
        return None


def badges_of(activity: Activity, now) -> list[str]:
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


class CataloguePage(TemplateView):
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


class LoadsRecord:
    """Loads the record of the URL's pk once PolicyMixin has checked the login and the capability (list it
    after PolicyMixin among the bases), so a role without the capability gets 403 before any lookup."""

    def load(self, request, pk: int) -> None:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.load(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class LoadsEditableActivity(LoadsRecord):
    def load(self, request, pk):
        self.activity = activity_or_404(request.user, pk)
        if not catalogue.may_edit(request.user, self.activity):
            raise PermissionDenied


def activity_row(activity: Activity, now) -> dict:
    return {"activity": activity, "badges": badges_of(activity, now), "when": forms.when_text(activity)}


def annotated_activities(user, gemeente, now):
    pending = ActivityVersion.objects.filter(activity=OuterRef("pk"), status=VersionStatus.PENDING)
    on_site = catalogue.public_activities(gemeente, now).filter(pk=OuterRef("pk"))
    return (policy.visible(user, Activity).select_related("organisation", "wijk", "gemeente")
            .annotate(has_pending=Exists(pending), on_site=Exists(on_site)))
