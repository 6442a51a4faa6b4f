"""Loading the Hilversum demo: geography, postcodes, organisations, users, residents, and then the
demo data of every building block, through the loaders they register (``registry.demo_loader``) in
the order their ``after`` gives.

Idempotent: running it again updates what is there and creates nothing twice.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from samen.core import policy, registry
from samen.core.models import Gemeente, Organisation, Resident, User, Wijk
from samen.core.services import geography

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
DEMO_PASSWORD = "samen-demo-2026"


@dataclass
class DemoLogin:
    username: str
    role: str
    password: str
    totp_secret: str | None


def demo_totp_key(username: str) -> str:
    """A fixed TOTP key per demo user (hex), so a demo authenticator app keeps working across reloads."""
    return hashlib.sha256(f"samen-demo-totp:{username}".encode()).hexdigest()[:40]


def totp_secret_base32(hex_key: str) -> str:
    return base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")


def demo_spec() -> dict:
    """The demo's description (hilversum.yaml); building blocks read their own sections of it."""
    return yaml.safe_load((DEMO_DIR / "hilversum.yaml").read_text(encoding="utf-8"))


@transaction.atomic
def load_demo(*, everything: bool = False, say=None) -> list[DemoLogin]:
    """Load the core's demo, then each building block's loader. ``everything`` adds the loaders marked
    ``extra`` (large or slow: the survey waves, the home-visit rounds), which only ``samen demo`` runs;
    ``say(line)`` receives the line each loader returns."""
    spec = demo_spec()
    gemeente, _created = Gemeente.objects.update_or_create(code=spec["gemeente"]["code"],
                                                          defaults={"name": spec["gemeente"]["name"],
                                                                    "province": spec["gemeente"]["province"],
                                                                    **spec.get("public_site", {})})
    geography.load_cbs_areas(gemeente, DEMO_DIR / "hilversum_wijk_buurt_codes_2022_cbs.csv",
                             DEMO_DIR / "hilversum_wijken_2022_cartomap.geojson", spec["wijk_policy_names"])
    report = geography.import_postcodes(gemeente, (DEMO_DIR / "postcodes_hilversum_demo.csv").read_bytes())
    if not report.ok:
        raise RuntimeError("demo postcodes do not import: " + "; ".join(map(str, report.problems)))
    organisations = {}
    for item in spec["organisations"]:
        organisations[item["name"]], _created = Organisation.objects.update_or_create(
            gemeente=gemeente, name=item["name"],
            defaults={"type": item["type"], "description": item.get("description", "")})
    logins = [_load_user(gemeente, item, organisations) for item in spec["users"]]
    _load_residents(gemeente, spec["residents"])
    for loader in registry.demo_order():
        if everything or not loader.extra:
            line = loader.load(gemeente)
            if line and say is not None:
                say(line)
    return logins


def _load_user(gemeente, item, organisations) -> DemoLogin:
    user, created = User.objects.get_or_create(username=item["username"])
    user.gemeente = gemeente
    user.role = item["role"]
    user.first_name, user.last_name = item["first_name"], item["last_name"]
    user.email = f"{item['username']}@demo.samen.invalid"
    user.organisation = organisations[item["organisation"]]
    user.function = item.get("function", "")
    user.is_active = True
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
    user.save()
    wijken = item.get("wijken") or []
    user.wijken.set(gemeente.wijken.all() if wijken == "all" else Wijk.objects.filter(code__in=wijken))
    secret = None
    if policy.sees_personal_data(user):
        key = demo_totp_key(user.username)
        TOTPDevice.objects.update_or_create(user=user, name="demo",
                                            defaults={"key": key, "confirmed": True})
        secret = totp_secret_base32(key)
    return DemoLogin(user.username, user.get_role_display(), DEMO_PASSWORD, secret)


def _load_residents(gemeente, items) -> None:
    for item in items:
        buurt = geography.locate(gemeente, item["postcode"], item["house_number"])
        Resident.objects.update_or_create(
            gemeente=gemeente, name=item["name"], postcode=item["postcode"], house_number=item["house_number"],
            defaults={"birth_year": item["birth_year"], "buurt": buurt})
