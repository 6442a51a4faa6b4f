from django.core.management.base import BaseCommand, CommandError

from samen.core.models import Organisation
from samen.vinden.services import apikeys


class Command(BaseCommand):
    help = ("Print a new API key for an organisation (use as 'Authorization: Api-Key <key>' on POST "
            "/api/v1/signals/), or revoke one with --revoke PREFIX.")

    def add_arguments(self, parser):
        parser.add_argument("organisation", nargs="?", help="the organisation's name, e.g. PostNL")
        parser.add_argument("--gemeente", default="GM0402")
        parser.add_argument("--revoke", metavar="PREFIX")

    def handle(self, *args, organisation, gemeente, revoke, **options):
        if revoke:
            if not apikeys.revoke(revoke):
                raise CommandError(f"No active key with prefix {revoke}.")
            self.stdout.write(f"Key {revoke} revoked.")
            return
        if not organisation:
            raise CommandError("Name the organisation, e.g. samen apikey PostNL.")
        try:
            org = Organisation.objects.get(name=organisation, gemeente__code=gemeente.upper())
        except Organisation.DoesNotExist:
            raise CommandError(f"There is no organisation '{organisation}' in {gemeente}.") from None
        self.stdout.write(apikeys.issue(org))
