"""Throughput of access-to-documents requests, each against its floor in the same run.

    .venv/bin/python benchmarks/access.py [--department 62 --requests 5000 --repeat 3]

1. Drafting a series of requests to every commune of a department (`requests_draft`: each
   town hall's body made on first use, one request each with its places and its letter
   rendered from the template), against inserting the same requests with `bulk_create`,
   without bodies, places or letters (the floor).
2. The daily pass (`implicit_refusals_record`) over `--requests` sent requests, all past
   their implicit refusal date (each one read, its calendar computed, its event and
   status written), against the deadline engine computing the same calendars in memory
   followed by the same events and statuses written in bulk (the floor).
3. The bodies directory search (`body_search`, the request form's autocompletion): 100
   searches of real names and codes ("Métropole de Lyon", "CA du Pays Basque", a SIREN…).

Runs in its own SQLite database and data folder (temporary); prints medians.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.documents import workdir  # noqa: E402

TITLE = "Vidéosurveillance algorithmique"
ASKED = "Les délibérations du conseil\nLe marché passé avec la société Briefcam"
SEARCHES = [
    "Métropole de Lyon",
    "CA du Pays Basque",
    "244200770",
    "loire",
    "saint-etienne",
    "pays",
    "communauté de communes",
    "nice",
    "bretagne",
    "42",
]


def draft(user, communes) -> float:
    from contrechamp.access import services

    start = time.perf_counter()
    services.requests_draft(
        requester=user, title=TITLE, communes=communes, documents_asked=ASKED, channel="email"
    )
    return time.perf_counter() - start


def draft_floor(user, bodies) -> float:
    from contrechamp.access.models import AccessRequest

    start = time.perf_counter()
    AccessRequest.objects.bulk_create(
        [
            AccessRequest(
                body=b, requester=user, title=TITLE, documents_asked=ASKED, channel="email"
            )
            for b in bodies
        ]
    )
    return time.perf_counter() - start


def sent_requests(user, bodies, count: int) -> None:
    from contrechamp.access.models import AccessRequest

    sent, received = dt.date(2026, 3, 10), dt.date(2026, 3, 12)
    AccessRequest.objects.bulk_create(
        [
            AccessRequest(
                body=bodies[n % len(bodies)],
                requester=user,
                title=TITLE,
                documents_asked=ASKED,
                status="sent",
                sent_on=sent,
                received_on=received,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )


def reset() -> None:
    from contrechamp.access.models import AccessRequest, Event

    Event.objects.all().delete()
    AccessRequest.objects.exclude(sent_on=None).update(status="sent")


def daily(on: dt.date) -> tuple[float, int]:
    from contrechamp.access import services

    start = time.perf_counter()
    count = services.implicit_refusals_record(on=on)
    return time.perf_counter() - start, count


def daily_floor(on: dt.date) -> float:
    from django.db import transaction

    from contrechamp.access.deadlines import Facts, compute
    from contrechamp.access.models import AccessRequest, Event

    start = time.perf_counter()
    rows = list(
        AccessRequest.objects.filter(status="sent").values_list("id", "sent_on", "received_on")
    )
    events = []
    for request_id, sent, received in rows:
        implicit = compute(Facts(sent=sent, received=received)).get("implicit_refusal")
        if implicit and implicit.date <= on:
            events.append(Event(request_id=request_id, kind="implicit_refusal", date=implicit.date))
    with transaction.atomic():
        for event in events:
            event.automatic = True
        Event.objects.bulk_create(events, batch_size=1000)
        AccessRequest.objects.filter(id__in=[e.request_id for e in events]).update(status="refused")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--department", default="62")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = workdir("contrechamp-accessbench-")
    try:
        from django.contrib.auth import get_user_model

        from contrechamp.access.models import AccessRequest, PublicBody, RequestSeries
        from contrechamp.places.models import Commune
        from contrechamp.places.services import places_load

        places_load()
        user = get_user_model().objects.create_user("bench", password="x")
        communes = list(Commune.objects.filter(department__code=args.department, kind="commune"))
        drafting, floor = [], []
        for _ in range(args.repeat):
            AccessRequest.objects.all().delete()
            RequestSeries.objects.all().delete()
            PublicBody.objects.all().delete()
            drafting.append(draft(user, communes))
            bodies = list(PublicBody.objects.all())
            AccessRequest.objects.all().delete()
            floor.append(draft_floor(user, bodies))
        d, f = statistics.median(drafting), statistics.median(floor)
        n = len(communes)
        print(f"series of requests to the {n} communes of department {args.department}:")
        print(f"  requests_draft      {d:7.2f} s  {n / d:8.0f} requests/s")
        print(f"  bulk_create floor   {f:7.2f} s  {n / f:8.0f} requests/s  (ratio {d / f:.1f}×)")

        AccessRequest.objects.all().delete()
        RequestSeries.objects.all().delete()
        bodies = list(PublicBody.objects.all())
        sent_requests(user, bodies, args.requests)
        on = dt.date(2026, 4, 20)
        passes, floors = [], []
        for _ in range(args.repeat):
            reset()
            seconds, count = daily(on)
            assert count == args.requests, count
            passes.append(seconds)
            reset()
            floors.append(daily_floor(on))
        p, f = statistics.median(passes), statistics.median(floors)
        print(f"daily pass over {args.requests} sent requests, all past their implicit refusal:")
        print(f"  implicit_refusals_record {p:7.2f} s  {args.requests / p:8.0f} requests/s")
        print(
            f"  engine + bulk writes     {f:7.2f} s  {args.requests / f:8.0f} requests/s  "
            f"(ratio {p / f:.1f}×)"
        )
        from contrechamp.access.services import body_search

        body_search("warm up")  # the directory is built once per places load
        searches = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            for i in range(100):
                body_search(SEARCHES[i % len(SEARCHES)])
            searches.append(time.perf_counter() - start)
        print(f"100 body searches        {statistics.median(searches) * 1000:7.0f} ms")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory {peak:.0f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
