"""Providers maintain their entries; the regisseur reviews; interventions and theme weeks."""

from django.urls import path

from samen.kwaliteit.views import activities, interventions, review, themeweeks

urlpatterns = [
    path("", activities.ActivityListView.as_view(), name="activity_list"),
    path("nieuw/", activities.ActivityCreateView.as_view(), name="activity_create"),
    path("<int:pk>/", activities.ActivityDetailView.as_view(), name="activity_detail"),
    path("<int:pk>/bewerken/", activities.ActivityEditView.as_view(), name="activity_edit"),
    path("<int:pk>/bevestigen/", activities.ActivityConfirmView.as_view(), name="activity_confirm"),
    path("<int:pk>/terugtrekken/", activities.ActivityWithdrawView.as_view(), name="activity_withdraw"),
    path("<int:pk>/weer-publiceren/", activities.ActivityRepublishView.as_view(), name="activity_republish"),
    path("beoordelen/", review.ReviewQueueView.as_view(), name="review_queue"),
    path("versies/<int:pk>/", review.VersionReviewView.as_view(), name="version_review"),
    path("interventies/", interventions.InterventionListView.as_view(), name="intervention_list"),
    path("interventies/nieuw/", interventions.InterventionCreateView.as_view(), name="intervention_create"),
    path("interventies/<int:pk>/bewerken/", interventions.InterventionEditView.as_view(), name="intervention_edit"),
    path("themaweken/", themeweeks.ThemeWeekListView.as_view(), name="themeweek_list"),
    path("themaweken/nieuw/", themeweeks.ThemeWeekCreateView.as_view(), name="themeweek_create"),
    path("themaweken/<int:pk>/bewerken/", themeweeks.ThemeWeekEditView.as_view(), name="themeweek_edit"),
]
