"""What a reporter can tick: signs of loneliness and risk factors (domain brief; seed 003 "Vroegsignalering";
seed 004: what deliverers notice). Codes are stable; the labels are translatable."""

from django.utils.translation import gettext_lazy as _

SIGNS = {
    "trekt_zich_terug": _("trekt zich terug, komt de deur minder uit"),
    "weinig_bezoek": _("krijgt weinig of geen bezoek"),
    "zegt_eenzaam": _("zegt zich eenzaam of alleen te voelen"),
    "somber": _("lijkt somber of neerslachtig"),
    "verwaarlozing": _("verwaarloost zichzelf of de woning"),
    "post_blijft_liggen": _("post of kranten blijven liggen"),
    "gordijnen_dicht": _("gordijnen blijven overdag dicht"),
    "zoekt_contact": _("zoekt opvallend veel contact, praat lang door"),
    "haakt_af": _("komt niet meer naar activiteiten of afspraken"),
    "vage_klachten": _("vaak bij de huisarts met vage klachten"),
}
RISK_FACTORS = {
    "verlies_partner": _("verlies van partner of dierbare"),
    "scheiding": _("scheiding"),
    "verhuizing": _("recent verhuisd"),
    "baanverlies_pensioen": _("baanverlies of pensioen"),
    "gezondheid": _("verlies van gezondheid of een beperking"),
    "laag_inkomen": _("laag inkomen of geldzorgen"),
    "alleenwonend": _("woont alleen"),
    "nieuwkomer": _("migrant, nieuwkomer of statushouder"),
    "mantelzorger": _("mantelzorger"),
    "lhbti": _("LHBTI"),
    "jongere_overgang": _("jongere in een overgangsfase (school, werk, zelfstandig wonen)"),
    "75_plus": _("75 jaar of ouder"),
}
CODES = {**SIGNS, **RISK_FACTORS}


def unknown_codes(codes) -> list[str]:
    return [code for code in codes if code not in CODES]
