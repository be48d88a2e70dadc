from django.core.management.base import BaseCommand, CommandParser

from contrechamp.places.services import places_load


class Command(BaseCommand):
    help = "Reference places. `places load` loads or refreshes communes, EPCI, departments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])
        parser.add_argument("--force", action="store_true", help="reload even if unchanged")

    def handle(self, *args: object, **options: object) -> None:
        load, changed = places_load(force=bool(options["force"]))
        verb = "Loaded" if changed else "Already up to date:"
        self.stdout.write(
            f"{verb} {load.communes} communes ({load.communes_with_area} with an area), "
            f"{load.epcis} EPCI, {load.departments} departments, {load.regions} regions."
        )
