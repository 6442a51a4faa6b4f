"""ondersteunen's registrations for this part (imported from ondersteunen.blocks): the warm referral with a
closed loop, the provider's page and e-mailed link, the maatje and aftercare."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samen.core import events, registry
from samen.ondersteunen import jobs  # noqa: F401  (the scheduled jobs)

for url_name, label, capability in (
    ("verwijzingen:verwijzingen", _("Verwijzingen"), "referral.view"),
    ("verwijzingen:maatjesbezoeken", _("Mijn maatjesbezoeken"), "referral.accompany"),
    ("verwijzingen:mijn_maatjeprofiel", _("Mijn maatjesprofiel"), "referral.accompany"),
    ("verwijzingen:maatjes", _("Maatjes"), "trajectory.oversee"),
):
    registry.menu_entry("ondersteunen", url_name, label, capability)

registry.url_include("verwijzingen", "ondersteunen/", "samen.ondersteunen.urls.referrals", order=52)
registry.url_include("verwijzing_link", "verwijzing/", "samen.ondersteunen.urls.referral_link", order=53)
registry.public_page("verwijzing_link:answer")


def _provider_panel(user):
    from samen.ondersteunen.services.referrals import waiting_for

    waiting = waiting_for(user)
    return {"waiting": waiting.count(), "returned": waiting.filter(returned_at__isnull=False).count(),
            "oldest": waiting.first()}


def _visits_panel(user):
    from samen.ondersteunen.services import maatje

    visits = maatje.for_volunteer(user).filter(status__in=maatje.OPEN)
    count = visits.count()
    return {"open": count} if count else None


registry.home_panel("ondersteunen.referrals_waiting", "ondersteunen/referrals/panels/waiting.html", _provider_panel,
                    "referral.answer", order=35)
registry.home_panel("ondersteunen.maatje_visits", "ondersteunen/referrals/panels/maatje.html", _visits_panel,
                    "referral.accompany", order=36)


def _api_routes():
    from samen.ondersteunen.api_referrals import ReferralViewSet

    return [("referrals", ReferralViewSet, "referral")]


registry.api_contribution("ondersteunen.referrals", routes=_api_routes)


def _on_consent_changed(event, **payload):
    from samen.ondersteunen.services.referrals import on_consent_changed

    on_consent_changed(event, **payload)


events.subscribe("consent.changed", _on_consent_changed)


# --- demo and permission-matrix samples -------------------------------------------------------------------
def _load_demo(gemeente):
    from samen.ondersteunen.services.referrals_demo import load

    return load(gemeente)


registry.demo_loader("ondersteunen.referrals", _load_demo, after=("kwaliteit.catalogue",))


def _sample(kind):
    def find(gemeente):
        from samen.ondersteunen.services.referrals_demo import sample

        return sample(gemeente, kind)

    return find


# Keys are matched as substrings of URL names, most specific first.
registry.matrix_sample("nazorgmoment", _sample("checkin"))
registry.matrix_sample("nazorg", _sample("aftercare_trajectory"))
registry.matrix_sample("doorverwijzen", _sample("trajectory"))
registry.matrix_sample("maatjesbezoek", _sample("maatjevisit"))
registry.matrix_sample("maatjeprofiel", _sample("volunteer"))
registry.matrix_sample("verwijzing", _sample("referral"))
registry.matrix_sample("referral", _sample("referral"))


def _trajectory_section(user, trajectory):
    """On the trajectory page: its referrals, the way to a new one (and to the matching), and aftercare."""
    from django.urls import NoReverseMatch, reverse

    from samen.core import policy
    from samen.ondersteunen import workflow
    from samen.ondersteunen.services import aftercare, trajectories

    can_refer = trajectory.is_open and policy.can(user, workflow.WORK, trajectory)
    links = []
    for url_name, label in (("matching:matches", _("Passend aanbod zoeken")),
                            ("verwijzingen:doorverwijzen", _("Doorverwijzen"))):
        try:
            links.append({"url": reverse(url_name, args=[trajectory.pk]), "label": label})
        except NoReverseMatch:  # a part that is not installed
            continue
    referrals = trajectories.visible_referrals(user, trajectory)
    return {"trajectory": trajectory, "referrals": referrals, "can_refer": can_refer, "links": links,
            "aftercare": aftercare.for_trajectory(trajectory, user=user)}


registry.record_section("ondersteunen.trajectory", "ondersteunen.referrals",
                        "ondersteunen/referrals/sections/trajectory.html", _trajectory_section, "referral.view",
                        order=20)
