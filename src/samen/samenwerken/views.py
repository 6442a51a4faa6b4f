"""Care networks per wijk: who takes part, for everyone who works with them."""

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from samen.core import policy
from samen.core.views.mixins import PolicyMixin
from samen.samenwerken.models import Zorgnetwerk, ZorgnetwerkMember


class NetworkListView(PolicyMixin, TemplateView):
    capability = "zorgnetwerk.view"
    template_name = "samenwerken/network_list.html"

    def get_context_data(self, **kwargs):
        networks = policy.visible(self.request.user, Zorgnetwerk).select_related("wijk").prefetch_related(
            "members__organisation")
        return {**super().get_context_data(**kwargs), "networks": networks}


class NetworkDetailView(PolicyMixin, TemplateView):
    capability = "zorgnetwerk.view"
    template_name = "samenwerken/network_detail.html"

    def get_context_data(self, **kwargs):
        network = get_object_or_404(policy.visible(self.request.user, Zorgnetwerk).select_related("wijk"),
                                    pk=kwargs["pk"])
        order = {part: index for index, part in enumerate(ZorgnetwerkMember.Part.values)}
        members = sorted(network.members.select_related("organisation", "user"),
                         key=lambda m: (order[m.part], m.organisation.name))
        return {**super().get_context_data(**kwargs), "network": network, "members": members}
