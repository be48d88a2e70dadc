"""Full JSON dump of the public registry, under the open licence stated inside."""

import sys

import orjson
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from contrechamp.api import serializers as s
from contrechamp.registry.models import CameraCount, Deployment, Organisation, Technology


class Command(BaseCommand):
    help = "Write every published deployment, organisation, technology and camera count."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", default="-", help="file path, or - for stdout")

    def handle(self, *args: object, **options: str) -> None:
        data = {
            "licence": s.LICENCE,
            "licence_text": s.LICENCE_TEXT,
            "generated_at": timezone.now().isoformat(),
            "technologies": [s.technology_dict(t) for t in Technology.objects.all()],
            "organisations": [s.organisation_dict(o) for o in Organisation.objects.public()],
            "deployments": [
                s.deployment_dict(d)
                for d in Deployment.objects.published()
                .order_by("id")
                .prefetch_related(*s.DEPLOYMENT_PREFETCH)
            ],
            "camera_counts": [
                s.camera_count_dict(c)
                for c in CameraCount.objects.select_related("commune")
                .prefetch_related("citations__source__document")
                .order_by("id")
            ],
        }
        raw = orjson.dumps(data, option=orjson.OPT_INDENT_2)
        if options["output"] == "-":
            sys.stdout.buffer.write(raw + b"\n")
        else:
            with open(options["output"], "wb") as f:
                f.write(raw + b"\n")
            self.stderr.write(
                f"Wrote {len(data['deployments'])} deployments to {options['output']}"
            )
