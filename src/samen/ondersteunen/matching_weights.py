"""The factors of the explained matching and their default weights (docs/ondersteunen.md explains each).
The regisseur tunes the weights per municipality (``SupportSettings.weights``); a weight of 0 switches a
factor off. Hard needs (wheelchair access, free of charge, a language the resident speaks, places left)
are not weighed: they exclude."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# factor -> (default weight, Dutch label for the settings screen)
FACTORS = {
    "interests": (3.0, _("gedeelde interesses")),
    "distance": (2.0, _("afstand (zelfde buurt, zelfde wijk, elders, online)")),
    "schedule": (2.0, _("past in de dagen en dagdelen waarop de inwoner kan")),
    "cost": (1.0, _("kosten, als geld een drempel is")),
    "accessibility": (1.0, _("toegankelijkheid (ringleiding, openbaar vervoer)")),
    "target_group": (1.0, _("doelgroep en leeftijd")),
    "loneliness_kind": (1.5, _("soort eenzaamheid")),
    "recognition": (1.0, _("erkenning van de interventie (Movisie)")),
    "capacity": (0.5, _("plaatsen vrij")),
    "local_evidence": (1.5, _("lokale ervaring: inwoners die hierheen gingen en bleven komen")),
}
DEFAULT_WEIGHTS = {name: weight for name, (weight, _label) in FACTORS.items()}
MAX_WEIGHT = 10.0


def validate(raw) -> dict[str, float]:
    """A weights dict from the settings screen or the API, checked: every key a known factor, every value a
    number from 0 to MAX_WEIGHT. Returns the full dict (missing factors get their default); raises
    ValidationError naming the factor with a Dutch message."""
    from django.core.exceptions import ValidationError

    if not isinstance(raw, dict):
        raise ValidationError({"weights": _("Geef de gewichten als een lijst van factor en gewicht.")})
    errors = {}
    out = dict(DEFAULT_WEIGHTS)
    for name, value in raw.items():
        if name not in FACTORS:
            errors[str(name)] = _("Onbekende factor: %(name)s.") % {"name": name}
            continue
        if isinstance(value, str):
            try:
                value = float(value.replace(",", "."))
            except ValueError:
                errors[name] = _("Het gewicht van '%(factor)s' is geen getal.") % {"factor": FACTORS[name][1]}
                continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            errors[name] = _("Het gewicht van '%(factor)s' is geen getal.") % {"factor": FACTORS[name][1]}
        elif not 0 <= value <= MAX_WEIGHT:
            errors[name] = _("Het gewicht van '%(factor)s' ligt tussen 0 en %(max)s.") % {
                "factor": FACTORS[name][1], "max": f"{MAX_WEIGHT:g}"}
        else:
            out[name] = float(value)
    if errors:
        raise ValidationError(errors)
    return out
