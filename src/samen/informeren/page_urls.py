"""Public pages: the self-check and the page on how the approach works (with its printable A4)."""

from django.urls import path

from samen.informeren.views import pages

urlpatterns = [
    path("hoe-gaat-het/", pages.SelfCheckView.as_view(), name="selfcheck"),
    path("zo-werkt-het/", pages.ApproachView.as_view(), name="approach"),
    path("zo-werkt-het/a4.pdf", pages.ApproachPdfView.as_view(), name="approach_pdf"),
]
