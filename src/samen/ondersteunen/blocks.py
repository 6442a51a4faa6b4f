"""What ondersteunen brings to Samen (registered from ``OndersteunenConfig.ready()``): its capabilities
and model rules, its menu group, its home panels, its URLs and API, its demo data, its jobs and its
permission-matrix samples. See ``samen.core.registry``. It listens to vinden's ``signal.triaged`` event
(``ondersteunen.receivers``); vinden never imports it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samen.core import events, registry
from samen.core.roles import Role as R
from samen.ondersteunen import scopes

for name, roles, personal in (
    # See and work on trajectories (the caseload): social work and the regisseur.
    ("trajectory.view", (R.REGISSEUR, R.SOCIAAL_WERKER), True),
    ("trajectory.work", (R.REGISSEUR, R.SOCIAAL_WERKER), True),
    # Oversight: reassign, reopen a closed trajectory, caseload per worker and wijk.
    ("trajectory.oversee", (R.REGISSEUR,), True),
    # Carried only by a states.Grant (scheduled jobs, events): no role holds it.
    ("trajectory.system", (), False),
    # Aggregates only (outcomes per wijk and period, local evidence), small cells suppressed.
    ("trajectory.stats", (R.BELEIDSADVISEUR, R.REGISSEUR), False),
    # The municipality's settings for ondersteunen (attempts, deadlines, aftercare, weights, retention).
    ("trajectory.settings", (R.REGISSEUR,), False),
    # Inzage / export / erasure of everything held on one resident.
    ("trajectory.inzage", (R.REGISSEUR,), True),
    # Referrals: social work makes them; a provider sees and answers those to its own organisation.
    ("referral.view", (R.REGISSEUR, R.SOCIAAL_WERKER, R.AANBIEDER), True),
    ("referral.answer", (R.AANBIEDER,), True),
    # A volunteer who goes along (maatje): sees only their own visit (first name, where, when).
    ("referral.accompany", (R.VRIJWILLIGER,), True),
    ("maatje.view", (R.REGISSEUR, R.SOCIAAL_WERKER, R.VRIJWILLIGER), True),
    # Case consultation (casusoverleg) in the wijk's care network.
    ("casus.view", (R.REGISSEUR, R.SOCIAAL_WERKER, R.PARTNER), True),
    ("casus.manage", (R.REGISSEUR, R.SOCIAAL_WERKER), True),
):
    registry.capability(name, roles, personal_data=personal, app="ondersteunen")

for label, capability, scope in (
    ("ondersteunen.trajectory", "trajectory.view", scopes.trajectories),
    ("ondersteunen.trajectoryevent", "trajectory.view", scopes.via_trajectory),
    ("ondersteunen.contactattempt", "trajectory.view", scopes.via_trajectory),
    ("ondersteunen.note", "trajectory.view", scopes.via_trajectory),
    ("ondersteunen.profile", "trajectory.view", scopes.via_trajectory),
    ("ondersteunen.measurement", "trajectory.view", scopes.via_trajectory),
    ("ondersteunen.checkin", "trajectory.view", scopes.via_trajectory),
    ("ondersteunen.consentevent", "trajectory.view", scopes.consent_events),
    ("ondersteunen.referral", "referral.view", scopes.referrals),
    ("ondersteunen.referralevent", "referral.view", scopes.referral_events),
    ("ondersteunen.providerlink", "trajectory.work", scopes.provider_links),
    ("ondersteunen.maatjevisit", "maatje.view", scopes.maatje_visits),
    ("ondersteunen.maatjeprofile", "maatje.view", scopes.maatje_profiles),
    ("ondersteunen.casediscussion", "casus.view", scopes.case_discussions),
    ("ondersteunen.caseaction", "casus.view", scopes.case_actions),
    ("ondersteunen.supportsettings", "trajectory.settings", None),
):
    registry.model(label, capability, scope)

registry.menu_group("ondersteunen", _("Ondersteunen"), order=30)

# Events ondersteunen publishes (other blocks, e.g. samenwerken's report, may listen).
TRAJECTORY_STARTED = events.declare("trajectory.started")      # trajectory_id, gemeente_id, signal_id
TRAJECTORY_CHANGED = events.declare("trajectory.changed")      # trajectory_id, gemeente_id, status, decision
REFERRAL_CHANGED = events.declare("referral.changed")          # referral_id, gemeente_id, status, decision

# Each part of ondersteunen registers its menu entries, panels, sections, URLs, API routes, jobs, demo
# loaders and matrix samples in its own module.
from samen.ondersteunen.parts import matching, referrals, reports, traject  # noqa: E402,F401
