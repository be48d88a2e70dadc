"""`contrechamp subscriptions send`: the e-mail digests that are due, by hand or from cron
(the scheduler already runs it every hour)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from contrechamp.pages.models import Subscription
from contrechamp.pages.subscriptions import digests_send, unconfirmed_purge


class Command(BaseCommand):
    help = "Send the e-mail digests that are due; count the subscriptions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser(
            "send",
            help="Send the digests whose day or week has passed, then delete the "
            "subscriptions never confirmed whose link has expired.",
        )
        send.add_argument("--json", action="store_true", help="The counts as JSON.")
        count = sub.add_parser(
            "count", help="How many subscriptions, by kind and frequency (no address shown)."
        )
        count.add_argument("--json", action="store_true", help="The counts as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "send":
            counts = digests_send()
            counts["purged"] = unconfirmed_purge()
        else:
            counts = {}
            for row in Subscription.objects.order_by().values_list(
                "kind", "frequency", "confirmed_at"
            ):
                kind, frequency, confirmed = row
                name = f"{kind} {frequency}" if confirmed else f"{kind} unconfirmed"
                counts[name] = counts.get(name, 0) + 1
        if options["json"]:
            self.stdout.write(json.dumps(counts, sort_keys=True))
        else:
            for name, value in sorted(counts.items()):
                self.stdout.write(f"{name}: {value}")
