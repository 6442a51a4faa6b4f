"""The state machines of ondersteunen as readable tables (``samen.core.states``): the trajectory (traject),
the referral (warme overdracht), the maatje's visit and the aftercare check-in. Each transition names the
capability that allows it (asked of ``samen.core.policy.can``, or carried by a ``states.Grant`` for a
provider's e-mailed link and for scheduled jobs) and what it requires. ``docs/ondersteunen.md`` draws the
tables; a test keeps the drawings true."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.states import Transition, Workflow

# --- capabilities (registered in ondersteunen.blocks) --------------------------------------------------
WORK = "trajectory.work"          # the social worker's and regisseur's work on a trajectory
OVERSEE = "trajectory.oversee"    # the regisseur: reassign, reopen a closed trajectory, oversight
SYSTEM = "trajectory.system"      # scheduled jobs and events (never held by a role; a Grant carries it)
ANSWER = "referral.answer"        # the provider answers a referral to its own activity
ACCOMPANY = "referral.accompany"  # the volunteer (maatje) who goes along


# --- the trajectory ---------------------------------------------------------------------------------------
class TrajectoryStatus(models.TextChoices):
    AANGEMELD = "aangemeld", _("aangemeld")
    IN_CONTACT = "in_contact", _("in contact")
    PLAN = "plan", _("plan")
    DOORVERWEZEN = "doorverwezen", _("doorverwezen")
    NAZORG = "nazorg", _("nazorg")
    NIET_BEREIKT = "niet_bereikt", _("niet bereikt")
    AFGEZIEN = "afgezien", _("afgezien door inwoner")
    HEROPEND = "heropend", _("heropend")
    AFGESLOTEN = "afgesloten", _("afgesloten")


class TrajectoryDecision(models.TextChoices):
    CONTACT = "contact", _("contact gelegd")
    PLAN = "plan", _("plan gemaakt")
    REFER = "refer", _("doorverwezen")
    AFTERCARE = "aftercare", _("naar nazorg")
    NOT_REACHED = "not_reached", _("niet bereikt")
    DECLINE = "decline", _("inwoner ziet af van ondersteuning")
    REOPEN = "reopen", _("heropenen")
    CLOSE = "close", _("afsluiten")


class ClosingReason(models.TextChoices):
    DOEL_BEREIKT = "doel_bereikt", _("doel bereikt")
    ZELF_VERDER = "zelf_verder", _("inwoner kan zelf verder")
    ANDERE_HULP = "andere_hulp", _("doorverwezen naar andere hulp")
    NIET_BEREIKT = "niet_bereikt", _("niet bereikt")
    WIL_NIET = "wil_niet", _("inwoner wil niet")
    VERHUISD = "verhuisd", _("verhuisd")
    OVERLEDEN = "overleden", _("overleden")
    ANDERS = "anders", _("anders (toelichting)")


T, D = TrajectoryStatus, TrajectoryDecision
_ACTIVE = (T.AANGEMELD, T.IN_CONTACT, T.PLAN, T.DOORVERWEZEN, T.NAZORG, T.HEROPEND)

TRAJECTORY = Workflow(
    field="status", states=TrajectoryStatus, initial=T.AANGEMELD,
    labels={"closing_reason": _("een reden van afsluiten")},
    transitions=(
        Transition(D.CONTACT, T.AANGEMELD, T.IN_CONTACT, (WORK, SYSTEM), label=_("Contact gelegd")),
        Transition(D.CONTACT, T.HEROPEND, T.IN_CONTACT, (WORK, SYSTEM), label=_("Contact gelegd")),
        Transition(D.NOT_REACHED, T.AANGEMELD, T.NIET_BEREIKT, (WORK, SYSTEM), label=_("Niet bereikt")),
        Transition(D.NOT_REACHED, T.HEROPEND, T.NIET_BEREIKT, (WORK, SYSTEM), label=_("Niet bereikt")),
        Transition(D.PLAN, T.IN_CONTACT, T.PLAN, WORK, label=_("Plan gemaakt")),
        Transition(D.PLAN, T.HEROPEND, T.PLAN, WORK, label=_("Plan gemaakt")),
        Transition(D.REFER, T.IN_CONTACT, T.DOORVERWEZEN, (WORK, SYSTEM), label=_("Doorverwezen")),
        Transition(D.REFER, T.PLAN, T.DOORVERWEZEN, (WORK, SYSTEM), label=_("Doorverwezen")),
        Transition(D.REFER, T.HEROPEND, T.DOORVERWEZEN, (WORK, SYSTEM), label=_("Doorverwezen")),
        Transition(D.REFER, T.NAZORG, T.DOORVERWEZEN, (WORK, SYSTEM), label=_("Opnieuw doorverwezen")),
        Transition(D.AFTERCARE, T.DOORVERWEZEN, T.NAZORG, (WORK, SYSTEM, ANSWER, ACCOMPANY),
                   label=_("Naar nazorg")),
        *(Transition(D.DECLINE, state, T.AFGEZIEN, WORK, ("reason",), label=_("Inwoner ziet af"))
          for state in _ACTIVE),
        *(Transition(D.CLOSE, state, T.AFGESLOTEN, WORK, ("closing_reason",), label=_("Afsluiten"))
          for state in (*_ACTIVE, T.NIET_BEREIKT, T.AFGEZIEN)),
        # Reopened for the same worker: by an aftercare check-in that went worse (SYSTEM), by the worker
        # who sees a new need, or by the regisseur after closing.
        Transition(D.REOPEN, T.NAZORG, T.HEROPEND, (WORK, SYSTEM), ("reason",), label=_("Heropenen")),
        Transition(D.REOPEN, T.DOORVERWEZEN, T.HEROPEND, (WORK, SYSTEM), ("reason",), label=_("Heropenen")),
        Transition(D.REOPEN, T.NIET_BEREIKT, T.HEROPEND, (WORK, SYSTEM), ("reason",), label=_("Heropenen")),
        Transition(D.REOPEN, T.AFGEZIEN, T.HEROPEND, (WORK, SYSTEM), ("reason",), label=_("Heropenen")),
        Transition(D.REOPEN, T.AFGESLOTEN, T.HEROPEND, (OVERSEE, SYSTEM), ("reason",), label=_("Heropenen")),
    ),
)
TRAJECTORY_OPEN = frozenset(_ACTIVE)
TRAJECTORY_ENDED = frozenset({T.NIET_BEREIKT, T.AFGEZIEN, T.AFGESLOTEN})

# What the professional who passed the signal on sees on "Mijn meldingen": the stage, never the content.
REPORTER_STAGE = {
    T.AANGEMELD: _("in behandeling"),
    T.IN_CONTACT: _("contact gelegd"),
    T.PLAN: _("contact gelegd"),
    T.DOORVERWEZEN: _("ondersteuning loopt"),
    T.NAZORG: _("ondersteuning loopt"),
    T.HEROPEND: _("ondersteuning loopt"),
    T.NIET_BEREIKT: _("afgerond"),
    T.AFGEZIEN: _("afgerond"),
    T.AFGESLOTEN: _("afgerond"),
}


# --- the referral (warme overdracht, closed loop) -----------------------------------------------------------
class ReferralStatus(models.TextChoices):
    VOORGESTELD = "voorgesteld", _("voorgesteld")
    AKKOORD = "akkoord", _("inwoner akkoord")
    AANGEMELD = "aangemeld", _("aangemeld bij aanbieder")
    BEVESTIGD = "bevestigd", _("aanbieder bevestigd")
    AFGEWEZEN = "afgewezen", _("aanbieder: geen plek of past niet")
    EERSTE_KEER = "eerste_keer", _("eerste keer geweest")
    BLIJFT_KOMEN = "blijft_komen", _("blijft komen")
    GESTOPT = "gestopt", _("gestopt")
    GEANNULEERD = "geannuleerd", _("geannuleerd")


class ReferralDecision(models.TextChoices):
    AGREE = "agree", _("inwoner gaat akkoord")
    REGISTER = "register", _("aanmelden bij de aanbieder")
    CONFIRM = "confirm", _("aanbieder bevestigt")
    REJECT = "reject", _("aanbieder: geen plek of past niet")
    FIRST_VISIT = "first_visit", _("eerste keer geweest")
    KEEPS_COMING = "keeps_coming", _("blijft komen")
    STOP = "stop", _("gestopt")
    CANCEL = "cancel", _("annuleren")


class RejectReason(models.TextChoices):
    GEEN_PLEK = "geen_plek", _("geen plek")
    PAST_NIET = "past_niet", _("past niet bij de activiteit")


R, RD = ReferralStatus, ReferralDecision

REFERRAL = Workflow(
    field="status", states=ReferralStatus, initial=R.VOORGESTELD,
    transitions=(
        Transition(RD.AGREE, R.VOORGESTELD, R.AKKOORD, WORK, label=_("Inwoner akkoord")),
        Transition(RD.REGISTER, R.AKKOORD, R.AANGEMELD, WORK, label=_("Aanmelden bij aanbieder")),
        Transition(RD.CONFIRM, R.AANGEMELD, R.BEVESTIGD, (ANSWER, WORK), label=_("Bevestigen")),
        Transition(RD.REJECT, R.AANGEMELD, R.AFGEWEZEN, (ANSWER, WORK), ("reason",), label=_("Geen plek / past niet")),
        Transition(RD.FIRST_VISIT, R.BEVESTIGD, R.EERSTE_KEER, (WORK, ANSWER, ACCOMPANY),
                   label=_("Eerste keer geweest")),
        Transition(RD.KEEPS_COMING, R.EERSTE_KEER, R.BLIJFT_KOMEN, (WORK, ANSWER, SYSTEM), label=_("Blijft komen")),
        Transition(RD.STOP, R.BEVESTIGD, R.GESTOPT, (WORK, ANSWER), ("reason",), label=_("Niet gegaan")),
        Transition(RD.STOP, R.EERSTE_KEER, R.GESTOPT, (WORK, ANSWER, SYSTEM), ("reason",), label=_("Gestopt")),
        Transition(RD.STOP, R.BLIJFT_KOMEN, R.GESTOPT, (WORK, ANSWER, SYSTEM), ("reason",), label=_("Gestopt")),
        *(Transition(RD.CANCEL, state, R.GEANNULEERD, (WORK, SYSTEM), ("reason",), label=_("Annuleren"))
          for state in (R.VOORGESTELD, R.AKKOORD, R.AANGEMELD, R.BEVESTIGD)),
    ),
)
REFERRAL_WAITING_FOR_PROVIDER = frozenset({R.AANGEMELD})
REFERRAL_OPEN = frozenset({R.VOORGESTELD, R.AKKOORD, R.AANGEMELD, R.BEVESTIGD, R.EERSTE_KEER, R.BLIJFT_KOMEN})
# A referral "went" when the resident went at least once; "still going" is recorded at six weeks.
REFERRAL_WENT = frozenset({R.EERSTE_KEER, R.BLIJFT_KOMEN, R.GESTOPT})


# --- the maatje's visit ---------------------------------------------------------------------------------------
class MaatjeStatus(models.TextChoices):
    GEVRAAGD = "gevraagd", _("gevraagd")
    TOEGEZEGD = "toegezegd", _("toegezegd")
    AFGEZEGD = "afgezegd", _("afgezegd")
    VERSLAG = "verslag", _("verslag gegeven")
    VERVALLEN = "vervallen", _("vervallen")


class MaatjeDecision(models.TextChoices):
    ACCEPT = "accept", _("ik ga mee")
    DECLINE = "decline", _("ik kan niet")
    REPORT = "report", _("verslag")
    CANCEL = "cancel", _("vervalt")


M, MD = MaatjeStatus, MaatjeDecision

MAATJE = Workflow(
    field="status", states=MaatjeStatus, initial=M.GEVRAAGD,
    transitions=(
        Transition(MD.ACCEPT, M.GEVRAAGD, M.TOEGEZEGD, (ACCOMPANY, WORK), label=_("Ik ga mee")),
        Transition(MD.DECLINE, M.GEVRAAGD, M.AFGEZEGD, (ACCOMPANY, WORK), label=_("Ik kan niet")),
        Transition(MD.DECLINE, M.TOEGEZEGD, M.AFGEZEGD, (ACCOMPANY, WORK), ("reason",), label=_("Ik kan toch niet")),
        Transition(MD.REPORT, M.TOEGEZEGD, M.VERSLAG, (ACCOMPANY, WORK), label=_("Verslag geven")),
        Transition(MD.CANCEL, M.GEVRAAGD, M.VERVALLEN, (WORK, SYSTEM), ("reason",), label=_("Vervalt")),
        Transition(MD.CANCEL, M.TOEGEZEGD, M.VERVALLEN, (WORK, SYSTEM), ("reason",), label=_("Vervalt")),
    ),
)


# --- the aftercare check-in -------------------------------------------------------------------------------------
class CheckInStatus(models.TextChoices):
    GEPLAND = "gepland", _("gepland")
    GEDAAN = "gedaan", _("gedaan")
    GEMIST = "gemist", _("gemist")
    VERVALLEN = "vervallen", _("vervallen")


class CheckInDecision(models.TextChoices):
    RECORD = "record", _("check-in vastleggen")
    MISS = "miss", _("gemist na twee pogingen")
    CANCEL = "cancel", _("vervalt")


C, CD = CheckInStatus, CheckInDecision

CHECKIN = Workflow(
    field="status", states=CheckInStatus, initial=C.GEPLAND,
    transitions=(
        Transition(CD.RECORD, C.GEPLAND, C.GEDAAN, WORK, label=_("Check-in vastleggen")),
        Transition(CD.MISS, C.GEPLAND, C.GEMIST, (WORK, SYSTEM), label=_("Gemist")),
        Transition(CD.CANCEL, C.GEPLAND, C.VERVALLEN, (WORK, SYSTEM), ("reason",), label=_("Vervalt")),
    ),
)

WORKFLOWS = {"trajectory": TRAJECTORY, "referral": REFERRAL, "maatje": MAATJE, "checkin": CHECKIN}


def mermaid(name: str) -> str:
    """One of the tables as a Mermaid diagram (docs/ondersteunen.md)."""
    return WORKFLOWS[name].mermaid()
