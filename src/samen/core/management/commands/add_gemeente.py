"""samen add_gemeente: a new municipality in this installation, with its wijken, buurten and a first beheerder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from samen.core.models import Gemeente, User
from samen.core.roles import Role
from samen.core.services import geography
from samen.core.services.users import new_password


class Command(BaseCommand):
    help = ("Add a municipality: CBS code and name, its wijken and buurten from a CBS code list (CSV with "
            "statcode,level,statnaam,wijkcode,gmcode), optionally boundaries (GeoJSON), and a first beheerder.")

    def add_arguments(self, parser):
        parser.add_argument("code", help="CBS code, e.g. GM1942")
        parser.add_argument("name")
        parser.add_argument("--areas", type=Path, required=True)
        parser.add_argument("--boundaries", type=Path)
        parser.add_argument("--province", default="", help="the province, as in an address (e.g. Utrecht)")
        parser.add_argument("--public-host", default="",
                            help="host name of its public site, e.g. samen.gooisemeren.nl (add it to ALLOWED_HOSTS)")
        parser.add_argument("--beheerder", help="username of the first beheerder (a one-time password is printed)")

    @transaction.atomic
    def handle(self, *args, code, name, areas, boundaries, beheerder, province, public_host, **options):
        code = code.upper()
        for path in filter(None, (areas, boundaries)):
            if not path.is_file():
                raise CommandError(f"{path} does not exist.")
        fields = {"name": name, "province": province.strip(), "public_host": public_host.strip().lower()}
        gemeente = Gemeente(code=code, **fields)
        try:
            gemeente.full_clean(validate_unique=False, validate_constraints=False)
        except Exception as exc:
            raise CommandError(f"Invalid municipality: {exc}") from None
        if fields["public_host"] and Gemeente.objects.filter(public_host=fields["public_host"]).exclude(
                code=code).exists():
            raise CommandError(f"The host {fields['public_host']} belongs to another municipality.")
        gemeente, _created = Gemeente.objects.update_or_create(code=code, defaults=fields)
        wijken, buurten = geography.load_cbs_areas(gemeente, areas, boundaries)
        if not wijken:
            raise CommandError(f"{areas} has no wijken for {code}.")
        self.stdout.write(self.style.SUCCESS(f"{name} ({code}): {wijken} wijken, {buurten} buurten."))
        if fields["public_host"]:
            self.stdout.write(f"Public site: https://{fields['public_host']}/ (add the host to ALLOWED_HOSTS).")
        if beheerder:
            if User.objects.filter(username=beheerder).exists():
                raise CommandError(f"The username {beheerder} is taken.")
            password = new_password()
            user = User(username=beheerder, gemeente=gemeente, role=Role.BEHEERDER)
            user.set_password(password)
            user.save()
            self.stdout.write(f"Beheerder {beheerder}, one-time password: {password}")
