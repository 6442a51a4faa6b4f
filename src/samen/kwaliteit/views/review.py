"""The regisseur's review of new entries and changes: the queue and one version (with what changed)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from samen.core import policy
from samen.core.views.mixins import PolicyMixin
from samen.core.views.pages import record_panels
from samen.kwaliteit import manage_forms as forms
from samen.kwaliteit.models import Activity, ActivityVersion
from samen.kwaliteit.review import VersionStatus
from samen.kwaliteit.services import catalogue
from samen.kwaliteit.views.common import (
    CataloguePage,
)


class ReviewQueueView(PolicyMixin, CataloguePage):
    """Versions waiting for the regisseur, the oldest first."""

    capability = "catalogue.review"
    template_name = "kwaliteit/manage/review_queue.html"

    def get_context_data(self, **kwargs):
        versions = (policy.visible(self.request.user, ActivityVersion).filter(status=VersionStatus.PENDING)
                    .select_related("activity__organisation", "activity__wijk", "submitted_by")
                    .order_by("submitted_at", "pk"))
        return {**super().get_context_data(**kwargs),
                "rows": [{"version": v, "is_new": v.activity.status == Activity.Status.DRAFT} for v in versions]}


class VersionReviewView(PolicyMixin, CataloguePage):
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
                # what other blocks add to an activity's page (ondersteunen: the local evidence)
                "sections": record_panels(self.request.user, activity),
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
