"""Demo data of the agenda (seed 000's 2024-2030 frame, seed 003's action tables with trekker and uitvoering
as written, and its budget lines), the netwerkgroep *Samen is leuker* with its meetings, a meeting of the
Noord-Oost network, and a self-assessment for 2025. Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from samen.core.models import Organisation, User, Wijk
from samen.samenwerken.models import (
    Action,
    ActionIndicator,
    ActionPoint,
    Agenda,
    BudgetEntry,
    BudgetLine,
    BudgetYear,
    CampaignMoment,
    Meeting,
    Milestone,
    SelfAssessment,
    SelfAssessmentAnswer,
    Zorgnetwerk,
    ZorgnetwerkMember,
)
from samen.samenwerken.workflow import WORKFLOW

VERSA, GEMEENTE = "Versa Welzijn", "Gemeente Hilversum"
FRICTIE = "Eenmalige voorziening frictiekosten eenzaamheid GGD"

# (bouwsteen, title, what, goal, trekker, uitvoering, status steps)
ACTIONS = [
    ("vinden", "75+ huisbezoeken",
     "75+ huisbezoeken worden ingebed in de gebiedsteams van Versa Welzijn; vrijwillige buurtbewoners "
     "(buurtmakers) doen huisbezoeken volgens de ABCD-werkwijze.",
     "Alle 75+ inwoners ontvangen jaarlijks een bezoek aan huis; de ABCD-werkwijze wordt gehanteerd voor het "
     "doen van huisbezoeken.", VERSA, "Senver", ["start"]),
    ("vinden", "Sociaal werk en jongerenwerk 'present' in de wijk",
     "Sociaal werk en jongerenwerk zijn aanwezig in de wijk en acteren op signalen vanuit een 'erop afgaan'-"
     "mentaliteit; zij bevorderen de onderlinge verbinding van buurtbewoners.",
     "Inwoners die kampen met (dreigende) eenzaamheid worden snel herkend en gevonden.", VERSA, "sociaal werk",
     ["start"]),
    ("vinden", "Signalering en melding",
     "Vrijwilligers, professionals, ondernemers en inwoners leveren een actieve bijdrage aan het signaleren van "
     "eenzaamheid; het bestaande signaleringsnetwerk (zorgnetwerk) vormt de basis.",
     "Heldere afspraken omtrent signalering en melding; professionals en vrijwilligers hebben kennis van "
     "signalen van eenzaamheid, risicofactoren en gevolgen.", VERSA,
     "Maatschappelijke partners, opbouwwerk, maatschappelijk werk.", ["start"]),
    ("ondersteunen", "Inzetten van passende interventies",
     "Sociaal werk benadert inwoners en kijkt samen met hen naar passende interventies; inwoners worden warm "
     "doorverwezen, begeleid of gefaciliteerd; er is sprake van nazorg.",
     "Inwoners staan meer in hun kracht; onderlinge verbinding en betrokkenheid tussen inwoners in de buurt.",
     VERSA, "Sociaal werk Versa.", ["start"]),
    ("kwaliteit", "Activiteitenlijst",
     "Inventarisatie van activiteiten die een waardevolle betekenis hebben voor de aanpak van eenzaamheid.",
     "Inzicht in het gevarieerde aanbod van activiteiten specifiek in te zetten tegen eenzaamheid; streven naar "
     "actuele wijkplatforms zoals wijkconnect.", GEMEENTE, "Beleidsadviseur", ["start", "finish"]),
    ("informeren", "Publiekscampagne 'Samen is leuker!'",
     "Het onderwerp eenzaamheid zichtbaar en bespreekbaar maken: campagneposters, kaartenactie, filmpjes op "
     "schermen, stoepteksten, aftrap met de wethouder, pers, social media.",
     "Het begrip en het bewustzijn over eenzaamheid is versterkt; het taboe op eenzaamheid is doorbroken.",
     GEMEENTE, "werkgroep communicatie- en beleidsadviseur, Versa en inwoners.", ["start"]),
    ("informeren", "Week van de eenzaamheid",
     "Gesprek aangaan met inwoners over eenzaamheid onder het genot van koffie en koekjes; nieuwswaardige "
     "ludieke actie voor de kick-off van de publiekscampagne.",
     "Inwoners zijn geïnformeerd over de aanpak eenzaamheid.", GEMEENTE,
     "Versa Welzijn, communicatie- en beleidsadviseur", ["start"]),
    ("informeren", "Bespreekbaar maken in de wijk",
     "Wijkgesprekken houden met het onderwerp eenzaamheid; bestaande (ontmoetings)activiteiten benutten om met "
     "inwoners in gesprek te gaan.",
     "Beter zicht op wat er in de wijk speelt rondom 'aandacht voor elkaar'; in contact zijn met inwoners over "
     "dit onderwerp.", VERSA, "Versa, maatschappelijke partners, buurtmakers", []),
    ("weten", "Verdiepend onderzoek eenzaamheid",
     "Extra burgerpeiling; extra databaseonderzoek (dwarsverbanden Hilversum Monitor).",
     "Meer inzicht in de relatie tussen eenzaamheid en factoren die van invloed zijn.", GEMEENTE,
     "Finance & control", ["start"]),
    ("samenwerken", "Netwerkgroep Samen is leuker",
     "Vormen van een netwerkgroep 'Samen is leuker' (starten met Versa, Senver, Vrijwillige Thuishulp, "
     "afgevaardigde van het sociaal plein, buurtcoördinatoren, MEE); 2 à 3 keer per jaar een plenaire "
     "bijeenkomst.", "Commitment; gezamenlijke visie; delen expertise; monitoring voortgang lokale aanpak.",
     VERSA, "Aanjager/projectleider vanuit Versa Welzijn die in nauw contact staat met de gemeente.", ["start"]),
    ("weten", "Evaluatie",
     "Evaluatie aan de hand van de Hilversum Monitor op basis van de genoemde meetbare resultaten (DIN-"
     "indicatoren).", "Bijstellen van de aanpak eenzaamheid op basis van de meetbare resultaten.", GEMEENTE,
     "Beleidsadviseur", []),
]

BUDGET = [  # (action title, year, funding source, amount)
    ("Publiekscampagne 'Samen is leuker!'", 2025,
     FRICTIE + " en budget publiekscampagne suïcidepreventie", "35000.00"),
    ("Week van de eenzaamheid", 2025, FRICTIE, "1800.00"),
    ("Verdiepend onderzoek eenzaamheid", 2025, "Onderzoeksbudget interne advisering (extra burgerpeiling)", "2000.00"),
    ("Verdiepend onderzoek eenzaamheid", 2025, FRICTIE + " (extra databaseonderzoek)", "1815.00"),
] + [("Netwerkgroep Samen is leuker", year, "Welzijnsbudget", "20000.00") for year in range(2024, 2031)]

NETWERKGROEP = ["Versa Welzijn", "Senver", "Vrijwillige Thuishulp", "Sociaal Plein Hilversum",
                "Buurtcoördinatoren gemeente Hilversum", "MEE"]


@transaction.atomic
def load_agenda_demo(gemeente) -> str:
    agenda, created = Agenda.objects.get_or_create(
        gemeente=gemeente, title="Uitvoeringsagenda eenzaamheid 2024-2030",
        defaults={"start_year": 2024, "end_year": 2030,
                  "description": "Uitwerking van het speerpunt 'Voorkomen en bestrijden van eenzaamheid' uit de "
                                 "Beleidsagenda Wmo-Samenleving 2024-2030."})
    if not created:
        return "Samenwerken: the agenda is there."
    adviser = User.objects.get(username="beleidsadviseur")
    orgs = {o.name: o for o in Organisation.objects.filter(gemeente=gemeente)}
    actions = {}
    for order, (bouwsteen, title, what, goal, trekker, uitvoering, steps) in enumerate(ACTIONS):
        action = Action.objects.create(agenda=agenda, bouwsteen=bouwsteen, title=title, what=what, goal=goal,
                                       trekker=orgs[trekker], uitvoering=uitvoering, order=order,
                                       starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2030, 12, 31))
        for step in steps:
            WORKFLOW.apply(action, step, by=adviser)
        action.save()
        actions[title] = action
    for name in ("Senver",):
        actions["75+ huisbezoeken"].executors.add(orgs[name])
    Milestone.objects.bulk_create([
        Milestone(action=actions["75+ huisbezoeken"], due_on=datetime.date(2024, 6, 30),
                  title="Huisbezoeken ingebed in de gebiedsteams", reached_on=datetime.date(2024, 6, 14)),
        Milestone(action=actions["75+ huisbezoeken"], due_on=datetime.date(2025, 12, 31),
                  title="Alle 75+ inwoners jaarlijks bezocht"),
        Milestone(action=actions["Publiekscampagne 'Samen is leuker!'"], due_on=datetime.date(2025, 10, 1),
                  title="Aftrap met de wethouder in de Week tegen Eenzaamheid", reached_on=datetime.date(2025, 10, 1)),
        Milestone(action=actions["Publiekscampagne 'Samen is leuker!'"], due_on=datetime.date(2026, 6, 30),
                  title="Wijkgerichte campagne in alle wijken"),
        Milestone(action=actions["Netwerkgroep Samen is leuker"], due_on=datetime.date(2024, 4, 1),
                  title="Netwerkgroep gevormd", reached_on=datetime.date(2024, 3, 28)),
        Milestone(action=actions["Verdiepend onderzoek eenzaamheid"], due_on=datetime.date(2025, 12, 1),
                  title="Extra burgerpeiling uitgevoerd"),
    ])
    for year in range(2024, 2031):
        BudgetYear.objects.create(gemeente=gemeente, year=year, available=Decimal("80000.00"), closed=year == 2024)
    lines = {}
    for title, year, source, amount in BUDGET:
        lines[(title, year)] = BudgetLine.objects.create(action=actions[title], year=year, funding_source=source,
                                                         initial_amount=Decimal(amount))
    BudgetEntry.objects.create(line=lines[("Publiekscampagne 'Samen is leuker!'", 2025)], kind="verplichting",
                               booked_on=datetime.date(2025, 5, 1), amount=Decimal("12500.00"),
                               note="Ontwerp en drukwerk campagnemiddelen", booked_by=adviser)
    BudgetEntry.objects.create(line=lines[("Netwerkgroep Samen is leuker", 2025)], kind="uitgave",
                               booked_on=datetime.date(2025, 3, 15), amount=Decimal("5000.00"),
                               note="Projectleider/aanjager Versa, eerste kwartaal", booked_by=adviser)
    for title, source, code, label, baseline, target in [
        ("Evaluatie", "weten.monitor", "lonely_often", "voelt zich vaak of heel vaak eenzaam (DIN)", 0.05, 0.035),
        ("Sociaal werk en jongerenwerk 'present' in de wijk", "weten.monitor", "enough_contacts",
         "heeft voldoende contacten (DIN)", 0.73, 0.80),
        ("75+ huisbezoeken", "vinden.coverage", "coverage_75", "aandeel 75+ inwoners bezocht", 0.0, 1.0)]:
        ActionIndicator.objects.create(action=actions[title], source=source, code=code, label=label,
                                       baseline=baseline, baseline_year=2016 if source == "weten.monitor" else 2024,
                                       target=target, target_year=2030)
    _networks(gemeente, orgs)
    _campaign(gemeente, actions)
    _assessment(gemeente, adviser)
    return "Samenwerken: agenda 2024-2030, budget, netwerkgroep and meetings."


def _networks(gemeente, orgs):
    group, _created = Zorgnetwerk.objects.get_or_create(
        gemeente=gemeente, name="Netwerkgroep Samen is leuker", kind=Zorgnetwerk.Kind.STAD,
        defaults={"description": "Partners die willen bijdragen aan de lokale aanpak; 2 à 3 plenaire "
                                 "bijeenkomsten per jaar. Regie: aanjager/projectleider van Versa Welzijn."})
    members = []
    for name in NETWERKGROEP:
        member, _ = ZorgnetwerkMember.objects.get_or_create(
            network=group, organisation=orgs[name], function="", defaults={"part": ZorgnetwerkMember.Part.KERN})
        members.append(member)
    regisseur = User.objects.get(username="regisseur")
    ZorgnetwerkMember.objects.filter(pk=members[0].pk).update(user=regisseur)
    today = timezone.localdate()
    past = Meeting.objects.create(network=group, date=datetime.date(2025, 3, 20), place="Huis van de Buurt, Centrum",
                                  agenda="1. Voortgang uitvoeringsagenda\n2. Week tegen Eenzaamheid\n3. Rondvraag",
                                  minutes="De partners bespraken de voortgang van de acties en de plannen voor de "
                                          "Week tegen Eenzaamheid.",
                                  decisions="De aftrap van de campagne is in de Week tegen Eenzaamheid.")
    past.attendees.set(members[:4])
    ActionPoint.objects.create(meeting=past, title="Activiteiten voor de Week tegen Eenzaamheid verzamelen",
                               owner=regisseur, due_on=datetime.date(2025, 9, 1), done_on=datetime.date(2025, 8, 28))
    Meeting.objects.create(network=group, date=today + datetime.timedelta(days=60), place="Raadhuis Hilversum",
                           agenda="1. Terugblik Week tegen Eenzaamheid\n2. Prioriteiten volgend jaar")
    noord_oost = Zorgnetwerk.objects.get(gemeente=gemeente, wijk=Wijk.objects.get(code="WK040207"))
    # The dates the casusoverleg of the demo (ondersteunen) uses: one past meeting and the next one.
    wijk_meeting = Meeting.objects.create(network=noord_oost, date=today - datetime.timedelta(days=14),
                                          place="Wijkcentrum Noord-Oost", agenda="1. Casusoverleg\n2. Signalen",
                                          minutes="Signalen uit de wijk besproken.")
    Meeting.objects.create(network=noord_oost, date=today + datetime.timedelta(days=7), place="Wijkcentrum Noord-Oost",
                           agenda="1. Casusoverleg\n2. Signalen uit de wijk")
    partner = User.objects.get(username="partner")
    ActionPoint.objects.create(meeting=wijk_meeting, title="Contact opnemen met de huisartsen over de route",
                               owner=partner, due_on=today + datetime.timedelta(days=7))


def _campaign(gemeente, actions):
    campaign = actions["Publiekscampagne 'Samen is leuker!'"]
    week = actions["Week van de eenzaamheid"]
    for date, kind, title, materials, reach, action, theme in [
        (datetime.date(2025, 10, 1), "bijeenkomst", "Aftrap publiekscampagne met de wethouder", "koffiekar", 150,
         week, True),
        (datetime.date(2025, 10, 2), "posters", "Campagneposters in de hele stad", "120 posters", None, campaign,
         True),
        (datetime.date(2025, 10, 3), "stoepteksten", "Stoepteksten bij winkelcentra", "8 stoepteksten", None,
         campaign, True),
        (datetime.date(2025, 10, 6), "social", "Filmpjes op social media", "3 filmpjes", 5400, campaign, True),
    ]:
        CampaignMoment.objects.create(gemeente=gemeente, date=date, kind=kind, title=title, materials=materials,
                                      reach=reach, action=action, theme_week=theme)


def _assessment(gemeente, adviser):
    assessment = SelfAssessment.objects.create(gemeente=gemeente, year=2025, updated_by=adviser)
    for question, answer in (("wethouder", "ja"), ("structural_budget", "ja"), ("coalition", "ja"),
                             ("involve_lonely", "deels"), ("best_practices", "ja"), ("monitor_evaluate", "ja")):
        SelfAssessmentAnswer.objects.create(assessment=assessment, question=question, answer=answer)
