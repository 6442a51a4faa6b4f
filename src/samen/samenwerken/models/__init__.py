"""Samenwerken's records: the networks and their meetings (``networks``), the action agenda with its
milestones, indicators, budget and change history (``agenda``), the five-pillar self-assessment
(``assessment``), the council report with its frozen versions (``report``) and the campaign moments
(``campaign``)."""

from samen.samenwerken.models.agenda import (  # noqa: F401
    Action,
    ActionIndicator,
    ActionStatus,
    Agenda,
    Bouwsteen,
    BudgetEntry,
    BudgetLine,
    BudgetYear,
    ChangeRecord,
    Milestone,
    ProgressNote,
)
from samen.samenwerken.models.assessment import SelfAssessment, SelfAssessmentAnswer  # noqa: F401
from samen.samenwerken.models.campaign import CampaignMoment  # noqa: F401
from samen.samenwerken.models.networks import (  # noqa: F401
    ActionPoint,
    Meeting,
    Zorgnetwerk,
    ZorgnetwerkMember,
)
from samen.samenwerken.models.report import CouncilReport, ReportVersion  # noqa: F401
