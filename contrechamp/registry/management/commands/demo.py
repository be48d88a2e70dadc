from django.core.management.base import BaseCommand, CommandError, CommandParser

from contrechamp.places.models import Commune
from contrechamp.registry.demo import demo_load, demo_remove


class Command(BaseCommand):
    help = (
        "Demo dataset. `demo load` adds what is missing of the bundled demo data; `demo "
        "remove` takes it out again (what someone changed or uses since stays)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load", "remove"])

    def handle(self, *args: object, **options: object) -> None:
        if options["action"] == "remove":
            done = demo_remove()
            kept = done.pop("kept")
            self.stdout.write(
                "Demo dataset: "
                + ", ".join(f"{n} {what} removed" for what, n in done.items())
                + "."
            )
            if kept:
                self.stdout.write("Kept (changed or used since): " + ", ".join(kept) + ".")
            return
        if not Commune.objects.exists():
            raise CommandError("Load the places first: contrechamp places load")
        created = demo_load()
        self.stdout.write(
            "Demo dataset: " + ", ".join(f"{n} {what} added" for what, n in created.items()) + "."
        )
