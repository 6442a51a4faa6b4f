"""The fixed word lists of the catalogue: target groups, interests, kinds of loneliness, cost, recognition.

Each is a TextChoices: the stored code is English and stable (exports, API, HSDS taxonomy), the label is
Dutch first and translatable. Activities keep lists of these codes in JSON fields (see models.HasCode for
how a search filters on them on both SQLite and PostgreSQL).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetGroup(models.TextChoices):
    YOUTH = "youth", _("jongeren 16-25")
    SENIORS_65 = "65plus", _("65-plussers")
    SENIORS_75 = "75plus", _("75-plussers")
    NEWCOMERS = "newcomers", _("nieuwkomers en statushouders")
    CARERS = "carers", _("mantelzorgers")
    LGBTI = "lgbti", _("LHBTI+")
    PARENTS = "parents", _("ouders")
    EVERYONE = "everyone", _("iedereen")


class Interest(models.TextChoices):
    EATING = "eating", _("samen eten")
    WALKING = "walking", _("wandelen")
    GAMES = "games", _("spelletjes")
    MUSIC = "music", _("muziek")
    CREATIVE = "creative", _("creatief")
    SPORTS = "sports", _("sport en bewegen")
    FAITH = "faith", _("geloof en zingeving")
    LEARNING = "learning", _("leren")
    DIGITAL = "digital", _("digitale vaardigheden")
    VOLUNTEERING = "volunteering", _("vrijwilligerswerk")
    NATURE = "nature", _("natuur")
    CONVERSATION = "conversation", _("praten en ontmoeten")


class LonelinessKind(models.TextChoices):
    """Which lack the activity answers (domain.md): a wider circle, an intimate bond, meaning."""

    SOCIAL = "social", _("sociaal: een grotere kring")
    EMOTIONAL = "emotional", _("emotioneel: een hechte band")
    EXISTENTIAL = "existential", _("existentieel: zin en betekenis")


class Language(models.TextChoices):
    DUTCH = "nl", _("Nederlands")
    ENGLISH = "en", _("Engels")
    ARABIC = "ar", _("Arabisch")
    TURKISH = "tr", _("Turks")
    TIGRINYA = "ti", _("Tigrinya")
    POLISH = "pl", _("Pools")
    UKRAINIAN = "uk", _("Oekraïens")
    SIGN = "sgn", _("Nederlandse Gebarentaal")


class CostType(models.TextChoices):
    FREE = "free", _("gratis")
    AMOUNT = "amount", _("vast bedrag")
    DONATION = "donation", _("vrijwillige bijdrage")


class PartOfDay(models.TextChoices):
    MORNING = "morning", _("ochtend")
    AFTERNOON = "afternoon", _("middag")
    EVENING = "evening", _("avond")


class Recognition(models.TextChoices):
    """Recognition levels of the Movisie Databank Effectieve sociale interventies."""

    DESCRIBED = "described", _("goed beschreven")
    FOUNDED = "founded", _("goed onderbouwd")
    FIRST_INDICATIONS = "first", _("effectief volgens eerste aanwijzingen")
    GOOD_INDICATIONS = "good", _("effectief volgens goede aanwijzingen")
    STRONG_INDICATIONS = "strong", _("effectief volgens sterke aanwijzingen")
    NOT_ASSESSED = "none", _("niet beoordeeld")


WEEKDAYS = [_("maandag"), _("dinsdag"), _("woensdag"), _("donderdag"), _("vrijdag"), _("zaterdag"), _("zondag")]


def part_of_day(time) -> str:
    """Morning before 12:00, afternoon until 17:00, evening after."""
    if time.hour < 12:
        return PartOfDay.MORNING
    if time.hour < 17:
        return PartOfDay.AFTERNOON
    return PartOfDay.EVENING
