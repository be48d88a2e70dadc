from django.core.management.base import BaseCommand, CommandParser

from contrechamp.places.services import FormerCommune, places_load


class Command(BaseCommand):
    help = "Reference places. `places load` loads or refreshes communes, EPCI, departments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])
        parser.add_argument("--force", action="store_true", help="reload even if unchanged")

    def handle(self, *args: object, **options: object) -> None:
        former: list[FormerCommune] = []
        load, changed = places_load(force=bool(options["force"]), former=former)
        verb = "Loaded" if changed else "Already up to date:"
        self.stdout.write(
            f"{verb} {load.communes} communes ({load.communes_with_area} with an area), "
            f"{load.epcis} EPCI, {load.departments} departments, {load.regions} regions."
        )
        for item in former:
            if item.into:
                moved = ", ".join(f"{n} {label}" for label, n in sorted(item.moved.items()))
                self.stdout.write(
                    f"Former commune {item.name} ({item.code}) merged into {item.into}: "
                    f"{moved or 'nothing pointed at it'}; its row is deleted, its page "
                    f"leads to {item.into}."
                )
            else:
                self.stdout.write(
                    f"Former commune {item.name} ({item.code}) left as it is: its code is a "
                    f"former code of {', '.join(item.owners)} (split since); move what "
                    f"points at it by hand, then delete it."
                )
