"""What samenwerken brings to Samen (registered from ``SamenwerkenConfig.ready()``): the care
networks' capability and model rules, menu group, home panel, the section on a wijk's page, URLs,
API, demo networks and permission-matrix samples."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samen.core import policy, registry
from samen.core.roles import Role as R

registry.capability("zorgnetwerk.view", (R.BELEIDSADVISEUR, R.REGISSEUR, R.SOCIAAL_WERKER, R.PARTNER,
                                         R.VRIJWILLIGER, R.BEHEERDER), app="samenwerken")
registry.model("samenwerken.zorgnetwerk", "zorgnetwerk.view")
registry.model("samenwerken.zorgnetwerkmember", "zorgnetwerk.view")

registry.menu_group("samenwerken", _("Samenwerken"), order=50)
registry.menu_entry("samenwerken", "samenwerken:network_list", _("Zorgnetwerken"), "zorgnetwerk.view")


def _networks(user):
    from samen.samenwerken.models import Zorgnetwerk

    return policy.visible(user, Zorgnetwerk)


def _my_networks_panel(user):
    networks = list(_networks(user).filter(wijk__in=user.wijken.all()))
    return {"networks": networks} if networks else None


def _wijk_networks_section(user, wijk):
    return {"networks": list(_networks(user).filter(wijk=wijk))}


registry.home_panel("samenwerken.networks", "samenwerken/panels/my_networks.html", _my_networks_panel,
                    "zorgnetwerk.view", order=40)
# On a wijk's page every role that sees the wijk reads which network it has (or that none is recorded).
registry.wijk_section("samenwerken.networks", "samenwerken/panels/wijk_networks.html", _wijk_networks_section)

registry.url_include("samenwerken", "zorgnetwerken/", "samen.samenwerken.urls", order=20)


def _api_routes():
    from samen.samenwerken.api import ZorgnetwerkViewSet

    return [("zorgnetwerken", ZorgnetwerkViewSet, "zorgnetwerk")]


registry.api_contribution("samenwerken", routes=_api_routes)


def _load_networks(gemeente):
    """The demo's networks and their members; the demo users named in a network become its members."""
    from samen.core.models import Organisation, User, Wijk
    from samen.core.services.demo import demo_spec
    from samen.samenwerken.models import Zorgnetwerk, ZorgnetwerkMember

    spec = demo_spec()
    organisations = {o.name: o for o in Organisation.objects.filter(gemeente=gemeente)}
    networks = {}
    for item in spec["zorgnetwerken"]:
        network, _created = Zorgnetwerk.objects.update_or_create(
            wijk=Wijk.objects.get(code=item["wijk"]), name=item["name"],
            defaults={"gemeente": gemeente, "status": item["status"], "description": item["description"]})
        for member in item["members"]:
            ZorgnetwerkMember.objects.update_or_create(
                network=network, organisation=organisations[member["organisation"]], function=member["function"],
                defaults={"part": member["part"]})
        networks[network.name] = network
    for item in spec["users"]:
        if item.get("network"):
            user = User.objects.get(username=item["username"])
            ZorgnetwerkMember.objects.filter(network=networks[item["network"]], organisation=user.organisation,
                                             function=user.function).update(user=user)
    return None


registry.demo_loader("samenwerken", _load_networks)


def _a_network(gemeente):
    from samen.samenwerken.models import Zorgnetwerk

    return Zorgnetwerk.objects.get(gemeente=gemeente, name="Zorgnetwerk Noord-Oost").pk


registry.matrix_sample("network", _a_network)
registry.matrix_sample("zorgnetwerk", _a_network)
