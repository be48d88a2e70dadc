import getpass

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from contrechamp.accounts.forms import AccountCreateForm
from contrechamp.accounts.models import Profile
from contrechamp.accounts.services import user_create

# The form's fields as the command names them.
_OPTIONS = {
    "username": "NAME",
    "email": "--email",
    "public_name": "--public-name",
    "password": "the password",
    "__all__": "account",
}


class Command(BaseCommand):
    help = (
        "Accounts. `users create NAME --email E --role R --public-name P` (asks for the "
        "password). NAME is the internal user name (never shown in public); people log in "
        "with it or with their e-mail address. The sign-up's rules hold: an address and a "
        "display name no other account has, a password the validators accept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="required, and no other account's")
        parser.add_argument("--role", choices=[r for r, _ in Profile.ROLES], default="contributor")
        parser.add_argument("--password", help="for scripts; prompted for when omitted")
        parser.add_argument(
            "--public-name", default="", help="the display name shown beside contributions"
        )

    def handle(self, *args: object, **options: str) -> None:
        password = options["password"] or getpass.getpass("Password: ")
        # The sign-up's rules: an address no account has (in any case), a display name
        # free and clean, the password validators; and a user name no account has.
        form = AccountCreateForm(
            {
                "username": options["username"],
                "email": options["email"],
                "public_name": options["public_name"],
                "password": password,
            }
        )
        # (The command line speaks English, as the logs do.)
        with translation.override("en"):
            if not form.is_valid():
                raise CommandError(
                    "\n".join(
                        f"{_OPTIONS.get(field, field)}: {message}"
                        for field, messages in form.errors.items()
                        for message in messages
                    )
                )
        for stale in form.stale_signups:
            stale.delete()  # a sign-up of the address never confirmed: nobody's
        user = user_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=password,
            role=options["role"],
            public_name=form.cleaned_data["public_name"],
        )
        self.stdout.write(f"Created {user.username} ({options['role']}).")
