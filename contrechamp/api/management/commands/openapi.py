import json

from django.core.management.base import BaseCommand, CommandParser

from contrechamp.api.api import api


def openapi_text() -> str:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI schema of /api/v1/ (committed as docs/openapi.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", default="docs/openapi.json")

    def handle(self, *args: object, **options: str) -> None:
        with open(options["output"], "w", encoding="utf-8") as f:
            f.write(openapi_text())
        self.stdout.write(f"Wrote {options['output']}")
