"""Loading the Hilversum demo: geography, postcodes, organisations, care networks, users, residents.

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

from samen.core import policy
from samen.core.models import Gemeente, Organisation, Resident, User, Wijk
from samen.core.services import geography
from samen.samenwerken.models import Zorgnetwerk, ZorgnetwerkMember

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


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    spec = yaml.safe_load((DEMO_DIR / "hilversum.yaml").read_text(encoding="utf-8"))
    gemeente, _created = Gemeente.objects.update_or_create(code=spec["gemeente"]["code"],
                                                          defaults={"name": spec["gemeente"]["name"],
                                                                    "province": spec["gemeente"]["province"]})
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
    networks = _load_networks(gemeente, spec["zorgnetwerken"], organisations)
    logins = [_load_user(gemeente, item, organisations, networks) for item in spec["users"]]
    _load_residents(gemeente, spec["residents"])
    from samen.kwaliteit.services.demo import load_catalogue_demo  # the catalogue builds on the above

    load_catalogue_demo(gemeente)
    return logins


def _load_networks(gemeente, items, organisations) -> dict[str, Zorgnetwerk]:
    networks = {}
    for item in items:
        network, _created = Zorgnetwerk.objects.update_or_create(
            wijk=Wijk.objects.get(code=item["wijk"]), name=item["name"],
            defaults={"gemeente": gemeente, "status": item["status"], "description": item["description"]})
        for member in item["members"]:
            ZorgnetwerkMember.objects.update_or_create(
                network=network, organisation=organisations[member["organisation"]], function=member["function"],
                defaults={"part": member["part"]})
        networks[network.name] = network
    return networks


def _load_user(gemeente, item, organisations, networks) -> DemoLogin:
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
    if item.get("network"):
        ZorgnetwerkMember.objects.filter(network=networks[item["network"]], organisation=user.organisation,
                                         function=user.function).update(user=user)
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
