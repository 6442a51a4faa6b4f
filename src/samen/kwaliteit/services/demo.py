"""The demo catalogue: the activities and places named in the seeds (kwaliteit/demo/catalogue.yaml) plus
generated ones so that every wijk has a varied offer; interventions; the coming Week tegen Eenzaamheid.

Everything goes through the catalogue's write path (catalogue.submit as the demo regisseur), so the demo
has a version history like real data. To show the review and freshness screens, one change by the demo
provider (Heikracht) waits for review, one activity is stale and one has left the public site.
Idempotent: an activity that exists (same organisation and title) is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import yaml
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from samen.core.models import Gemeente, Organisation, PostcodeRange, User
from samen.core.roles import Role
from samen.kwaliteit.models import Activity, Intervention, ThemeWeek
from samen.kwaliteit.review import VersionStatus
from samen.kwaliteit.services import catalogue

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "catalogue.yaml"

# (title, interests, target groups, loneliness kinds, rrule, start, end, cost type, amount, languages)
GENERATED = [
    ("Wandelgroep {buurt}", ["walking", "nature"], ["everyone"], ["social"], "FREQ=WEEKLY;BYDAY=TU", "10:00",
     "11:30", "free", None, ["nl"]),
    ("Spelletjesmiddag {buurt}", ["games", "conversation"], ["65plus", "everyone"], ["social"],
     "FREQ=WEEKLY;BYDAY=TH", "14:00", "16:30", "donation", None, ["nl"]),
    ("Samen koken en eten in {buurt}", ["eating"], ["everyone"], ["social"], "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
     "17:00", "19:30", "amount", "4.00", ["nl"]),
    ("Buurtkoor {buurt}", ["music"], ["everyone"], ["social", "existential"], "FREQ=WEEKLY;BYDAY=MO", "19:30",
     "21:00", "amount", "3.00", ["nl"]),
    ("Schilderclub {buurt}", ["creative"], ["65plus"], ["social"], "FREQ=WEEKLY;BYDAY=FR", "13:30", "15:30",
     "amount", "2.00", ["nl"]),
    ("Stoelyoga in {buurt}", ["sports"], ["75plus", "65plus"], ["social"], "FREQ=WEEKLY;BYDAY=WE", "10:30",
     "11:30", "amount", "1.50", ["nl"]),
    ("Taalcafé {buurt}", ["conversation", "learning"], ["newcomers"], ["social"], "FREQ=WEEKLY;BYDAY=TU",
     "19:00", "20:30", "free", None, ["nl", "ar", "ti", "uk"]),
    ("Digicafé {buurt}", ["digital", "learning"], ["65plus", "75plus"], ["social"], "FREQ=MONTHLY;BYDAY=1TU",
     "10:00", "12:00", "free", None, ["nl"]),
    ("Moestuin {buurt}", ["nature", "volunteering"], ["everyone"], ["social", "existential"],
     "FREQ=WEEKLY;BYDAY=SA", "10:00", "12:30", "free", None, ["nl"]),
    ("Buurtborrel {buurt}", ["conversation"], ["everyone"], ["social"], "FREQ=MONTHLY;BYDAY=-1FR", "17:00",
     "19:00", "donation", None, ["nl"]),
    ("Jongerenavond {buurt}", ["games", "music", "conversation"], ["youth"], ["social", "emotional"],
     "FREQ=WEEKLY;BYDAY=FR", "19:00", "22:00", "free", None, ["nl", "en"]),
    ("Mantelzorgcafé {buurt}", ["conversation"], ["carers"], ["emotional", "social"], "FREQ=MONTHLY;BYDAY=2WE",
     "10:00", "12:00", "free", None, ["nl"]),
    ("Regenboogcafé", ["conversation"], ["lgbti"], ["social", "emotional"], "FREQ=MONTHLY;BYDAY=1SA", "16:00",
     "19:00", "free", None, ["nl", "en"]),
    ("Ouder-en-kindochtend {buurt}", ["games", "conversation"], ["parents"], ["social"], "FREQ=WEEKLY;BYDAY=TH",
     "09:30", "11:30", "free", None, ["nl"]),
    ("Gespreksgroep zingeving {buurt}", ["faith", "conversation"], ["65plus"], ["existential"],
     "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "14:00", "15:30", "free", None, ["nl"]),
    ("Fietsmaatjes {buurt}", ["sports", "nature"], ["75plus"], ["social"], "FREQ=WEEKLY;BYDAY=SA", "13:30",
     "15:30", "free", None, ["nl"]),
]
GENERATED_ORGANISERS = ["Versa Welzijn", "Senver", "Vrijwillige Thuishulp", "Leger des Heils",
                        "Meentbewoners voor Meentbewoners"]
PER_WIJK = 10


def next_theme_week(today: dt.date) -> tuple[dt.date, dt.date]:
    """The coming Week tegen Eenzaamheid: from the Thursday between 23 and 29 September, eight days."""
    for year in (today.year, today.year + 1):
        start = dt.date(year, 9, 23)
        start += dt.timedelta(days=(3 - start.weekday()) % 7)
        if start + dt.timedelta(days=7) >= today:
            return start, start + dt.timedelta(days=7)
    raise AssertionError("unreachable")


@transaction.atomic
def load_catalogue_demo(gemeente: Gemeente, now: dt.datetime | None = None) -> int:
    """Load the demo catalogue; returns the number of activities created."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    spec = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    regisseur = User.objects.get(gemeente=gemeente, role=Role.REGISSEUR, username="regisseur")
    interventions = {}
    for item in spec["interventions"]:
        interventions[item["name"]], _created = Intervention.objects.update_or_create(
            gemeente=gemeente, name=item["name"],
            defaults={key: item.get(key, "") for key in ("description", "recognition", "target_group_text")}
            | {"target_groups": item.get("target_groups", [])})
    week_start, week_end = next_theme_week(today)
    ThemeWeek.objects.get_or_create(gemeente=gemeente, starts_on=week_start, defaults={"ends_on": week_end})

    organisations = {o.name: o for o in Organisation.objects.filter(gemeente=gemeente)}
    created = 0
    for item in spec["activities"]:
        place = spec["places"][item["place"]]
        created += _add(regisseur, organisations[item["organisation"]], _content(item, place, today, week_start,
                                                                                 interventions))
    created += _generate(gemeente, regisseur, organisations, today)
    _show_review_and_freshness(gemeente, organisations, now)
    return created


def _content(item: dict, place: dict, today: dt.date, week_start: dt.date, interventions: dict) -> dict:
    content = {key: value for key, value in item.items()
               if key not in ("organisation", "place", "weeks", "theme_week_day", "interventions")}
    content.update(location_name=place["name"], location_street=place["street"],
                   location_house_number=place["house_number"], location_postcode=place["postcode"],
                   location_city="Hilversum",
                   interventions=[interventions[name].pk for name in item.get("interventions", [])])
    content.setdefault("languages", ["nl"])
    if "theme_week_day" in item:
        content.update(start_date=week_start + dt.timedelta(days=item["theme_week_day"]), theme_week=True)
    elif "weeks" in item:  # a course: starts in two weeks, a fixed number of meetings
        start = today + dt.timedelta(days=14)
        content.update(start_date=start, valid_until=start + dt.timedelta(weeks=item["weeks"] - 1))
    else:
        content["start_date"] = today - dt.timedelta(days=56)
    return content


def _add(user: User, organisation: Organisation, content: dict) -> int:
    if Activity.objects.filter(organisation=organisation, title=content["title"]).exists():
        return 0
    catalogue.submit(user, content, organisation=organisation)
    return 1


def _generate(gemeente: Gemeente, regisseur: User, organisations: dict, today: dt.date) -> int:
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    created = 0
    for wijk in gemeente.wijken.order_by("code"):
        ranges = list(PostcodeRange.objects.filter(buurt__wijk=wijk).select_related("buurt").order_by("postcode"))
        for index, template in enumerate(rng.sample(GENERATED, PER_WIJK)):
            title, interests, groups, kinds, rrule, start, end, cost, amount, languages = template
            place = ranges[(index * 7) % len(ranges)]
            number = place.number_from + (1 if place.parity == "even" and place.number_from % 2 else 0)
            buurt = place.buurt.name
            content = {
                "title": title.format(buurt=buurt if "Landelijk" not in buurt else wijk.official_name),
                "description": _description(interests), "location_name": f"Buurthuis {buurt}",
                "location_street": place.street, "location_house_number": number, "location_postcode": place.postcode,
                "location_city": gemeente.name, "start_date": today - dt.timedelta(days=rng.randint(7, 120)),
                "start_time": start, "end_time": end, "rrule": rrule, "cost_type": cost, "cost_amount": amount,
                "target_groups": groups, "interests": interests, "loneliness_kinds": kinds, "languages": languages,
                "wheelchair_accessible": rng.random() < 0.6, "hearing_loop": rng.random() < 0.2,
                "near_public_transport": rng.random() < 0.5, "registration_required": cost == "amount",
                "how_to_join": "Loop gerust binnen." if cost != "amount" else "Aanmelden bij de organisator.",
            }
            organiser = organisations[GENERATED_ORGANISERS[(index + wijk.pk) % len(GENERATED_ORGANISERS)]]
            created += _add(regisseur, organiser, content)
    return created


DESCRIPTIONS = {
    "walking": "Samen een frisse neus halen, in een rustig tempo.",
    "games": "Spelletjes met koffie of thee; nieuwe spelers zijn altijd welkom.",
    "eating": "Samen koken en aan tafel, met wat de buurt meebrengt.",
    "music": "Zingen of muziek maken zonder ervaring: plezier staat voorop.",
    "creative": "Samen creatief bezig, met materiaal en begeleiding.",
    "sports": "Bewegen op uw eigen niveau, met begeleiding.",
    "conversation": "Een plek om elkaar te ontmoeten en te praten.",
    "digital": "Hulp bij telefoon, tablet en computer, in kleine groepjes.",
    "nature": "Buiten bezig zijn in de natuur, samen met buurtgenoten.",
    "faith": "Samen stilstaan bij wat het leven betekenisvol maakt.",
    "learning": "Samen iets nieuws leren.",
    "volunteering": "Helpen in de buurt en nieuwe mensen leren kennen.",
}


def _description(interests: list[str]) -> str:
    return " ".join(DESCRIPTIONS[code] for code in interests[:2])


def _show_review_and_freshness(gemeente: Gemeente, organisations: dict, now: dt.datetime) -> None:
    """A pending change by the demo provider, a stale entry and one that left the site."""
    provider = User.objects.filter(gemeente=gemeente, role=Role.AANBIEDER, username="aanbieder").first()
    meal = Activity.objects.filter(organisation=organisations["Heikracht"],
                                   title="Maandelijkse maaltijd in de Bethlehemkerk").first()
    if provider and meal and not meal.versions.filter(status=VersionStatus.PENDING).exists() \
            and meal.versions.count() == 1:
        from samen.kwaliteit.forms import initial_from

        change = initial_from(meal)
        change["how_to_join"] = "Aanmelden bij Heikracht, uiterlijk de maandag ervoor. Vervoer nodig? Zeg het ons."
        change["near_public_transport"] = True
        catalogue.submit(provider, change, activity=meal)
    versa = organisations["Versa Welzijn"]
    stale = Activity.objects.filter(organisation=versa, title="Bridgen in Lopes Dias", reminded_at__isnull=True)
    stale.update(confirmed_at=now - relativedelta(months=7))
    gone = (Activity.objects.filter(gemeente=gemeente, wijk__code="WK040206", organisation__name="Senver")
            .order_by("pk").first())
    if gone is not None and gone.confirmed_at and gone.confirmed_at > now - relativedelta(months=9):
        Activity.objects.filter(pk=gone.pk).update(confirmed_at=now - relativedelta(months=10))
