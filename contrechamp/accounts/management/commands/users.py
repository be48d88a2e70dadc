import getpass

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contrechamp.accounts.models import Profile
from contrechamp.accounts.services import user_create


class Command(BaseCommand):
    help = (
        "Accounts. `users create NAME --email E --role R --public-name P` (asks for the "
        "password). NAME is the internal user name (never shown in public); people log in "
        "with it or with their e-mail address."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--role", choices=[r for r, _ in Profile.ROLES], default="contributor")
        parser.add_argument("--password", help="for scripts; prompted for when omitted")
        parser.add_argument(
            "--public-name", default="", help="the display name shown beside contributions"
        )

    def handle(self, *args: object, **options: str) -> None:
        password = options["password"] or getpass.getpass("Password: ")
        if len(password) < 8:
            raise CommandError("The password must have at least 8 characters.")
        user = user_create(
            username=options["username"],
            email=options["email"],
            password=password,
            role=options["role"],
            public_name=options["public_name"],
        )
        self.stdout.write(f"Created {user.username} ({options['role']}).")
