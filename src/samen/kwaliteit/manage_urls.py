"""Providers maintain their entries; the regisseur reviews; interventions and theme weeks."""

from django.urls import path

from samen.kwaliteit.views import manage

urlpatterns = [
    path("", manage.ActivityListView.as_view(), name="activity_list"),
    path("nieuw/", manage.ActivityCreateView.as_view(), name="activity_create"),
    path("<int:pk>/", manage.ActivityDetailView.as_view(), name="activity_detail"),
    path("<int:pk>/bewerken/", manage.ActivityEditView.as_view(), name="activity_edit"),
    path("<int:pk>/bevestigen/", manage.ActivityConfirmView.as_view(), name="activity_confirm"),
    path("<int:pk>/terugtrekken/", manage.ActivityWithdrawView.as_view(), name="activity_withdraw"),
    path("<int:pk>/weer-publiceren/", manage.ActivityRepublishView.as_view(), name="activity_republish"),
    path("beoordelen/", manage.ReviewQueueView.as_view(), name="review_queue"),
    path("versies/<int:pk>/", manage.VersionReviewView.as_view(), name="version_review"),
    path("interventies/", manage.InterventionListView.as_view(), name="intervention_list"),
    path("interventies/nieuw/", manage.InterventionCreateView.as_view(), name="intervention_create"),
    path("interventies/<int:pk>/bewerken/", manage.InterventionEditView.as_view(), name="intervention_edit"),
    path("themaweken/", manage.ThemeWeekListView.as_view(), name="themeweek_list"),
    path("themaweken/nieuw/", manage.ThemeWeekCreateView.as_view(), name="themeweek_create"),
    path("themaweken/<int:pk>/bewerken/", manage.ThemeWeekEditView.as_view(), name="themeweek_edit"),
]
