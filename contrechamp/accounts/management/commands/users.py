import getpass

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import translation

from contrechamp.accounts.forms import AccountCreateForm
from contrechamp.accounts.models import Profile
from contrechamp.accounts.services import LastAdministrator, user_create, user_role_set
from contrechamp.accounts.twofactor import has_two_factor

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
        "display name no other account has, a password the validators accept. "
        "`users role NAME --role R` gives an existing account (NAME: its user name or "
        "e-mail address) the role R, recorded in the audit log; reviewers and "
        "administrators set up two-factor authentication at their next log-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "role"])
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="required, and no other account's")
        parser.add_argument(
            "--role",
            choices=[r for r, _ in Profile.ROLES],
            help="create: contributor unless given; role: required",
        )
        parser.add_argument("--password", help="for scripts; prompted for when omitted")
        parser.add_argument(
            "--public-name", default="", help="the display name shown beside contributions"
        )

    def handle(self, *args: object, **options: str) -> None:
        if options["action"] == "role":
            self.role(options["username"], options["role"])
            return
        options["role"] = options["role"] or "contributor"
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

    def role(self, name: str, role: str | None) -> None:
        if not role:
            roles = ", ".join(r for r, _ in Profile.ROLES)
            raise CommandError(f"Say which role with --role ({roles}).")
        # The user name, or the address: both log in, either may be what one knows.
        found = list(User.objects.filter(Q(username=name) | Q(email__iexact=name))[:2])
        if len(found) != 1:
            raise CommandError(
                f"No account has the user name or e-mail address {name!r}."
                if not found
                else f"Several accounts match {name!r}: give the user name."
            )
        user = found[0]
        if not user.is_active:
            raise CommandError(f"{user.username} is disabled or deleted: no role to give.")
        try:
            before = user_role_set(user=user, role=role)
        except LastAdministrator:
            raise CommandError(
                f"{user.username} is the only administrator: make another one first."
            ) from None
        if before == role:
            self.stdout.write(f"{user.username} is already {role}: nothing changed.")
            return
        self.stdout.write(f"{user.username} is now {role} (was {before}); audit log: role changed.")
        if role in ("reviewer", "administrator"):
            # The rule of accounts.twofactor: said here, not found out at the log-in.
            if has_two_factor(user):
                self.stdout.write(
                    "Two-factor authentication is required of this role; the account "
                    "already has an authenticator."
                )
            else:
                self.stdout.write(
                    "Two-factor authentication is required of this role: at the next "
                    "log-in (or the next page, if logged in now) they set up an "
                    "authenticator app and reach nothing else before."
                )
