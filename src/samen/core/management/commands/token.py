from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken

from samen.core.models import User


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (use as 'Authorization: Token <token>')."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"There is no active user '{username}'.") from None
        _instance, token = AuthToken.objects.create(user=user)
        self.stdout.write(token)
