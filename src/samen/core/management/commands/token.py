from django.core.management.base import BaseCommand, CommandError

from samen.core.models import User
from samen.core.services import users as service


class Command(BaseCommand):
    help = ("Print a new API token for USERNAME (use as 'Authorization: Token <token>'), or end tokens: "
            "--revoke USERNAME ends all of a user's tokens, --revoke-token PREFIX ends one. "
            "--list USERNAME shows a user's active tokens (prefix, created, expiry).")

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument("--revoke", metavar="USERNAME", help="end every API token of this user")
        parser.add_argument("--revoke-token", metavar="PREFIX", help="end the token with this prefix")
        parser.add_argument("--list", metavar="USERNAME", help="list the active tokens of this user")

    def handle(self, *args, username=None, revoke=None, revoke_token=None, list=None, **options):
        if revoke or revoke_token:
            if revoke and not User.objects.filter(username=revoke).exists():
                raise CommandError(f"There is no user '{revoke}'.")
            ended = service.revoke_tokens(username=revoke, token_key=revoke_token)
            if revoke_token and not ended:
                raise CommandError(f"There is no token with prefix '{revoke_token}'.")
            self.stdout.write(f"Ended {ended} token(s).")
            return
        if list:
            user = self._user(list, active=False)
            for token in service.active_tokens(user):
                expiry = token.expiry.isoformat(timespec="minutes") if token.expiry else "never"
                self.stdout.write(f"{token.token_key}\tcreated {token.created.isoformat(timespec='minutes')}"
                                  f"\texpires {expiry}")
            return
        if not username:
            raise CommandError("Name a user: samen token USERNAME (or --revoke USERNAME, --revoke-token PREFIX).")
        user = self._user(username, active=True)
        try:
            _instance, token = service.issue_token(user)
        except service.TokenRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(token)

    def _user(self, username, *, active):
        users = User.objects.filter(username=username, **({"is_active": True} if active else {}))
        user = users.first()
        if user is None:
            raise CommandError(f"There is no {'active ' if active else ''}user '{username}'.")
        return user
