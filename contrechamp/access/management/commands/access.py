"""Access-to-documents requests from the command line.

contrechamp access deadlines --received 2027-01-31 [--sent D] [--channel post|email]
    [--refused D] [--cada-registered D] [--cada-opinion D] [--final-refusal D]
    [--department 57] [--json]
contrechamp access remind [--today D]
contrechamp access daily [--today D]
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contrechamp.access.deadlines import Facts, compute, subdivision_of
from contrechamp.access.services.reminders import daily_pass, reminders_send

# In the order events happen: each date given must not come before the previous ones.
ORDER = ["sent", "received", "refused", "cada_registered", "cada_opinion", "final_refusal"]


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--{option}: “{value}” is not a date as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Access-to-documents requests: legal deadlines, reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        deadlines = sub.add_parser("deadlines", help="Every date the rules derive.")
        for name in ORDER:
            deadlines.add_argument("--" + name.replace("_", "-"), default=None)
        deadlines.add_argument("--channel", choices=["email", "post"], default="email")
        deadlines.add_argument(
            "--department", default=None, help="The body's department, for local holidays."
        )
        deadlines.add_argument("--json", action="store_true")
        remind = sub.add_parser("remind", help="E-mail requesters what is due within 7 days.")
        remind.add_argument("--today", default=None)
        daily = sub.add_parser(
            "daily", help="Record the implicit refusals whose date has come, then remind."
        )
        daily.add_argument("--today", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "handle_" + options["action"])(**options)

    def handle_deadlines(self, **options: Any) -> None:
        given: dict[str, dt.date] = {
            name: _date(options[name], name.replace("_", "-"))
            for name in ORDER
            if options.get(name)
        }
        if not given:
            raise CommandError("Give at least one date, e.g. --received 2027-01-31.")
        previous = None
        for name in ORDER:
            if name not in given:
                continue
            if previous and given[name] < given[previous]:
                raise CommandError(
                    f"--{name.replace('_', '-')} is before --{previous.replace('_', '-')}."
                )
            previous = name
        facts = Facts(channel=options["channel"], subdivision=subdivision_of(options["department"]))
        for name, day in given.items():  # only the date fields of ORDER
            setattr(facts, name, day)
        calendar = compute(facts)
        if options["json"]:
            data = {
                "facts": {k: v.isoformat() for k, v in given.items()},
                "deadlines": calendar.as_list(),
                "notes": calendar.notes_as_list(),
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for deadline in calendar.deadlines:
            flag = " (estimate)" if deadline.estimate else ""
            self.stdout.write(
                f"{deadline.date.isoformat()}  {deadline.name}{flag} — {deadline.basis}"
            )
        if calendar.notes:
            self.stdout.write("\nNotes:")
        for note in calendar.notes:
            self.stdout.write(f"- {note.text} ({note.basis})")

    def handle_remind(self, **options: Any) -> None:
        today = _date(options["today"], "today") if options["today"] else None
        sent = reminders_send(today=today)
        self.stdout.write(f"{sent} reminder e-mail(s) sent.")

    def handle_daily(self, **options: Any) -> None:
        today = _date(options["today"], "today") if options["today"] else None
        done = daily_pass(on=today)
        self.stdout.write(
            f"{done['implicit_refusals']} implicit refusal(s) recorded, "
            f"{done['reminders']} reminder e-mail(s) sent."
        )
