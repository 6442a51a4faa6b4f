"""ondersteunen's registrations for this part (imported from ondersteunen.blocks): the casusoverleg, the
outcomes and local evidence, retention and inzage. Demo data of all of ondersteunen is loaded from here."""

from __future__ import annotations

from samen.core import registry


def _load_demo(gemeente):
    from samen.ondersteunen.demo import load

    return load(gemeente)


# After the networks, the catalogue and (with ``samen demo``) the 75+ visits, whose signal it uses.
registry.demo_loader("ondersteunen", _load_demo, after=("samenwerken", "kwaliteit.catalogue", "vinden.visits"))
