from django.core.management.base import BaseCommand, CommandError, CommandParser

from contrechamp.places.models import Commune
from contrechamp.registry.demo import demo_load


class Command(BaseCommand):
    help = "Demo dataset. `demo load` adds what is missing of the bundled demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])

    def handle(self, *args: object, **options: object) -> None:
        if not Commune.objects.exists():
            raise CommandError("Load the places first: contrechamp places load")
        created = demo_load()
        self.stdout.write(
            "Demo dataset: " + ", ".join(f"{n} {what} added" for what, n in created.items()) + "."
        )
