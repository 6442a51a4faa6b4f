"""The public site (no login). The catalogue issue fills it with the activity finder."""

from django.views.generic import TemplateView


class IndexView(TemplateView):
    template_name = "informeren/index.html"
